// Every suite the device test program runs: one line each (a name and an ITestCatalog).
using NanoTcp.Scenarios;
using NanoTcp.StackSuites;

namespace NanoTcp.DeviceTests
{
    public static class DeviceSuites
    {
        public static void AddAll(SuiteRunner runner)
        {
            runner.Add("tcp", new TcpScenarioSuite());
            runner.Add("stack", StackSuite.Catalog());
            runner.Add("dhcp-dns", DhcpDnsSuite.Catalog());
            runner.Add("firmware", FirmwareSuite.Catalog());
            runner.Add("typed-stack", TypedStackSuite.Catalog());
            runner.Add("checksum", ChecksumSuite.Catalog());
        }
    }
}
