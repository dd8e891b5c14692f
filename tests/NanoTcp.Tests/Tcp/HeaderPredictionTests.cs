using System;
using System.Collections.Generic;
using System.Reflection;
using System.Text;
using NanoTcp.Scenarios;
using NanoTcp.Tcp;
using Xunit;
using Xunit.Abstractions;

namespace NanoTcp.Tests.Tcp
{
    /// <summary>Header prediction (TcpEngine.Prediction.cs) must leave every connection in the state the full path
    /// leaves it in and send the same segments (RFC 9293 3.10.7.4 allows another order of checks only when the result
    /// is the same). Two worlds run in lockstep on the same seeds and faults, one with the fast path and one without:
    /// after every step both connections' fields, rings included, and every segment sent so far must be equal.</summary>
    public sealed class HeaderPredictionTests
    {
        private const uint AddressA = 0x0A000001, AddressB = 0x0A000002;
        private readonly ITestOutputHelper _output;

        public HeaderPredictionTests(ITestOutputHelper output) => _output = output;

        /// <summary>Forwards to the link and keeps a running digest of every byte sent, in order.</summary>
        private sealed class RecordingPort : ITcpTransmitter
        {
            private readonly SegmentLink.Port _inner;
            public ulong Digest = 14695981039346656037UL;
            public int Segments;

            public RecordingPort(SegmentLink link) => _inner = new SegmentLink.Port(link);

            public bool TryGetSegmentBuffer(uint remoteAddress, out byte[] buffer, out int offset, out int capacity)
                => _inner.TryGetSegmentBuffer(remoteAddress, out buffer, out offset, out capacity);

            public bool TransmitSegment(uint localAddress, uint remoteAddress, byte[] buffer, int offset, int length)
            {
                Segments++;
                for (int i = 0; i < length; i++)
                    Digest = (Digest ^ buffer[offset + i]) * 1099511628211UL;
                Digest = (Digest ^ (ulong)length) * 1099511628211UL;
                return _inner.TransmitSegment(localAddress, remoteAddress, buffer, offset, length);
            }
        }

        private sealed class World
        {
            public SegmentLink Link;
            public RecordingPort PortA, PortB;
            public TcpEngine A, B;
            public TcpListener Listener;
            public TcpConnection Ca, Cb;
            public long SentAToB, SentBToA, ReceivedAToB, ReceivedBToA;
            public bool ShutA, ShutB;
            public bool Finished;

            public World(uint seed, TcpConfig config, int loss, int duplicate, int reorder, int corrupt, bool prediction)
            {
                Link = new SegmentLink(seed) { LossPercent = loss, DuplicatePercent = duplicate, ReorderPercent = reorder, CorruptPerMille = corrupt };
                PortA = new RecordingPort(Link);
                PortB = new RecordingPort(Link);
                A = new TcpEngine(config, PortA, new SeededRandom(seed * 3 + 1), null) { HeaderPrediction = prediction };
                B = new TcpEngine(config, PortB, new SeededRandom(seed * 5 + 2), null) { HeaderPrediction = prediction };
                Listener = B.Listen(7, 1);
                Ca = A.Connect(AddressA, AddressB, 7, 0);
            }

            /// <summary>One turn of the loop: deliver, let the applications write and read (B reads in small
            /// pieces now and then, so its window closes and reopens), poll, advance virtual time.</summary>
            public void Step(long total, byte[] chunk, byte[] sink, int turn)
            {
                Link.DeliverDue(AddressA, A, B);
                if (Cb == null)
                    Cb = B.Accept(Listener);
                Pump(A, Ca, ref SentAToB, ref ReceivedBToA, ref ShutA, total, chunk, sink, sink.Length);
                if (Cb != null)
                    Pump(B, Cb, ref SentBToA, ref ReceivedAToB, ref ShutB, total / 4, chunk, sink, turn % 7 == 0 ? 0 : 100 + turn % 900);
                long next = Math.Min(Math.Min(A.Poll(Link.Now), B.Poll(Link.Now)), Link.NextDelivery);
                if ((Ca.State == TcpState.Closed || Ca.State == TcpState.TimeWait)
                    && Cb != null && (Cb.State == TcpState.Closed || Cb.State == TcpState.TimeWait))
                    Finished = true;
                Link.Now = next > Link.Now ? Math.Min(next, Link.Now + 1000) : Link.Now + 1;
            }

            private static void Pump(TcpEngine engine, TcpConnection c, ref long sent, ref long received, ref bool shut,
                long total, byte[] chunk, byte[] sink, int readSize)
            {
                while (sent < total && c.SendSpace > 0)
                {
                    int n = (int)Math.Min(Math.Min(c.SendSpace, chunk.Length), total - sent);
                    for (int i = 0; i < n; i++)
                        chunk[i] = (byte)((sent + i) * 7);
                    int taken = engine.Send(c, chunk, 0, n);
                    if (taken <= 0) break;
                    sent += taken;
                }
                if (sent == total && !shut && c.IsConnected)
                {
                    engine.Shutdown(c);
                    shut = true;
                }
                int read;
                while (readSize > 0 && (read = engine.Receive(c, sink, 0, readSize)) > 0)
                    received += read;
            }
        }

        public static TheoryData<uint, int, int, int, int, bool> Cases() => new TheoryData<uint, int, int, int, int, bool>
        {
            { 1u, 0, 0, 0, 0, false },
            { 2u, 0, 0, 0, 0, true },
            { 3u, 5, 2, 10, 2, false },
            { 4u, 5, 2, 10, 2, true },
            { 5u, 10, 5, 20, 5, false },
            { 6u, 0, 0, 40, 0, true },
            { 7u, 2, 10, 0, 0, false },
        };

        [Theory]
        [MemberData(nameof(Cases))]
        public void FastPathLeavesTheSameStateAndSendsTheSameSegments(uint seed, int loss, int duplicate, int reorder, int corrupt, bool largeRings)
        {
            var config = largeRings
                ? new TcpConfig { SendBufferSize = 16384, ReceiveBufferSize = 16384, MaxOutOfOrderRanges = 8 }
                : new TcpConfig(); // the default: 2 KB rings
            const long total = 256 * 1024;
            var predicted = new World(seed, config, loss, duplicate, reorder, corrupt, true);
            var full = new World(seed, config, loss, duplicate, reorder, corrupt, false);
            var chunk = new byte[8192];
            var sink = new byte[8192];
            int turn = 0;
            for (; turn < 2_000_000 && !(predicted.Finished && full.Finished); turn++)
            {
                predicted.Step(total, chunk, sink, turn);
                full.Step(total, chunk, sink, turn);
                Assert.Equal(full.Link.Now, predicted.Link.Now);
                Assert.Equal(full.PortA.Segments, predicted.PortA.Segments);
                Assert.Equal(full.PortB.Segments, predicted.PortB.Segments);
                Assert.True(full.PortA.Digest == predicted.PortA.Digest, "A sent different bytes by turn " + turn);
                Assert.True(full.PortB.Digest == predicted.PortB.Digest, "B sent different bytes by turn " + turn);
                Assert.Equal(Snapshot(full.Ca), Snapshot(predicted.Ca));
                Assert.Equal(Snapshot(full.Cb), Snapshot(predicted.Cb));
            }
            _output.WriteLine($"{turn} turns, A sent {predicted.PortA.Segments} segments, B {predicted.PortB.Segments}; " +
                $"fast path: A {predicted.A.PredictedSegments}, B {predicted.B.PredictedSegments} of {predicted.A.Counters.SegmentsReceived + predicted.B.Counters.SegmentsReceived} received");
            Assert.True(predicted.Finished && full.Finished);
            Assert.Equal(total, predicted.ReceivedAToB);
            Assert.Equal(total / 4, predicted.ReceivedBToA);
            Assert.Equal(0, full.A.PredictedSegments + full.B.PredictedSegments);
            // The test is only worth something if the fast path ran, for ACKs (A) and data (B) alike.
            Assert.True(predicted.A.PredictedSegments > 10, "A took the fast path " + predicted.A.PredictedSegments + " times");
            Assert.True(predicted.B.PredictedSegments > 10, "B took the fast path " + predicted.B.PredictedSegments + " times");
        }

        /// <summary>Every field of the connection, nested structs and the rings' contents included (the listener by
        /// presence only).</summary>
        internal static string Snapshot(object value)
        {
            var text = new StringBuilder();
            Append(text, value, 0);
            return text.ToString();
        }

        private static void Append(StringBuilder text, object value, int depth)
        {
            if (value == null)
            {
                text.Append("null;");
                return;
            }
            Type type = value.GetType();
            if (type.IsPrimitive || type.IsEnum || value is string)
            {
                text.Append(value).Append(';');
                return;
            }
            if (value is byte[] bytes)
            {
                ulong digest = 14695981039346656037UL;
                foreach (byte b in bytes)
                    digest = (digest ^ b) * 1099511628211UL;
                text.Append('#').Append(digest).Append(';');
                return;
            }
            if (value is Array array)
            {
                text.Append('[');
                foreach (object item in array)
                    Append(text, item, depth + 1);
                text.Append(']');
                return;
            }
            if (value is TcpListener || value is TcpConfig || value is TcpEngine || depth > 4)
            {
                text.Append(type.Name).Append(';');
                return;
            }
            foreach (FieldInfo field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            {
                text.Append(field.Name).Append('=');
                Append(text, field.GetValue(value), depth + 1);
            }
        }
    }
}
