using System;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using NanoTcp.Wire;
using Xunit;
using Xunit.Abstractions;

namespace NanoTcp.Tests.Portability
{
    /// <summary>The gate over the real device assemblies (Debug builds, so Debug.WriteLine calls are checked too).</summary>
    public sealed class PortabilityGateTests
    {
        private readonly ITestOutputHelper _output;

        public PortabilityGateTests(ITestOutputHelper output) => _output = output;

        /// <summary>Every assembly in device/bin/&lt;Configuration&gt;/ (the portable assemblies and the device test
        /// program, compiled against nanoFramework's own mscorlib by device/*.nf.csproj and tests/Device), plus
        /// the host type-check of device-only code (boards/Esp32 + firmware/Device against tests/DeviceApiMirror).</summary>
        public static string[] DeviceAssemblies => Directory.GetFiles(RepoLayout.DeviceBinaries, "*.dll")
            .Where(p => !Path.GetFileName(p).Equals("mscorlib.dll", StringComparison.OrdinalIgnoreCase))
            .OrderBy(p => p, StringComparer.Ordinal)
            .Append(Path.Combine(AppContext.BaseDirectory, "NanoTcp.DeviceCheck.dll"))
            .ToArray();

        /// <summary>The portable assemblies the rules name; each must have its real-mscorlib build.</summary>
        public static readonly string[] PortableAssemblies =
            { "NanoTcp.Stack", "NanoTcp.Boards", "NanoTcp.Firmware", "NanoTcp.Scenarios", "NanoTcp.StackSuites", "NanoTcp.DeviceTests", "NanoTcp.DeviceBench",
              "NanoTcp.Boards.Simulation", "NanoTcp.DriverScenarios",
              "NanoTcp.Sockets", "NanoTcp.Mqtt", "NanoTcp.Sntp", "NanoTcp.Mdns", "NanoTcp.Http", "NanoTcp.HttpClient", "NanoTcp.Sensor" };

        [Fact]
        public void EveryPortableAssemblyIsBuiltAgainstTheRealMscorlib()
        {
            foreach (string name in PortableAssemblies)
            {
                string path = Path.Combine(RepoLayout.DeviceBinaries, name + ".dll");
                Assert.True(File.Exists(path), path + " is missing: device/" + name + "/" + name + ".nf.csproj builds it");
                using var pe = new PEReader(File.OpenRead(path));
                MetadataReader md = pe.GetMetadataReader();
                string[] references = md.AssemblyReferences.Select(h => md.GetString(md.GetAssemblyReference(h).Name)).ToArray();
                Assert.Contains("mscorlib", references);
                Assert.All(references, r => Assert.True(r == "mscorlib" || r.StartsWith("NanoTcp."), name + " references " + r));
            }
        }

        [SkippableFact]
        public void DeviceAssembliesPassTheGate()
        {
            GateOutcome outcome = PortabilityGateRunner.Run(RepoLayout.ApiDirectory, RepoLayout.UnderCi, DeviceAssemblies);
            _output.WriteLine(outcome.Message);
            File.WriteAllText(Path.Combine(RepoLayout.TestResults, "portability-report.txt"), outcome.Message + "\n");
            Skip.If(outcome.Status == GateStatus.CouldNotRun, outcome.Message);
            Assert.True(outcome.Status == GateStatus.Passed, outcome.Message);
            Assert.Equal(DeviceAssemblies.Length, outcome.Reports.Count);
            Assert.All(outcome.Reports, r => Assert.True(r.TypeCount > 1, r.Summary()));
        }

        [Fact]
        public void MissingApiListsSayTheGateCouldNotRun()
        {
            string empty = Directory.CreateTempSubdirectory("nanotcp-noapi").FullName;
            GateOutcome local = PortabilityGateRunner.Run(empty, underCi: false, DeviceAssemblies);
            Assert.Equal(GateStatus.CouldNotRun, local.Status);
            Assert.Contains("could not run", local.Message);

            GateOutcome ci = PortabilityGateRunner.Run(Path.Combine(empty, "missing"), underCi: true, DeviceAssemblies);
            Assert.Equal(GateStatus.Failed, ci.Status);
            Assert.Contains("under CI=true the gate must run", ci.Message);
        }
    }
}
