using System;
using System.IO;
using System.Linq;
using System.Reflection;
using NanoTcp.Scenarios;
using Xunit;

namespace NanoTcp.Tests.Build
{
    /// <summary>The device test project (tests/NFUnitTest) runs the same scenarios as xunit: one test method
    /// per catalog entry, from the same source files.</summary>
    public sealed class DeviceTestProjectTests
    {
        [Fact]
        public void EveryCatalogScenarioHasADeviceTestMethodAndNoOther()
        {
            Assembly check = Assembly.LoadFrom(Path.Combine(AppContext.BaseDirectory, "NanoTcp.DeviceCheck.dll"));
            Type tests = check.GetType("NanoTcp.DeviceTests.TcpScenarioTests", throwOnError: true);
            var methods = tests.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Where(m => m.GetCustomAttributes().Any(a => a.GetType().Name == "TestMethodAttribute"))
                .Select(m => m.Name).OrderBy(n => n).ToArray();
            var catalog = Enumerable.Range(0, ScenarioCatalog.Count).Select(i => ScenarioCatalog.NameAt(i).Replace('.', '_')).OrderBy(n => n).ToArray();
            Assert.Equal(catalog, methods);
        }

        [Fact]
        public void TheDeviceTestProjectCompilesTheScenarioSourcesThemselves()
        {
            string project = File.ReadAllText(Path.Combine(RepoLayout.Root, "tests", "NFUnitTest", "NFUnitTest.nfproj"));
            Assert.Contains(@"<Compile Include=""..\Scenarios\**\*.cs""", project);
            Assert.Contains("<AssemblyName>NFUnitTest</AssemblyName>", project);
            Assert.Contains(@"<ProjectCapability Include=""TestContainer"" />", project);
            Assert.Contains("<IsTestProject>true</IsTestProject>", project);
            Assert.True(File.Exists(Path.Combine(RepoLayout.Root, "tests", "NFUnitTest", "nano.runsettings")));
        }
    }
}
