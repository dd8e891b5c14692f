using NanoTcp.Boards.Desktop;
using NanoTcp.Dhcp;
using NanoTcp.Scenarios;
using Xunit;

namespace NanoTcp.Tests.Stack
{
    public sealed class SimulatedDhcpServerTests
    {
        [Fact]
        public void TwoDevicesLeaseDistinctAddressesAndRenew()
        {
            var lan = new SimulatedSwitch(11);
            var server = new SimulatedDhcpServer(lan, "02:00:00:00:00:fe", 0xC0A80701, 0xFFFFFF00, 0xC0A80701, 0xC0A80701, 0xC0A80764, 10, 120);
            var a = new NetworkStack(lan.AddNic("a", "02:00:00:00:00:0a"), new StackConfig(), new SeededRandom(1));
            var b = new NetworkStack(lan.AddNic("b", "02:00:00:00:00:0b"), new StackConfig(), new SeededRandom(2));
            a.StartDhcp();
            b.StartDhcp();
            for (; lan.Now < 200_000; lan.Now++)
            {
                a.Poll(lan.Now);
                b.Poll(lan.Now);
                server.Poll();
            }
            Assert.Equal(DhcpState.Bound, a.Dhcp.State);
            Assert.Equal(DhcpState.Bound, b.Dhcp.State);
            Assert.NotEqual(a.Address, b.Address);
            Assert.InRange(a.Address, 0xC0A80764u, 0xC0A8076Du);
            Assert.Equal(0xC0A80701u, a.Gateway);
            Assert.True(a.Dhcp.Leases >= 3, "renewed at T1 (60 s) at least twice in 200 s: " + a.Dhcp.Leases);
            Assert.Equal(0, server.Naks);
        }
    }
}
