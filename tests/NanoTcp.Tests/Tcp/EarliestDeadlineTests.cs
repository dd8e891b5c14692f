using System;
using NanoTcp.Scenarios;
using NanoTcp.Tcp;
using NanoTcp.Wire;
using Xunit;
using Xunit.Abstractions;

namespace NanoTcp.Tests.Tcp
{
    /// <summary>TcpEngine.Poll returns at once before the engine's earliest deadline (TcpEngine.Timers.cs). What that
    /// must guarantee: every timer, armed by whatever path, runs at the poll at or after its time, exactly as when
    /// every poll walks every connection; and what Poll returns is never later than the next timer, so a loop that
    /// sleeps until then misses none. Two worlds run in lockstep on the same seeds, faults and application calls,
    /// one walking at every poll: both advance to the walking world's deadlines, and after every step both must
    /// have sent the same bytes and hold the same connections and counters. The run goes through every timer:
    /// retransmission and SYN-ACK retries (loss), delayed ACKs, persist probes and the SWS override (a reader that
    /// stops), keepalive switched on by the application on an idle connection, a half-open entry's lifetime, the
    /// FIN_WAIT_2 limit and TIME_WAIT; and through output that found no transmit buffer.</summary>
    public sealed class EarliestDeadlineTests
    {
        private const uint AddressA = 0x0A000001, AddressB = 0x0A000002, AddressSpoofed = 0x0A000063;
        private readonly ITestOutputHelper _output;

        public EarliestDeadlineTests(ITestOutputHelper output) => _output = output;

        /// <summary>Forwards to the link (never to the spoofed address), digests every byte sent, and now and then
        /// has no buffer to give (a transmitter whose ring is full).</summary>
        private sealed class Port : ITcpTransmitter
        {
            private readonly SegmentLink.Port _inner;
            private readonly SeededRandom _random;
            private readonly int _noBufferPercent;
            public ulong Digest = 14695981039346656037UL;
            public int Segments, NoBuffer;

            public Port(SegmentLink link, uint seed, int noBufferPercent)
            {
                _inner = new SegmentLink.Port(link);
                _random = new SeededRandom(seed);
                _noBufferPercent = noBufferPercent;
            }

            public bool TryGetSegmentBuffer(uint remoteAddress, out byte[] buffer, out int offset, out int capacity)
            {
                if (_random.Next(100) < _noBufferPercent)
                {
                    NoBuffer++;
                    buffer = null;
                    offset = capacity = 0;
                    return false;
                }
                return _inner.TryGetSegmentBuffer(remoteAddress, out buffer, out offset, out capacity);
            }

            public bool TransmitSegment(uint localAddress, uint remoteAddress, byte[] buffer, int offset, int length)
            {
                Segments++;
                for (int i = 0; i < length; i++)
                    Digest = (Digest ^ buffer[offset + i]) * 1099511628211UL;
                Digest = (Digest ^ (ulong)length) * 1099511628211UL;
                return remoteAddress == AddressSpoofed || _inner.TransmitSegment(localAddress, remoteAddress, buffer, offset, length);
            }
        }

        private sealed class World
        {
            public readonly SegmentLink Link;
            public readonly Port PortA, PortB;
            public readonly TcpEngine A, B;
            private readonly TcpListener _listener;
            public readonly TcpConnection Ca;
            public TcpConnection Cb;
            public long SentAToB, SentBToA, ReceivedAToB, ReceivedBToA;
            public long DoneAt = -1;
            private bool _closedA, _shutB;
            private int _stalls, _pings;
            private bool _lateSyn;
            private long _stallUntil;
            private readonly byte[] _syn = new byte[64];

            public World(uint seed, TcpConfig config, int loss, int noBuffer, bool earliestDeadline)
            {
                Link = new SegmentLink(seed) { LossPercent = loss, DuplicatePercent = 2, ReorderPercent = 5 };
                PortA = new Port(Link, seed * 7 + 1, noBuffer);
                PortB = new Port(Link, seed * 11 + 3, noBuffer);
                A = new TcpEngine(config, PortA, new SeededRandom(seed * 3 + 1), null) { EarliestDeadline = earliestDeadline };
                B = new TcpEngine(config, PortB, new SeededRandom(seed * 5 + 2), null) { EarliestDeadline = earliestDeadline };
                _listener = B.Listen(7, 2);
                Ca = A.Connect(AddressA, AddressB, 7, 0);
            }

            /// <summary>The applications' part of one turn; the same calls in both worlds.</summary>
            public void Applications(long total, byte[] chunk, byte[] sink, int turn)
            {
                Link.DeliverDue(AddressA, A, B);
                if (DoneAt >= 0 && !_lateSyn && A.ConnectionsInUse == 0 && B.ConnectionsInUse == 0)
                {
                    SpoofedSyn(); // a half-open entry whose lifetime is the only timer besides its SYN-ACK's
                    _lateSyn = true;
                }
                if (Cb == null && (Cb = B.Accept(_listener)) != null)
                    Cb.DelayedAck = turn % 2 == 0; // an option set on a new connection
                if (turn == 40)
                    SpoofedSyn(); // a half-open entry nobody completes: its lifetime ends it
                if (turn % 97 == 0)
                    Ca.Nagle = !Ca.Nagle;
                Pump(A, Ca, ref SentAToB, ref ReceivedBToA, total, chunk, sink, sink.Length);
                if (Cb == null)
                    return;
                // B stops reading for 3 s twice (A's persist timer and probes), and reads in pieces otherwise.
                if ((_stalls == 0 && ReceivedAToB >= total / 4) || (_stalls == 1 && ReceivedAToB >= total * 3 / 4))
                {
                    _stalls++;
                    _stallUntil = Link.Now + 3000;
                }
                int readSize = Link.Now < _stallUntil ? 0 : 100 + turn % 900;
                Pump(B, Cb, ref SentBToA, ref ReceivedAToB, total / 4, chunk, sink, readSize);
                if (DoneAt < 0 && ReceivedAToB == total && ReceivedBToA == total / 4)
                {
                    DoneAt = Link.Now;
                    Cb.KeepAlive = true; // on an idle connection with no timer running: only Poll can start it
                    Cb.DelayedAck = true;
                }
                // Idle, then one small segment each way: a delayed ACK that is the only timer of its engine.
                if (DoneAt >= 0 && Link.Now >= DoneAt + 1000 && _pings == 0)
                {
                    _pings++;
                    B.Send(Cb, chunk, 0, 10);
                }
                if (DoneAt >= 0 && Link.Now >= DoneAt + 1500 && _pings == 1)
                {
                    _pings++;
                    A.Send(Ca, chunk, 0, 10);
                }
                if (DoneAt >= 0 && Link.Now >= DoneAt + 6000 && !_closedA)
                {
                    A.Close(Ca); // FIN_WAIT_2 with nobody reading: its limit runs
                    _closedA = true;
                }
                if (_closedA && Link.Now >= DoneAt + 14000 && !_shutB)
                {
                    B.Close(Cb);
                    _shutB = true;
                }
            }

            private void SpoofedSyn()
            {
                var header = new TcpHeader { SourcePort = 40000, DestinationPort = 7, SequenceNumber = 12345, Flags = TcpFlags.Syn, Window = 1000, MaximumSegmentSize = 1460 };
                int length = header.Emit(_syn, 0, 0, AddressSpoofed, AddressB);
                Assert.Equal(WireError.None, TcpSegment.TryParse(_syn, 0, length, AddressSpoofed, AddressB, out TcpSegment segment));
                B.ProcessSegment(Link.Now, AddressSpoofed, AddressB, segment);
            }

            private static void Pump(TcpEngine engine, TcpConnection c, ref long sent, ref long received, long total,
                byte[] chunk, byte[] sink, int readSize)
            {
                while (sent < total && c.SendSpace > 0)
                {
                    int n = (int)Math.Min(Math.Min(c.SendSpace, 700), total - sent);
                    for (int i = 0; i < n; i++)
                        chunk[i] = (byte)((sent + i) * 7);
                    int taken = engine.Send(c, chunk, 0, n);
                    if (taken <= 0) break;
                    sent += taken;
                }
                int read;
                while (readSize > 0 && (read = engine.Receive(c, sink, 0, readSize)) > 0)
                    received += read;
            }

            public bool Finished => _lateSyn && A.ConnectionsInUse == 0 && B.ConnectionsInUse == 0;
        }

        [Theory]
        [InlineData(1u, 0, 0)]
        [InlineData(2u, 5, 3)]
        [InlineData(3u, 10, 1)]
        [InlineData(4u, 2, 10)]
        public void EveryTimerRunsWhenItWouldWithAWalkAtEveryPoll(uint seed, int loss, int noBuffer)
        {
            var config = new TcpConfig
            {
                KeepAliveIdleMs = 3000, KeepAliveIntervalMs = 500, KeepAliveProbes = 3,
                FinWait2TimeoutMs = 5000, MslMs = 2000, ZeroWindowTimeoutMs = 60000,
                HalfOpenTimeoutMs = 700, // shorter than the first SYN-ACK retransmission: its own deadline
            };
            const long total = 64 * 1024;
            var walking = new World(seed, config, loss, noBuffer, false);
            var tested = new World(seed, config, loss, noBuffer, true);
            var chunk = new byte[1024];
            var sink = new byte[2048];
            int turn = 0, skipped = 0;
            for (; turn < 200_000 && !(walking.Finished && tested.Finished); turn++)
            {
                walking.Applications(total, chunk, sink, turn);
                tested.Applications(total, chunk, sink, turn);
                long walkingA = walking.A.Poll(walking.Link.Now), walkingB = walking.B.Poll(walking.Link.Now);
                long testedA = tested.A.Poll(tested.Link.Now), testedB = tested.B.Poll(tested.Link.Now);
                // Never later than the walk's answer: a loop sleeping until then would miss a timer.
                Assert.True(testedA <= walkingA, $"turn {turn}: A's Poll returned {testedA}, the walk {walkingA}");
                Assert.True(testedB <= walkingB, $"turn {turn}: B's Poll returned {testedB}, the walk {walkingB}");
                if (testedA != walkingA || testedB != walkingB) skipped++;
                Assert.Equal(walking.PortA.Segments, tested.PortA.Segments);
                Assert.Equal(walking.PortB.Segments, tested.PortB.Segments);
                Assert.True(walking.PortA.Digest == tested.PortA.Digest, "A sent different bytes by turn " + turn);
                Assert.True(walking.PortB.Digest == tested.PortB.Digest, "B sent different bytes by turn " + turn);
                Assert.Equal(HeaderPredictionTests.Snapshot(walking.Ca), HeaderPredictionTests.Snapshot(tested.Ca));
                Assert.Equal(HeaderPredictionTests.Snapshot(walking.Cb), HeaderPredictionTests.Snapshot(tested.Cb));
                Assert.Equal(HeaderPredictionTests.Snapshot(walking.A.Counters), HeaderPredictionTests.Snapshot(tested.A.Counters));
                Assert.Equal(HeaderPredictionTests.Snapshot(walking.B.Counters), HeaderPredictionTests.Snapshot(tested.B.Counters));
                // Both advance to the walking world's deadline (or the next delivery, at most 100 ms on).
                long next = Math.Min(Math.Min(walkingA, walkingB), walking.Link.NextDelivery);
                long now = next > walking.Link.Now ? Math.Min(next, walking.Link.Now + 100) : walking.Link.Now + 1;
                walking.Link.Now = tested.Link.Now = now;
            }
            TcpCounters a = tested.A.Counters, b = tested.B.Counters;
            _output.WriteLine($"{turn} turns to {tested.Link.Now} ms; A sent {tested.PortA.Segments} segments, B {tested.PortB.Segments}; " +
                $"no buffer {tested.PortA.NoBuffer} + {tested.PortB.NoBuffer}; retransmit timeouts {a.RetransmitTimeouts} + {b.RetransmitTimeouts}, " +
                $"zero-window probes {a.ZeroWindowProbes + b.ZeroWindowProbes}, keepalive probes {b.KeepAliveProbes}, " +
                $"half-open dropped {b.HalfOpenDropped}, timeouts {a.ConnectionTimeouts} + {b.ConnectionTimeouts}; early returns answered earlier {skipped} times");
            Assert.True(tested.Finished && walking.Finished, "the connections did not end");
            Assert.Equal(total + 10, tested.ReceivedAToB);
            // The run is only worth something if the timers it is about ran.
            Assert.True(b.KeepAliveProbes > 0, "no keepalive probe");
            Assert.Equal(2, b.HalfOpenDropped); // both spoofed SYNs' entries timed out
            Assert.True(a.ConnectionTimeouts > 0, "FIN_WAIT_2 did not time out");
            Assert.True(a.ZeroWindowProbes + b.ZeroWindowProbes > 0, "no zero-window probe");
            if (loss > 0)
                Assert.True(a.RetransmitTimeouts + b.RetransmitTimeouts > 0, "no retransmission timeout");
            if (noBuffer > 0)
                Assert.True(tested.PortA.NoBuffer + tested.PortB.NoBuffer > 0, "every buffer was given");
        }
    }
}
