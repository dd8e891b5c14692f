using System;
using System.IO;
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

        public static string[] DeviceAssemblies => new[]
        {
            typeof(NetworkOrder).Assembly.Location,                            // NanoTcp.Stack
            typeof(NanoTcp.Boards.ISpiBus).Assembly.Location,                  // NanoTcp.Boards
            typeof(NanoTcp.Firmware.Services.ServicePorts).Assembly.Location,  // NanoTcp.Firmware (services)
            Path.Combine(AppContext.BaseDirectory, "NanoTcp.DeviceCheck.dll"), // boards/Esp32 + firmware/Device
            typeof(NanoTcp.Scenarios.ScenarioCatalog).Assembly.Location,      // TCP scenarios, also run on the device
            typeof(NanoTcp.Sockets.StreamSocket).Assembly.Location,           // NanoTcp.Sockets
            typeof(NanoTcp.Mqtt.MqttClient).Assembly.Location,                // NanoTcp.Mqtt
            typeof(NanoTcp.Sensor.SensorNode).Assembly.Location,              // NanoTcp.Sensor (the sample)
            typeof(NanoTcp.Sntp.SntpClient).Assembly.Location,                 // NanoTcp.Sntp
        };

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
