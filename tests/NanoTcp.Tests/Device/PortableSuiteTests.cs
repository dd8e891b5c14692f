using NanoTcp.Scenarios;
using NanoTcp.StackSuites;
using Xunit;

namespace NanoTcp.Tests.Device
{
    /// <summary>The portable whole-stack suites (tests/StackSuites) under xunit, one case each; tests/Device runs
    /// the same catalogs on nanoCLR.</summary>
    public sealed class PortableSuiteTests
    {
        private static ITestCatalog Suite(string name) => name switch
        {
            "stack" => StackSuite.Catalog(),
            "dhcp-dns" => DhcpDnsSuite.Catalog(),
            "firmware" => FirmwareSuite.Catalog(),
            "typed-stack" => TypedStackSuite.Catalog(),
            "checksum" => ChecksumSuite.Catalog(),
            _ => null,
        };

        public static TheoryData<string, string> Cases()
        {
            var data = new TheoryData<string, string>();
            foreach (string suite in new[] { "stack", "dhcp-dns", "firmware", "typed-stack", "checksum" })
            {
                ITestCatalog catalog = Suite(suite);
                for (int i = 0; i < catalog.Count; i++)
                    data.Add(suite, catalog.NameAt(i));
            }
            return data;
        }

        [Theory]
        [MemberData(nameof(Cases))]
        public void Test(string suite, string name)
        {
            var catalog = (TestCatalog)Suite(suite);
            int index = catalog.IndexOf(name);
            Assert.True(index >= 0, "no test named " + name);
            catalog.RunAt(index);
        }
    }
}
