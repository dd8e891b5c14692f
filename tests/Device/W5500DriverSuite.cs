// W5500ScenarioCatalog (the W5500 driver against the portable chip model, tests/DriverScenarios) seen as an ITestCatalog.
using NanoTcp.DriverScenarios;
using NanoTcp.Scenarios;

namespace NanoTcp.DeviceTests
{
    public sealed class W5500DriverSuite : ITestCatalog
    {
        public int Count { get { return W5500ScenarioCatalog.Count; } }
        public string NameAt(int index) { return W5500ScenarioCatalog.NameAt(index); }
        public void RunAt(int index) { W5500ScenarioCatalog.Run(W5500ScenarioCatalog.NameAt(index)); }
    }
}
