using System;
using System.Linq;
using NanoTcp.Wire;
using Xunit;
using Xunit.Abstractions;

namespace NanoTcp.Tests.Wire
{
    /// <summary>A seeded million frames, random and mutated, through every parser: no exception, no
    /// allocation, and every frame that parses emits back to the same header (issue 3).</summary>
    public sealed class WireFuzzTests
    {
        private const int Frames = 1_000_000;
        private readonly ITestOutputHelper _output;

        public WireFuzzTests(ITestOutputHelper output) => _output = output;

        private sealed class Tally
        {
            public readonly int[] Rejected = new int[(int)WireError.Count];
            public int Ethernet, Arp, Ipv4, Icmp, IcmpEmbedded, Udp, Tcp, TcpWithOptions, UrgentFlagged, RoundTripFailures;
            public string FirstFailure;
        }

        [Fact]
        public void MillionRandomAndMutatedFramesNeverThrowNorAllocateAndRoundTrip()
        {
            byte[][] seeds = GoldenFrame.All.Values.Where(f => !f.Has("vlan.id")).Select(f => f.Bytes).ToArray();
            var random = new Random(33);
            var frame = new byte[1600];
            var flush = new byte[1600]; // each frame is parsed flush against this buffer's end: any over-read throws
            var scratch = new byte[1600];
            var sack = new uint[8];
            var tally = new Tally();

            for (int i = 0; i < 1000; i++) // JIT and first-call allocations happen here, not in the measured run
                CheckFlush(frame, NextFrame(random, seeds, frame), flush, scratch, sack, tally);

            long before = ThreadAllocations.Start();
            for (int i = 0; i < Frames; i++)
                CheckFlush(frame, NextFrame(random, seeds, frame), flush, scratch, sack, tally);
            long allocated = ThreadAllocations.Since(before);

            _output.WriteLine($"parsed: ethernet {tally.Ethernet}, arp {tally.Arp}, ipv4 {tally.Ipv4}, icmp {tally.Icmp} " +
                              $"(embedded {tally.IcmpEmbedded}), udp {tally.Udp}, tcp {tally.Tcp} (with options {tally.TcpWithOptions}, urgent flagged {tally.UrgentFlagged})");
            for (int e = 1; e < (int)WireError.Count; e++)
                _output.WriteLine($"  {WireErrorNames.Name((WireError)e)}: {tally.Rejected[e]}");

            Assert.Equal(0, allocated);
            Assert.True(tally.RoundTripFailures == 0, tally.FirstFailure);
            // The run reached every parser's accepting path and every rejection reason.
            Assert.All(new[] { tally.Arp, tally.Ipv4, tally.Icmp, tally.IcmpEmbedded, tally.Udp, tally.Tcp, tally.TcpWithOptions, tally.UrgentFlagged },
                n => Assert.True(n > 500, $"a parser accepted only {n} frames"));
            for (int e = 1; e < (int)WireError.Count; e++)
                Assert.True(tally.Rejected[e] > 0, "never rejected for " + WireErrorNames.Name((WireError)e));
        }

        /// <summary>Fills frame with the next test frame; returns its length. Allocates nothing.</summary>
        private static int NextFrame(Random random, byte[][] seeds, byte[] frame)
        {
            int mode = random.Next(8);
            if (mode == 0)
            {
                int n = random.Next(0, 1515);
                for (int i = 0; i < n; i++) frame[i] = (byte)random.Next(256);
                return n;
            }
            byte[] seed = seeds[random.Next(seeds.Length)];
            Array.Copy(seed, frame, seed.Length);
            int length = seed.Length;
            if (mode >= 5 && seed.Length > 54 && seed[23] == 6)
                length = RandomTcpOptions(random, frame, seed);
            int mutations = random.Next(0, 6);
            for (int m = 0; m < mutations; m++)
            {
                int at = random.Next(length);
                switch (random.Next(4))
                {
                    case 0: frame[at] ^= (byte)(1 << random.Next(8)); break;
                    case 1: frame[at] = (byte)random.Next(256); break;
                    case 2: frame[at] = Interesting[random.Next(Interesting.Length)]; break;
                    default: length = random.Next(0, length + 1); break;
                }
            }
            if (random.Next(4) == 0 && length < 1514)
            {
                int extra = random.Next(1, 1514 - length);
                for (int i = 0; i < extra; i++) frame[length + i] = (byte)random.Next(256);
                length += extra;
            }
            if (mode >= 2)
                ChecksumFixer.Fix(frame, length);
            return length;
        }

        private static readonly byte[] Interesting = { 0, 1, 2, 3, 4, 5, 8, 10, 0x0F, 0x10, 0x40, 0x45, 0x4F, 0x50, 0x7F, 0x80, 0xF0, 0xFF };

        /// <summary>Replaces a TCP seed's options with random option-shaped bytes under a random data offset.</summary>
        private static int RandomTcpOptions(Random random, byte[] frame, byte[] seed)
        {
            const int ip = 14, tcp = 34;
            int optionBytes = random.Next(0, 11) * 4;
            int p = tcp + 20;
            while (p < tcp + 20 + optionBytes)
            {
                int kind = random.Next(10) switch { 0 => 0, 1 or 2 => 1, 3 => 2, 4 => 3, 5 => 4, 6 => 5, 7 => 8, _ => random.Next(256) };
                frame[p++] = (byte)kind;
                if (kind > 1 && p < tcp + 20 + optionBytes)
                {
                    int len = random.Next(3) == 0 ? random.Next(0, 42) : kind switch { 2 => 4, 3 => 3, 4 => 2, 5 => 2 + 8 * random.Next(1, 5), 8 => 10, _ => random.Next(2, 8) };
                    frame[p++] = (byte)len;
                    for (int i = 2; i < len && p < tcp + 20 + optionBytes; i++) frame[p++] = (byte)random.Next(256);
                }
            }
            int payload = random.Next(0, 64);
            for (int i = 0; i < payload; i++) frame[p++] = (byte)random.Next(256);
            frame[tcp + 12] = (byte)((((20 + optionBytes) / 4) << 4) | (frame[tcp + 12] & 0x0F));
            if (random.Next(3) == 0) frame[tcp + 13] |= 0x20; // URG, with whatever pointer the seed has
            int total = p - ip;
            frame[ip + 2] = (byte)(total >> 8);
            frame[ip + 3] = (byte)total;
            return p;
        }

        private static void Fail(Tally tally, string what)
        {
            tally.RoundTripFailures++;
            tally.FirstFailure ??= what;
        }

        private static void Reject(Tally tally, WireError error)
        {
            if (error != WireError.None) tally.Rejected[(int)error]++;
        }

        private static void CheckFlush(byte[] frame, int length, byte[] flush, byte[] scratch, uint[] sack, Tally tally)
        {
            int start = flush.Length - length;
            Array.Copy(frame, 0, flush, start, length);
            Check(flush, start, length, scratch, sack, tally);
        }

        private static void Check(byte[] f, int start, int length, byte[] scratch, uint[] sack, Tally tally)
        {
            WireError error = EthernetFrame.TryParse(f, start, length, out EthernetFrame eth);
            Reject(tally, error);
            if (error == WireError.None)
            {
                tally.Ethernet++;
                EthernetFrame.Emit(scratch, 0, f, eth.DestinationOffset, f, eth.SourceOffset, eth.EtherTypeValue);
                if (!SameBytes(f, start, scratch, 0, EthernetFrame.HeaderLength)) Fail(tally, "ethernet");
            }
            if (length < EthernetFrame.HeaderLength)
                return;
            int at = start + EthernetFrame.HeaderLength, available = length - EthernetFrame.HeaderLength;

            // Every parser sees every frame at the network offset, whatever the EtherType says.
            error = ArpPacket.TryParse(f, at, available, out ArpPacket arp);
            Reject(tally, error);
            if (error == WireError.None)
            {
                tally.Arp++;
                ArpPacket.Emit(scratch, 0, arp.Operation, f, arp.SenderHardwareOffset, arp.SenderProtocolAddress,
                    f, arp.TargetHardwareOffset, arp.TargetProtocolAddress);
                if (!SameBytes(f, at, scratch, 0, ArpPacket.Length)) Fail(tally, "arp");
            }

            error = Ipv4Packet.TryParse(f, at, available, out Ipv4Packet ip);
            Reject(tally, error);
            if (error != WireError.None)
                return;
            tally.Ipv4++;
            Array.Copy(f, at + 20, scratch, 20, ip.HeaderLength - 20);
            Ipv4Packet.Emit(scratch, 0, ip.ToHeader());
            if (!SameBytes(f, at, scratch, 0, ip.HeaderLength)) Fail(tally, "ipv4");
            _ = ip.IsFragment; _ = ip.DontFragment; _ = ip.TimeToLive;

            int t = ip.PayloadOffset, tl = ip.PayloadLength;
            error = IcmpV4Message.TryParse(f, t, tl, out IcmpV4Message icmp);
            Reject(tally, error);
            if (error == WireError.None)
            {
                tally.Icmp++;
                if (icmp.TryGetEmbeddedPacket(out Ipv4Packet inner))
                {
                    tally.IcmpEmbedded++;
                    _ = inner.Source; _ = inner.Destination; _ = inner.Protocol;
                    if (inner.PayloadLength < 0 || inner.PayloadOffset + inner.PayloadLength > t + tl) Fail(tally, "icmp embedded range");
                }
                bool echo = (icmp.Type == 0 || icmp.Type == 8) && icmp.Code == 0;
                if (echo)
                {
                    Array.Copy(f, icmp.PayloadOffset, scratch, 8, icmp.PayloadLength);
                    IcmpV4Message.EmitEcho(scratch, 0, icmp.Type, icmp.Identifier, icmp.SequenceNumber, icmp.PayloadLength);
                    if (!SameBytes(f, t, scratch, 0, tl)) Fail(tally, "icmp echo");
                }
            }

            error = UdpDatagram.TryParse(f, t, tl, ip.Source, ip.Destination, out UdpDatagram udp);
            Reject(tally, error);
            if (error == WireError.None)
            {
                tally.Udp++;
                Array.Copy(f, udp.PayloadOffset, scratch, 8, udp.PayloadLength);
                UdpDatagram.Emit(scratch, 0, udp.SourcePort, udp.DestinationPort, udp.PayloadLength, ip.Source, ip.Destination);
                int compare = udp.Checksum == 0 ? 6 : 8; // a sender may omit the checksum; we never do
                if (!SameBytes(f, t, scratch, 0, compare) || !SameBytes(f, udp.PayloadOffset, scratch, 8, udp.PayloadLength))
                    Fail(tally, "udp");
            }

            error = TcpSegment.TryParse(f, t, tl, ip.Source, ip.Destination, out TcpSegment tcp);
            Reject(tally, error);
            if (error == WireError.None)
            {
                tally.Tcp++;
                if (tcp.HeaderLength > 20) tally.TcpWithOptions++;
                if (tcp.UrgentPointerBeyondSegment) tally.UrgentFlagged++;
                TcpHeader header = tcp.ToHeader(sack);
                int hl = header.HeaderLength;
                Array.Copy(f, tcp.PayloadOffset, scratch, hl, tcp.PayloadLength);
                header.Emit(scratch, 0, tcp.PayloadLength, ip.Source, ip.Destination);
                if (TcpSegment.TryParse(scratch, 0, hl + tcp.PayloadLength, ip.Source, ip.Destination, out TcpSegment again) != WireError.None
                    || !SameTcp(tcp, again, header.SackBlocksThatFit))
                    Fail(tally, "tcp");
            }
        }

        private static bool SameTcp(TcpSegment a, TcpSegment b, int sackBlocks)
        {
            if (a.SourcePort != b.SourcePort || a.DestinationPort != b.DestinationPort || a.SequenceNumber != b.SequenceNumber
                || a.AcknowledgmentNumber != b.AcknowledgmentNumber || a.Flags != b.Flags || a.Window != b.Window
                || a.UrgentPointer != b.UrgentPointer || a.MaximumSegmentSize != b.MaximumSegmentSize || a.WindowScale != b.WindowScale
                || a.SackPermitted != b.SackPermitted || a.HasTimestamp != b.HasTimestamp || a.TimestampValue != b.TimestampValue
                || a.TimestampEcho != b.TimestampEcho || a.PayloadLength != b.PayloadLength || b.SackBlockCount != sackBlocks)
                return false;
            for (int i = 0; i < sackBlocks; i++)
                if (a.SackLeftEdge(i) != b.SackLeftEdge(i) || a.SackRightEdge(i) != b.SackRightEdge(i))
                    return false;
            return SameBytes(a.Buffer, a.PayloadOffset, b.Buffer, b.PayloadOffset, a.PayloadLength);
        }

        private static bool SameBytes(byte[] a, int aOffset, byte[] b, int bOffset, int length)
        {
            for (int i = 0; i < length; i++)
                if (a[aOffset + i] != b[bOffset + i]) return false;
            return true;
        }
    }
}
