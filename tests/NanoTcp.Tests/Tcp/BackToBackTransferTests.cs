using System;
using NanoTcp.Scenarios;
using NanoTcp.Tcp;
using Xunit;
using Xunit.Abstractions;

namespace NanoTcp.Tests.Tcp
{
    /// <summary>Two engines back to back: 10 MB each way through a faulty link, every byte checked once and
    /// in order, zero bytes allocated after setup (issue 4).</summary>
    public sealed class BackToBackTransferTests
    {
        private const uint AddressA = 0x0A000001, AddressB = 0x0A000002;
        private readonly ITestOutputHelper _output;

        public BackToBackTransferTests(ITestOutputHelper output) => _output = output;

        /// <summary>One direction of the transfer: bytes follow a pattern derived from their position.</summary>
        private sealed class Stream
        {
            public long Sent, Received, Mismatches, FirstMismatch = -1;
            public bool ShutdownDone;
            public static byte At(long position) => (byte)(position ^ (position >> 8) ^ (position >> 17) * 13);
        }

        [Theory]
        [InlineData(1u, 5, 2, 10, 2)]
        [InlineData(2u, 10, 5, 20, 5)]
        [InlineData(3u, 0, 0, 0, 0)]
        [InlineData(4u, 0, 0, 30, 0)]
        [InlineData(5u, 0, 0, 50, 0)]
        public void TenMegabytesEachWayThroughLossDuplicationAndReordering(uint seed, int loss, int duplicate, int reorder, int corruptPerMille)
        {
            // Warm-up: the first run of each code path in a process costs the runtime itself a few bytes
            // (JIT, type and static initialisation). A shorter transfer with the same faults and another
            // seed runs the measured paths first (loss, duplication and corruption paths included), and
            // the measured run has a thread of its own, so what is measured is the stack alone: its
            // engines are new, so anything they allocated lazily would still show.
            Run(seed + 100, loss, duplicate, reorder, corruptPerMille, 512 * 1024, out _, out _, out _);
            long allocated = -1, aToB = 0, bToA = 0;
            Exception failure = null;
            var measured = new System.Threading.Thread(() =>
            {
                try { Run(seed, loss, duplicate, reorder, corruptPerMille, 10L * 1024 * 1024, out allocated, out aToB, out bToA); }
                catch (Exception e) { failure = e; }
            });
            measured.Start();
            measured.Join();
            if (failure != null)
                throw new Exception("measured run failed", failure);
            Assert.Equal(10L * 1024 * 1024, aToB);
            Assert.Equal(10L * 1024 * 1024, bToA);
            Assert.Equal(0, allocated);
        }

        private void Run(uint seed, int loss, int duplicate, int reorder, int corruptPerMille, long total,
            out long allocated, out long receivedAToB, out long receivedBToA)
        {
            long Total = total;
            var config = new TcpConfig { SendBufferSize = 16384, ReceiveBufferSize = 16384, MaxOutOfOrderRanges = 8 };
            var link = new SegmentLink(seed) { LossPercent = loss, DuplicatePercent = duplicate, ReorderPercent = reorder, CorruptPerMille = corruptPerMille };
            var a = new TcpEngine(config, new SegmentLink.Port(link), new SeededRandom(seed * 3 + 1), null);
            var b = new TcpEngine(config, new SegmentLink.Port(link), new SeededRandom(seed * 5 + 2), null);
            TcpListener listener = b.Listen(7, 1);
            TcpConnection ca = a.Connect(AddressA, AddressB, 7, 0);
            TcpConnection cb = null;
            var aToB = new Stream();
            var bToA = new Stream();
            var chunk = new byte[8192];
            var sink = new byte[8192];
            long allocatedBefore = 0;
            bool measuring = false;

            while (link.Now < 10_000_000)
            {
                link.DeliverDue(AddressA, a, b);
                if (cb == null)
                    cb = b.Accept(listener);
                if (cb != null && !measuring && aToB.Received > 0 && bToA.Received > 0)
                {
                    measuring = true; // setup done: both directions flow
                    allocatedBefore = ThreadAllocations.Start();
                }
                Pump(a, ca, aToB, bToA, Total, chunk, sink);
                if (cb != null)
                    Pump(b, cb, bToA, aToB, Total, chunk, sink);
                long next = Math.Min(Math.Min(a.Poll(link.Now), b.Poll(link.Now)), link.NextDelivery);
                if (ca.State == TcpState.Closed || ca.State == TcpState.TimeWait)
                    if (cb != null && (cb.State == TcpState.Closed || cb.State == TcpState.TimeWait))
                        break;
                link.Now = next > link.Now ? Math.Min(next, link.Now + 1000) : link.Now + 1;
            }
            allocated = ThreadAllocations.Since(allocatedBefore);
            receivedAToB = aToB.Received;
            receivedBToA = bToA.Received;

            _output.WriteLine($"virtual time {link.Now / 1000.0:F1} s; segments sent {link.Sent}, lost {link.Lost}, duplicated {link.Duplicated}, " +
                              $"corrupted {link.Corrupted} (dropped by checksum {link.DroppedBadChecksum}); A: retransmitted {a.Counters.SegmentsRetransmitted}, " +
                              $"fast retransmits {a.Counters.FastRetransmits}, timeouts {a.Counters.RetransmitTimeouts}; B: retransmitted {b.Counters.SegmentsRetransmitted}");
            Assert.Equal(Total, aToB.Received);
            Assert.Equal(Total, bToA.Received);
            _output.WriteLine($"resets sent: A {a.Counters.ResetsSent}, B {b.Counters.ResetsSent}");
            _output.WriteLine($"mismatches a->b {aToB.Mismatches} first at {aToB.FirstMismatch}; b->a {bToA.Mismatches} first at {bToA.FirstMismatch}");
            Assert.Equal(0, aToB.Mismatches);
            Assert.Equal(0, bToA.Mismatches);
            if (loss == 0 && duplicate == 0) // else a late duplicate of the last ACK may meet a closed port: RST, by RFC 9293
                Assert.Equal(0, a.Counters.ResetsSent + b.Counters.ResetsSent);
            Assert.Equal(TcpError.None, ca.Error);
            Assert.Equal(TcpError.None, cb.Error);
            Assert.True(measuring);
        }

        /// <summary>Sends what the ring takes, shuts down at the end, reads and checks what arrived.</summary>
        private static void Pump(TcpEngine engine, TcpConnection c, Stream outgoing, Stream incoming, long total, byte[] chunk, byte[] sink)
        {
            while (outgoing.Sent < total && c.SendSpace > 0)
            {
                int n = (int)Math.Min(Math.Min(c.SendSpace, chunk.Length), total - outgoing.Sent);
                for (int i = 0; i < n; i++)
                    chunk[i] = Stream.At(outgoing.Sent + i);
                int taken = engine.Send(c, chunk, 0, n);
                if (taken <= 0) break;
                outgoing.Sent += taken;
            }
            if (outgoing.Sent == total && !outgoing.ShutdownDone && c.IsConnected)
            {
                engine.Shutdown(c);
                outgoing.ShutdownDone = true;
            }
            int read;
            while ((read = engine.Receive(c, sink, 0, sink.Length)) > 0)
            {
                for (int i = 0; i < read; i++)
                    if (sink[i] != Stream.At(incoming.Received + i))
                    {
                        if (incoming.Mismatches++ == 0) incoming.FirstMismatch = incoming.Received + i;
                    }
                incoming.Received += read;
            }
        }
    }
}
