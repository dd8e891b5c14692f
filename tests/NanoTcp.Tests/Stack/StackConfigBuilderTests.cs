using NanoTcp.Firmware.Services;
using NanoTcp.Mqtt;
using NanoTcp.Scenarios;
using NanoTcp.Boards.Desktop;
using Xunit;

namespace NanoTcp.Tests.Stack
{
    /// <summary>The firmware's StackConfig built from the components it runs.</summary>
    public sealed class StackConfigBuilderTests
    {
        [Fact]
        public void TheMinimumHasNoSocketsYetAnswersPingAndCountsWhatItCannotTake()
        {
            StackConfig minimum = new StackConfigBuilder().Build();
            Assert.Equal(0, minimum.Tcp.MaxConnections);
            Assert.Equal(0, minimum.Tcp.MaxListeners);
            Assert.Equal(0, minimum.UdpSockets);
            var pair = new StackPair(configB: minimum);
            Assert.Null(pair.B.Tcp.Connect(StackPair.AddressB, StackPair.AddressA, 7, 0)); // no slot: null, not a throw
            Assert.Null(pair.B.Dns);
            Assert.True(pair.A.SendPing(StackPair.AddressB, 1, 1, 8));
            Assert.True(pair.RunUntil(() => pair.A.Statistics.IcmpEchoRepliesReceived == 1, 1000));
        }

        [Fact]
        public void ServicesMqttAndDnsAddUpAndEachGetsWhatItReserved()
        {
            var b = new StackConfigBuilder();
            FirmwareServices.Reserve(b);
            var mqtt = new MqttConfig { BrokerHost = "broker.lan" };
            MqttClient.Reserve(b, mqtt);
            MqttClient.Reserve(b, new MqttConfig { BrokerHost = "10.0.0.9" }); // a second client, by address: no second resolver
            StackConfig config = b.Build();
            Assert.Equal(4, config.Tcp.MaxConnections);
            Assert.Equal(4, config.Tcp.MaxListeners);
            Assert.Equal(2, config.UdpSockets); // UDP echo + DNS
            var pair = new StackPair(configB: config);
            var services = new FirmwareServices(pair.B);
            Assert.NotNull(pair.B.Dns);
            Assert.NotNull(pair.B.Tcp.FindListener(ServicePorts.Http));
            Assert.NotNull(pair.B.Tcp.FindListener(ServicePorts.Chargen));
            Assert.Null(pair.B.OpenUdp(5000)); // everything reserved is taken
        }

        [Fact]
        public void RingsAreTheLargestAnyComponentAsksFor()
        {
            StackConfig config = new StackConfigBuilder().AddTcpConnections(1).RequireRings(1024, 4096).RequireRings(2048, 512).Build();
            Assert.Equal(2048, config.Tcp.SendBufferSize);
            Assert.Equal(4096, config.Tcp.ReceiveBufferSize);
        }
    }
}
