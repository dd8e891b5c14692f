using NanoTcp.Host;
using Xunit;

namespace NanoTcp.Tests.Host
{
    /// <summary>`serve` and `demo` take the TCP configuration users tune (issue 12 point 3).</summary>
    public sealed class TcpOptionsTests
    {
        private static StackConfig Parse(params string[] args) =>
            TcpOptions.Config(Options.Parse(args, 0, TcpOptions.Names, new string[0]));

        [Fact]
        public void WithoutOptionsTheShippedDefaultsHold()
        {
            StackConfig config = Parse();
            var shipped = new StackConfig();
            Assert.Equal(shipped.Tcp.MaxConnections, config.Tcp.MaxConnections);
            Assert.Equal(shipped.Tcp.SendBufferSize, config.Tcp.SendBufferSize);
            Assert.Equal(shipped.Tcp.ReceiveBufferSize, config.Tcp.ReceiveBufferSize);
            Assert.Equal("4 connections, send ring 2048 B, receive ring 2048 B", TcpOptions.Describe(config));
        }

        [Fact]
        public void ConnectionsAndRingSizesAreTaken()
        {
            StackConfig config = Parse("--connections", "16", "--send-ring", "65535", "--receive-ring", "8192");
            Assert.Equal(16, config.Tcp.MaxConnections);
            Assert.Equal(65535, config.Tcp.SendBufferSize);
            Assert.Equal(8192, config.Tcp.ReceiveBufferSize);
        }

        [Theory]
        [InlineData("--connections", "0")]
        [InlineData("--connections", "65")]
        [InlineData("--send-ring", "65536")]   // no window scaling: a window is at most 65,535 bytes
        [InlineData("--receive-ring", "100")]
        [InlineData("--receive-ring", "2k")]
        public void BadValuesSayWhatWasWrong(string name, string value)
        {
            var e = Assert.Throws<UsageException>(() => Parse(name, value));
            Assert.Contains(name, e.Message);
            Assert.Contains(value, e.Message);
        }

        [Theory]
        [InlineData("serve", "--tap", "nt9", "--ip", "10.0.0.2/24", "--send-ring", "1")]
        [InlineData("demo", "--connections", "x")]
        public void TheCommandsExit2OnABadValue(params string[] args)
        {
            Assert.Equal(2, Program.Main(args));
        }
    }
}
