using NanoTcp.DriverScenarios;
using Xunit;

namespace NanoTcp.Tests.W5500
{
    /// <summary>Runs every portable W5500 driver and chip-model scenario (tests/DriverScenarios) under xunit.</summary>
    public sealed class W5500ScenarioTests
    {
        public static TheoryData<string> Names()
        {
            var data = new TheoryData<string>();
            for (int i = 0; i < W5500ScenarioCatalog.Count; i++)
                data.Add(W5500ScenarioCatalog.NameAt(i));
            return data;
        }

        [Theory]
        [MemberData(nameof(Names))]
        public void Scenario(string name)
        {
            Assert.True(W5500ScenarioCatalog.Run(name), "no scenario named " + name);
        }

        [Fact]
        public void EveryDriverScenarioRunsOnTheShippedBoardAndThePollingOne()
        {
            var names = new System.Collections.Generic.HashSet<string>();
            for (int i = 0; i < W5500ScenarioCatalog.Count; i++)
                names.Add(W5500ScenarioCatalog.NameAt(i));
            foreach (string name in names)
                if (name.StartsWith("DevKitC."))
                    Assert.Contains("Polling." + name.Substring("DevKitC.".Length), names);
            Assert.True(names.Count >= 30);
        }
    }
}
