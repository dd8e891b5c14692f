using System;
using NanoTcp.Tcp;
using NanoTcp.Tests.Stack;
using Xunit;
using Xunit.Abstractions;

namespace NanoTcp.Tests.Robustness
{
    /// <summary>Issue 13 point 4 (issue 12 item 11, RFC 6429): a peer that opens connections and never reads keeps
    /// its window at zero and answers every probe. The default table (4 slots) must come back: connections the
    /// application closed after OrphanZeroWindowProbes probes, those it holds after ZeroWindowTimeoutMs, each
    /// with a RST, and nothing allocated meanwhile.</summary>
    public sealed class ZeroWindowPeerTests
    {
        private readonly ITestOutputHelper _output;
        public ZeroWindowPeerTests(ITestOutputHelper output) => _output = output;

        [Fact]
        public void PeersThatNeverReadCannotHoldTheTableForever()
        {
            // A serves at the default configuration, but for the per-peer cap (issue 13's slot policy): B plays
            // every client that never reads, from one address.
            var configA = new StackConfig();
            configA.Tcp.MaxConnectionsPerPeer = configA.Tcp.MaxConnections;
            var pair = new StackPair(seed: 6429, configA: configA);
            const int port = 7100;
            TcpConfig config = pair.A.Config.Tcp;
            int slots = config.MaxConnections;
            TcpListener listener = pair.A.Tcp.Listen(port, slots);
            var clients = new TcpConnection[slots];
            var served = new TcpConnection[slots];
            for (int i = 0; i < slots; i++)
                clients[i] = pair.B.Tcp.Connect(pair.B.Address, StackPair.AddressA, port, 0);
            var data = new byte[config.SendBufferSize];
            new Random(1).NextBytes(data);
            int accepted = 0;
            Assert.True(pair.RunUntil(() => accepted == slots, 5000, () =>
            {
                TcpConnection c;
                while ((c = pair.A.Tcp.Accept(listener)) != null)
                    served[accepted++] = c;
            }), "all accepted");

            // The server writes until every client's window is shut with data waiting behind it.
            Assert.True(pair.RunUntil(() => Array.TrueForAll(served, s => s.SndWnd == 0 && s.BytesUnacknowledged > 0), 10_000, () =>
            {
                foreach (TcpConnection s in served)
                    pair.A.Tcp.Send(s, data, 0, s.SendSpace);
            }), "clients' windows shut");
            Assert.All(clients, c => Assert.Equal(pair.B.Config.Tcp.ReceiveBufferSize, c.BytesAvailable));

            // Half the server's connections are closed by its application (orphans), half stay held.
            int orphans = slots / 2;
            for (int i = 0; i < orphans; i++)
                pair.A.Tcp.Close(served[i]);
            long start = pair.Switch.Now;
            long before = 0, after = 0;
            int steps = 0;
            bool freed = pair.RunUntil(() => pair.A.Tcp.ConnectionsInUse == slots - orphans && AllClosed(served, orphans), config.ZeroWindowTimeoutMs + 2 * config.MaxRtoMs, () =>
            {
                if (++steps == 100) before = ThreadAllocations.Start();
                for (int i = orphans; i < slots; i++)
                    pair.A.Tcp.Send(served[i], data, 0, data.Length); // the application keeps trying
                after = GC.GetAllocatedBytesForCurrentThread();
            });
            long took = pair.Switch.Now - start;
            _output.WriteLine($"zero-window peers: held connections ended after {took} ms virtual; probes {pair.A.Tcp.Counters.ZeroWindowProbes}, " +
                              $"timeouts {pair.A.Tcp.Counters.ConnectionTimeouts}, RSTs {pair.A.Tcp.Counters.ResetsSent}; allocated {after - before} B");
            Assert.True(freed, "every connection ended within the zero-window limit");
            Assert.True(took >= config.ZeroWindowTimeoutMs, "held connections are given the whole limit");
            for (int i = orphans; i < slots; i++)
            {
                Assert.Equal(TcpError.TimedOut, served[i].Error);
                pair.A.Tcp.Close(served[i]);
            }
            Assert.Equal(0, pair.A.Tcp.ConnectionsInUse);
            Assert.Equal(slots, pair.A.Tcp.Counters.ConnectionTimeouts);
            pair.Run(100);
            Assert.All(clients, c => Assert.Equal(TcpError.Reset, c.Error)); // the peer was told, so its side is freed too
            Assert.Equal(0, after - before);

            // The table serves a new client again.
            foreach (TcpConnection c in clients)
                pair.B.Tcp.Close(c);
            TcpConnection fresh = pair.B.Tcp.Connect(pair.B.Address, StackPair.AddressA, port, 0);
            TcpConnection freshServed = null;
            Assert.True(pair.RunUntil(() => fresh.IsConnected && (freshServed ??= pair.A.Tcp.Accept(listener)) != null, 5000), "a new client is served");
        }

        private static bool AllClosed(TcpConnection[] served, int from)
        {
            for (int i = from; i < served.Length; i++)
                if (served[i].State != TcpState.Closed)
                    return false;
            return true;
        }
    }
}
