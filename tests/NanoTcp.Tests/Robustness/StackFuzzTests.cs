using System;
using NanoTcp.Firmware.Services;
using NanoTcp.Link;
using NanoTcp.Scenarios;
using NanoTcp.Tcp;
using NanoTcp.Tests.Stack;
using NanoTcp.Tests.Wire;
using NanoTcp.Wire;
using Xunit;
using Xunit.Abstractions;

namespace NanoTcp.Tests.Robustness
{
    /// <summary>Whole-stack fuzzing (issue 8 a): a million random and mutated frames, many of them plausible
    /// segments for the stack's live connections, into a stack running the firmware's services. No exception
    /// escapes, nothing is allocated, and every connection's state stays consistent.</summary>
    public sealed class StackFuzzTests
    {
        private const int Frames = 1_000_000;
        private readonly ITestOutputHelper _output;
        public StackFuzzTests(ITestOutputHelper output) => _output = output;

        /// <summary>Passes frames through while recording what arrives; then serves frames the test hands it.</summary>
        private sealed class FuzzableDevice : INetworkDevice
        {
            private readonly INetworkDevice _inner;
            public readonly byte[][] Recorded = new byte[64][];
            public readonly int[] RecordedLength = new int[64];
            public int RecordedCount;
            public bool Fuzzing;
            public byte[] Next;
            public int NextLength;

            public FuzzableDevice(INetworkDevice inner)
            {
                _inner = inner;
                for (int i = 0; i < Recorded.Length; i++) Recorded[i] = new byte[1514];
            }

            public void CopyMacAddress(byte[] destination, int offset) => _inner.CopyMacAddress(destination, offset);
            public int Mtu => _inner.Mtu;
            public bool IsLinkUp => true;
            public bool Transmit(byte[] buffer, int offset, int length) => Fuzzing || _inner.Transmit(buffer, offset, length);

            public int Receive(byte[] buffer, int offset, int capacity)
            {
                if (Fuzzing)
                {
                    int n = NextLength;
                    NextLength = 0;
                    if (n > 0) Array.Copy(Next, 0, buffer, offset, n);
                    return n;
                }
                int length = _inner.Receive(buffer, offset, capacity);
                if (length > 0)
                {
                    int slot = RecordedCount++ % Recorded.Length;
                    Array.Copy(buffer, offset, Recorded[slot], 0, length);
                    RecordedLength[slot] = length;
                }
                return length;
            }
        }

        [Fact]
        public void AMillionHostileFramesNeverThrowAllocateOrBreakAConnection()
        {
            // The fuzz is seeded and in virtual time: an allocation on a path of the stack comes back at the same
            // frame in a second run. The window opens with ThreadAllocations.Start (see there for the runtime's
            // miscount it avoids); the second run stays as a check that a count is the stack's own.
            long first = FuzzOnce(out long firstAt);
            if (first == 0)
                return;
            long second = FuzzOnce(out long secondAt);
            _output.WriteLine($"first run: {first} B allocated, first at frame {firstAt}; second run: {second} B, first at frame {secondAt}");
            Assert.Equal(0, second);
        }

        private long FuzzOnce(out long firstAllocationAt)
        {
            firstAllocationAt = -1;
            var lan = new Boards.Desktop.SimulatedSwitch(88);
            var device = new FuzzableDevice(lan.AddNic("device", "02:00:00:00:00:0b"));
            var deviceStack = new NetworkStack(device, new StackConfig(), new SeededRandom(8));
            var client = new NetworkStack(lan.AddNic("client", "02:00:00:00:00:0a"), new StackConfig(), new SeededRandom(9));
            deviceStack.Configure(StackPair.AddressB, StackPair.Mask, 0, 0);
            client.Configure(StackPair.AddressA, StackPair.Mask, 0, 0);
            var services = new FirmwareServices(deviceStack);

            // A live session to record from: echo and discard connections with data both ways.
            TcpConnection echo = client.Tcp.Connect(StackPair.AddressA, StackPair.AddressB, ServicePorts.Echo, 0);
            TcpConnection discard = client.Tcp.Connect(StackPair.AddressA, StackPair.AddressB, ServicePorts.Discard, 0);
            var data = new byte[600];
            var sink = new byte[2048];
            for (int t = 0; t < 2000; t++, lan.Now++)
            {
                deviceStack.Poll(lan.Now); services.Poll(); client.Poll(lan.Now);
                if (echo.IsConnected && t % 20 == 0) client.Tcp.Send(echo, data, 0, 100);
                if (discard.IsConnected && t % 20 == 0) client.Tcp.Send(discard, data, 0, 600);
                while (client.Tcp.Receive(echo, sink, 0, sink.Length) > 0) { }
            }
            client.SendPing(StackPair.AddressB, 1, 1, 32);
            var udp = client.OpenUdp(0);
            client.SendTo(udp, StackPair.AddressB, ServicePorts.Echo, data, 0, 20);
            for (int t = 0; t < 20; t++, lan.Now++) { deviceStack.Poll(lan.Now); services.Poll(); client.Poll(lan.Now); }
            Assert.True(device.RecordedCount >= 10, "recorded frames: " + device.RecordedCount);
            Assert.Equal(2, CountConnected(deviceStack.Tcp));

            // Fuzz: the client falls silent; the device gets the hostile frames.
            device.Fuzzing = true;
            device.Next = new byte[1514];
            var random = new Random(33);
            int recorded = Math.Min(device.RecordedCount, device.Recorded.Length);
            long allocated = 0;
            ThreadAllocations.Start(); // the loop below allocates nothing of its own, so the window stays clean
            for (int i = 0; i < Frames; i++)
            {
                device.NextLength = NextFrame(random, device, recorded);
                long before = GC.GetAllocatedBytesForCurrentThread(); // only the stack's and the services' work counts
                deviceStack.Poll(lan.Now);
                services.Poll();
                long delta = GC.GetAllocatedBytesForCurrentThread() - before;
                if (i >= 20_000 && delta != 0)
                {
                    if (allocated == 0) firstAllocationAt = i;
                    allocated += delta;
                }
                if (i % 100 == 0) lan.Now++;
                if (i % 1000 == 0) CheckInvariants(deviceStack.Tcp, i);
            }
            CheckInvariants(deviceStack.Tcp, Frames);
            NetworkStatistics s = deviceStack.Statistics;
            _output.WriteLine($"{Frames} frames: parse errors {s.ParseErrorTotal}, ip {s.IpReceived}, tcp segments {s.Tcp.SegmentsReceived}, " +
                              $"challenge acks {s.Tcp.ChallengeAcks} (+{s.Tcp.ChallengeAcksSuppressed} suppressed), resets received {s.Tcp.ResetsReceived}, " +
                              $"udp {s.UdpReceived}, icmp echo {s.IcmpEchoRequestsReceived}, arp {s.ArpRequestsReceived}; connections alive {CountConnected(deviceStack.Tcp)}");
            Assert.True(s.Tcp.SegmentsReceived > 100_000, "plausible segments reached TCP");
            Assert.True(s.ParseErrorTotal > 100_000, "hostile frames were rejected by the parsers");
            return allocated;
        }

        private static int CountConnected(TcpEngine tcp)
        {
            int n = 0;
            for (int i = 0; i < tcp.ConnectionCount; i++)
                if (tcp.ConnectionAt(i).IsConnected) n++;
            return n;
        }

        /// <summary>Random bytes (1 in 8), else a recorded frame with a few mutations, checksums fixed 3 times in 4.</summary>
        private static int NextFrame(Random random, FuzzableDevice device, int recorded)
        {
            byte[] f = device.Next;
            if (random.Next(8) == 0)
            {
                int n = random.Next(0, 1515);
                for (int i = 0; i < n; i++) f[i] = (byte)random.Next(256);
                return n;
            }
            int slot = random.Next(recorded);
            int length = device.RecordedLength[slot];
            Array.Copy(device.Recorded[slot], f, length);
            int mutations = random.Next(0, 4);
            for (int m = 0; m < mutations && length > 0; m++)
            {
                int at = random.Next(length);
                switch (random.Next(5))
                {
                    case 0: f[at] ^= (byte)(1 << random.Next(8)); break;
                    case 1: f[at] = (byte)random.Next(256); break;
                    case 2: if (length > 46) { int p = 38 + random.Next(8); f[p] = (byte)random.Next(256); } break; // TCP seq/ack bytes
                    case 3: if (length > 47) f[47] = (byte)(random.Next(64)); break;                               // TCP flags
                    default: length = random.Next(0, length + 1); break;
                }
            }
            if (random.Next(4) != 0)
                ChecksumFixer.Fix(f, length);
            return length;
        }

        /// <summary>What must hold for every connection whatever arrives (RFC 9293 3.3.1 relations).</summary>
        /// <remarks>Allocates only when a check fails (xunit's range asserts and the message would otherwise
        /// allocate inside the measured loop).</remarks>
        private static void CheckInvariants(TcpEngine tcp, int frame)
        {
            for (int i = 0; i < tcp.ConnectionCount; i++)
            {
                TcpConnection c = tcp.ConnectionAt(i);
                if (!c.InUse || c.State == TcpState.Closed)
                    continue;
                Check(SequenceNumber.LessOrEqual(c.SndUna, c.SndNxt), frame, i, c, "SND.UNA <= SND.NXT");
                Check(SequenceNumber.LessOrEqual(c.SndNxt, c.SndMax), frame, i, c, "SND.NXT <= SND.MAX");
                Check(c.SendBuffer.Count >= 0 && c.SendBuffer.Count <= c.SendBuffer.Capacity, frame, i, c, "send ring count within capacity");
                Check(c.ReceiveBuffer.Count >= 0 && c.ReceiveBuffer.Count <= c.ReceiveBuffer.Capacity, frame, i, c, "receive ring count within capacity");
                Check(c.OutOfOrder.Count >= 0 && c.OutOfOrder.Count <= tcp.Config.MaxOutOfOrderRanges, frame, i, c, "out-of-order ranges within the limit");
                int advertised = SequenceNumber.Distance(c.RcvAdvertisedEdge, c.RcvNxt);
                Check(advertised >= -1 && advertised <= c.ReceiveBuffer.Capacity, frame, i, c, "advertised edge within the receive ring");
                Check(c.SndWnd >= 0 && c.SndWnd <= 65535, frame, i, c, "SND.WND within 0..65535");
                Check(c.Mss >= tcp.Config.MinimumMss && c.Mss <= tcp.Config.LocalMss, frame, i, c, "MSS within the configured bounds");
                Check(c.Congestion.CongestionWindow > 0, frame, i, c, "cwnd > 0");
                if (c.FinSent)
                    Check(SequenceNumber.LessOrEqual(c.FinSequence, c.SndMax), frame, i, c, "FIN within what was sent");
            }
        }

        private static void Check(bool holds, int frame, int index, TcpConnection c, string what)
        {
            if (!holds)
                Assert.Fail($"frame {frame}, connection {index} in {TcpStateNames.Name(c.State)}: {what}");
        }
    }
}
