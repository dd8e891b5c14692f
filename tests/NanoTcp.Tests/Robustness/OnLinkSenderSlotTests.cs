using System;
using NanoTcp.Firmware.Services;
using NanoTcp.Scenarios;
using NanoTcp.Tcp;
using NanoTcp.Tests.Stack;
using Xunit;
using Xunit.Abstractions;

namespace NanoTcp.Tests.Robustness
{
    /// <summary>The slot policy's per-peer limit (MaxConnectionsPerPeer, 3 of the default 4 slots) against one host on
    /// the LAN that uses several addresses: it receives every answer to them at its one MAC, so it can complete
    /// handshakes from all of them and keep them busy. Counted per address it held all four slots and kept every
    /// other client out for as long as it liked (issue 13's goal: no longer than 5 s).</summary>
    public sealed class OnLinkSenderSlotTests
    {
        private readonly ITestOutputHelper _output;
        public OnLinkSenderSlotTests(ITestOutputHelper output) => _output = output;

        [Fact]
        public void AHostWithManyAddressesIsOnePeerForTheSlotLimit()
        {
            var lan = new HostileLan(seed: 9293 + 4987);
            const string OneMac = "02:00:00:00:03:01";
            var host = new NetworkStack[4];
            var mine = new TcpConnection[host.Length];
            for (int k = 0; k < host.Length; k++)
            {
                var config = new StackConfig();
                config.Tcp.MaxListeners = 1;
                host[k] = new NetworkStack(lan.Pair.Switch.AddNic("h" + k, OneMac), config, new SeededRandom((uint)(70 + k)));
                host[k].Configure(0x0A000000u | (uint)(121 + k), StackPair.Mask, StackPair.Gateway, 0);
            }
            var chunk = new byte[100];
            long next = 0;
            Action keepBusy = () =>
            {
                foreach (NetworkStack h in host) h.Poll(lan.Now);
                if (lan.Now < next) return;
                next = lan.Now + 200; // every connection moves data every 200 ms: never idle, never reclaimed
                for (int k = 0; k < mine.Length; k++)
                    if (mine[k] != null && mine[k].IsConnected) host[k].Tcp.Send(mine[k], chunk, 0, chunk.Length);
            };
            for (int k = 0; k < host.Length; k++)
            {
                mine[k] = host[k].Tcp.Connect(host[k].Address, StackPair.AddressB, ServicePorts.Discard, 0);
                lan.Run(100, keepBusy);
            }
            lan.Run(3000, keepBusy);
            int held = Array.FindAll(mine, c => c.IsConnected).Length;
            long ms = lan.FetchStatusPageRetrying(5000, keepBusy);
            _output.WriteLine($"one MAC, {host.Length} addresses: {held} busy connections held ({string.Join(", ", Array.ConvertAll(mine, c => c.State + "/" + c.Error))}); " +
                              $"another client's status page after {ms} ms; refused {lan.Device.Tcp.Counters.ConnectionsRefused}");
            Assert.Equal(lan.Device.Config.Tcp.MaxConnectionsPerPeer, held);
            Assert.InRange(ms, 0, 5000);
        }
    }
}
