using NanoTcp.Scenarios;
using Xunit;

namespace NanoTcp.Tests.Tcp
{
    /// <summary>Runs every portable TCP scenario (tests/Scenarios) under xunit, one test case each.</summary>
    public sealed class TcpScenarioTests
    {
        public static TheoryData<string> Names()
        {
            var data = new TheoryData<string>();
            for (int i = 0; i < ScenarioCatalog.Count; i++)
                data.Add(ScenarioCatalog.NameAt(i));
            return data;
        }

        [Theory]
        [MemberData(nameof(Names))]
        public void Scenario(string name)
        {
            Assert.True(ScenarioCatalog.Run(name), "no scenario named " + name);
        }

        [Fact]
        public void CatalogHoldsTheScenarios()
        {
            Assert.True(ScenarioCatalog.Count >= 10);
        }
    }
}
