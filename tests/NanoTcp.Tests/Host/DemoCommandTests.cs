using System;
using System.IO;
using NanoTcp.Host;
using Xunit;

namespace NanoTcp.Tests.Host
{
    /// <summary>The README's first command: `nanotcp demo` must verify its echo and exit 0, also through loss.</summary>
    public sealed class DemoCommandTests
    {
        private static (int Code, string Output) Run(params string[] args)
        {
            var output = new StringWriter();
            TextWriter original = Console.Out, originalError = Console.Error;
            Console.SetOut(output);
            Console.SetError(output);
            try
            {
                return (Program.Main(args), output.ToString());
            }
            finally
            {
                Console.SetOut(original);
                Console.SetError(originalError);
            }
        }

        [Fact]
        public void DemoEchoesClosesAndWritesAPcap()
        {
            string pcap = Path.Combine(RepoLayout.TestResults, "demo-test.pcap");
            var (code, output) = Run("demo", "--pcap", pcap);
            Assert.True(code == 0, output);
            Assert.Contains("Flags [S]", output);
            Assert.Contains("Flags [S.]", output);
            Assert.Contains("FIN_WAIT_1 -> TIME_WAIT", output);
            Assert.Contains("TIME_WAIT -> CLOSED", output);
            Assert.Contains("LAST_ACK -> CLOSED", output);
            Assert.Contains("verified", output);
            Assert.True(new FileInfo(pcap).Length > 24);
        }

        [Theory]
        [InlineData("10", "1")]
        [InlineData("20", "7")]
        public void DemoVerifiesThroughLoss(string loss, string seed)
        {
            var (code, output) = Run("demo", "--loss", loss, "--seed", seed, "--bytes", "50000", "--quiet",
                "--pcap", Path.Combine(RepoLayout.TestResults, "demo-loss.pcap"));
            Assert.True(code == 0, output);
            Assert.Contains("verified", output);
        }

        [Fact]
        public void DemoRunsOnTheW5500SimulatorByDefaultAndOnAPlainNicOnRequest()
        {
            var (w5500, output) = Run("demo", "--quiet", "--pcap", Path.Combine(RepoLayout.TestResults, "demo-w5500.pcap"));
            Assert.True(w5500 == 0, output);
            Assert.Contains("ESP32 + W5500, simulated", output);
            Assert.Contains("SPI transactions", output);
            var (nic, nicOutput) = Run("demo", "--quiet", "--device", "nic", "--pcap", Path.Combine(RepoLayout.TestResults, "demo-nic.pcap"));
            Assert.True(nic == 0, nicOutput);
            Assert.Contains("simulated NIC", nicOutput);
        }

        [Fact]
        public void DemoDeviceCanLeaseItsAddress()
        {
            var (code, output) = Run("demo", "--dhcp", "--pcap", Path.Combine(RepoLayout.TestResults, "demo-dhcp.pcap"));
            Assert.True(code == 0, output);
            Assert.Contains("DHCP: the device leased 192.168.7.100", output);
            Assert.Contains("verified", output);
        }

        [Theory]
        [InlineData("demo", "--loss", "x")]
        [InlineData("demo", "--bytes")]
        [InlineData("demo", "--frobnicate")]
        [InlineData("teleport")]
        [InlineData("demo", "--device", "enc28j60")]
        [InlineData("serve", "--ip", "10.0.0.1")]
        public void BadArgumentsSayWhatIsWrongAndExit2(params string[] args)
        {
            var (code, output) = Run(args);
            Assert.Equal(2, code);
            Assert.Contains("nanotcp: ", output);
            Assert.Contains("usage:", output);
        }
    }
}
