using System;
using System.Buffers.Binary;
using NanoTcp.Boards.Desktop;
using NanoTcp.Wire;
using Xunit;

namespace NanoTcp.Tests.Host
{
    /// <summary>The TAP's GSO writes: which segments may be joined (a run must be cut back into the same
    /// segments, as the kernel's tcp_gso_segment would), and the virtio_net_hdr fields from linux/virtio_net.h
    /// (flags, gso_type, hdr_len, gso_size, csum_start, csum_offset, little-endian).</summary>
    public sealed class TcpSegmentCoalescerTests
    {
        private const uint Source = 0x0A4E0102, Destination = 0x0A4E0101;

        /// <summary>Ethernet II + IPv4 (DF, no options) + TCP without options; checksums filled in.</summary>
        private static byte[] Segment(uint seq, int payload, byte flags = 0x10, ushort srcPort = 19, ushort window = 2048, uint ack = 1000, byte fill = 0x41, ushort id = 0)
        {
            var f = new byte[14 + 20 + 20 + payload];
            for (int i = 0; i < 6; i++) { f[i] = 0x02; f[6 + i] = 0x04; }
            f[12] = 0x08;
            f[14] = 0x45;
            BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(16), (ushort)(40 + payload));
            BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(18), id);
            f[20] = 0x40; // DF
            f[22] = 64;
            f[23] = 6;
            BinaryPrimitives.WriteUInt32BigEndian(f.AsSpan(26), Source);
            BinaryPrimitives.WriteUInt32BigEndian(f.AsSpan(30), Destination);
            BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(24), InternetChecksum.Compute(f, 14, 20));
            BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(34), srcPort);
            BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(36), 50000);
            BinaryPrimitives.WriteUInt32BigEndian(f.AsSpan(38), seq);
            BinaryPrimitives.WriteUInt32BigEndian(f.AsSpan(42), ack);
            f[46] = 0x50;
            f[47] = flags;
            BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(48), window);
            for (int i = 0; i < payload; i++)
                f[54 + i] = (byte)(fill + i % 7);
            uint sum = InternetChecksum.AddPseudoHeader(Source, Destination, 6, 20 + payload, InternetChecksum.Add(f, 34, 20 + payload, 0));
            BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(50), InternetChecksum.Finish(sum));
            return f;
        }

        private static TcpSegmentCoalescer Run(byte[] first)
        {
            var run = new TcpSegmentCoalescer();
            run.Start(first, 0, first.Length);
            return run;
        }

        [Fact]
        public void ContinuingSegmentsBecomeOneGsoFrameThatCutsBackIntoThem()
        {
            byte[] a = Segment(5000, 1460), b = Segment(6460, 1460, window: 1024, ack: 1100, fill: 0x50), c = Segment(7920, 300, flags: 0x18, window: 1024, ack: 1100, fill: 0x60);
            TcpSegmentCoalescer run = Run(a);
            Assert.True(run.TryAppend(b, 0, b.Length));
            Assert.True(run.TryAppend(c, 0, c.Length));
            Assert.True(run.IsClosed); // a shorter segment is the last one a run can take
            run.Seal();
            byte[] w = run.Buffer.AsSpan(0, run.Length).ToArray();
            const int H = TcpSegmentCoalescer.VnetHeaderLength;
            Assert.Equal(H + 54 + 1460 + 1460 + 300, w.Length);
            Assert.Equal(1, w[0]); // VIRTIO_NET_HDR_F_NEEDS_CSUM
            Assert.Equal(1, w[1]); // VIRTIO_NET_HDR_GSO_TCPV4
            Assert.Equal(54, BinaryPrimitives.ReadUInt16LittleEndian(w.AsSpan(2)));   // hdr_len
            Assert.Equal(1460, BinaryPrimitives.ReadUInt16LittleEndian(w.AsSpan(4))); // gso_size
            Assert.Equal(34, BinaryPrimitives.ReadUInt16LittleEndian(w.AsSpan(6)));   // csum_start: the TCP header
            Assert.Equal(16, BinaryPrimitives.ReadUInt16LittleEndian(w.AsSpan(8)));   // csum_offset: its checksum field
            Assert.Equal(20 + 20 + 3220, BinaryPrimitives.ReadUInt16BigEndian(w.AsSpan(H + 16)));
            Assert.Equal(0, InternetChecksum.Compute(w, H + 14, 20)); // the IPv4 header checksum holds
            Assert.Equal(5000u, BinaryPrimitives.ReadUInt32BigEndian(w.AsSpan(H + 38)));
            Assert.Equal(1100u, BinaryPrimitives.ReadUInt32BigEndian(w.AsSpan(H + 42))); // the latest ACK
            Assert.Equal(1024, BinaryPrimitives.ReadUInt16BigEndian(w.AsSpan(H + 48)));  // and window
            Assert.Equal(0x18, w[H + 47]); // PSH, from the last segment
            Assert.True(w.AsSpan(H + 54, 1460).SequenceEqual(a.AsSpan(54)));
            Assert.True(w.AsSpan(H + 54 + 1460, 1460).SequenceEqual(b.AsSpan(54)));
            Assert.True(w.AsSpan(H + 54 + 2920, 300).SequenceEqual(c.AsSpan(54)));
            // NEEDS_CSUM: finishing the sum from csum_start over the rest of the packet, starting from the field's
            // pseudo-header sum, gives a checksum the receiver accepts (the pseudo-header and all checks to zero).
            ushort check = InternetChecksum.Finish(InternetChecksum.Add(w, H + 34, w.Length - H - 34, 0));
            BinaryPrimitives.WriteUInt16BigEndian(w.AsSpan(H + 50), check);
            uint verify = InternetChecksum.AddPseudoHeader(Source, Destination, 6, w.Length - H - 34, InternetChecksum.Add(w, H + 34, w.Length - H - 34, 0));
            Assert.Equal(0, InternetChecksum.Finish(verify));
        }

        [Fact]
        public void TheSplitterCutsARunBackIntoTheSegmentsItWasMadeOf()
        {
            // As the kernel's tcp_gso_segment: IDs counted up, sequence advanced, PSH and FIN on the last only.
            byte[][] segments =
            {
                Segment(9000, 1460, id: 77, fill: 0x30), Segment(10460, 1460, id: 78, fill: 0x31),
                Segment(11920, 1460, id: 79, fill: 0x32), Segment(13380, 10, flags: 0x18, id: 80, fill: 0x33),
            };
            TcpSegmentCoalescer run = Run(segments[0]);
            for (int i = 1; i < segments.Length; i++)
                Assert.True(run.TryAppend(segments[i], 0, segments[i].Length));
            run.Seal();
            byte[] read = run.Buffer.AsSpan(0, run.Length).ToArray();
            // The sender's own TCP header differs from each segment's only where GSO rewrites it; give it the
            // first segment's flags as a sender would (PSH set on the run), to see PSH kept off the others.
            read[TcpSegmentCoalescer.VnetHeaderLength + 47] = 0x18;
            var split = new GsoFrameSplitter();
            Assert.True(split.Load(read, TcpSegmentCoalescer.VnetHeaderLength, read.Length));
            Assert.Equal(4, split.Pending);
            var frame = new byte[1514];
            foreach (byte[] expected in segments)
            {
                int n = split.Next(frame, 0, frame.Length, TcpSegmentCoalescer.VnetHeaderLength);
                Assert.Equal(expected.Length, n);
                Assert.Equal(BitConverter.ToString(expected), BitConverter.ToString(frame, 0, n));
            }
            Assert.Equal(0, split.Next(frame, 0, frame.Length, TcpSegmentCoalescer.VnetHeaderLength));
        }

        [Fact]
        public void ALoneFrameWhoseChecksumIsLeftToUsGetsItFinished()
        {
            // VIRTIO_NET_HDR_F_NEEDS_CSUM without GSO: the field holds the pseudo-header sum, the rest is ours.
            byte[] segment = Segment(1, 200, flags: 0x18);
            var read = new byte[TcpSegmentCoalescer.VnetHeaderLength + segment.Length];
            segment.CopyTo(read, TcpSegmentCoalescer.VnetHeaderLength);
            read[0] = 1;
            BinaryPrimitives.WriteUInt16LittleEndian(read.AsSpan(6), 34);
            BinaryPrimitives.WriteUInt16LittleEndian(read.AsSpan(8), 16);
            ushort pseudo = (ushort)~InternetChecksum.Finish(InternetChecksum.AddPseudoHeader(Source, Destination, 6, 220, 0));
            BinaryPrimitives.WriteUInt16BigEndian(read.AsSpan(TcpSegmentCoalescer.VnetHeaderLength + 50), pseudo);
            var split = new GsoFrameSplitter();
            Assert.True(split.Load(read, TcpSegmentCoalescer.VnetHeaderLength, read.Length));
            var frame = new byte[1514];
            int n = split.Next(frame, 0, frame.Length, TcpSegmentCoalescer.VnetHeaderLength);
            Assert.Equal(BitConverter.ToString(segment), BitConverter.ToString(frame, 0, n));
        }

        [Fact]
        public void AGsoFrameOfAnotherKindIsDropped()
        {
            byte[] segment = Segment(1, 1000);
            var read = new byte[TcpSegmentCoalescer.VnetHeaderLength + segment.Length];
            segment.CopyTo(read, TcpSegmentCoalescer.VnetHeaderLength);
            read[1] = 3; // VIRTIO_NET_HDR_GSO_UDP: not offered by TUNSETOFFLOAD, so not expected
            BinaryPrimitives.WriteUInt16LittleEndian(read.AsSpan(4), 500);
            var split = new GsoFrameSplitter();
            Assert.False(split.Load(read, TcpSegmentCoalescer.VnetHeaderLength, read.Length));
            Assert.Equal(0, split.Pending);
            Assert.Equal(1, split.FramesRejected);
        }

        [Fact]
        public void JoiningAndCuttingAllocateNothingPerFrame()
        {
            var run = new TcpSegmentCoalescer();
            var split = new GsoFrameSplitter();
            var frame = new byte[1514];
            byte[][] segments = new byte[44][];
            for (int i = 0; i < segments.Length; i++)
                segments[i] = Segment((uint)(i * 1460), 1460, id: (ushort)i);
            void Round()
            {
                run.Clear();
                run.Start(segments[0], 0, segments[0].Length);
                for (int i = 1; i < segments.Length; i++)
                    run.TryAppend(segments[i], 0, segments[i].Length);
                run.Seal();
                split.Load(run.Buffer, TcpSegmentCoalescer.VnetHeaderLength, run.Length);
                while (split.Next(frame, 0, frame.Length, TcpSegmentCoalescer.VnetHeaderLength) > 0) { }
            }
            Round(); // JIT and first-use costs
            long start = ThreadAllocations.Start(); // the window every zero-allocation test opens (see ThreadAllocations)
            for (int r = 0; r < 500; r++)
                Round();
            Assert.Equal(0, ThreadAllocations.Since(start)); // 22,000 segments each way
        }

        [Fact]
        public void ALoneSegmentGoesAsItIsWithAnEmptyVnetHeader()
        {
            byte[] a = Segment(5000, 100);
            TcpSegmentCoalescer run = Run(a);
            run.Seal();
            Assert.Equal(TcpSegmentCoalescer.VnetHeaderLength + a.Length, run.Length);
            Assert.True(run.Buffer.AsSpan(0, TcpSegmentCoalescer.VnetHeaderLength).SequenceEqual(new byte[TcpSegmentCoalescer.VnetHeaderLength]));
            Assert.True(run.Buffer.AsSpan(TcpSegmentCoalescer.VnetHeaderLength, a.Length).SequenceEqual(a));
        }

        public static TheoryData<string, byte[]> NotContinuations => new TheoryData<string, byte[]>
        {
            { "a gap in sequence", Segment(6461, 1460) },
            { "a retransmission", Segment(5000, 1460) },
            { "another flow", Segment(6460, 1460, srcPort: 7) },
            { "FIN", Segment(6460, 1460, flags: 0x11) },
            { "RST", Segment(6460, 1460, flags: 0x14) },
            { "larger than the run's segments", Segment(6460, 1461) },
            { "a pure ACK", Segment(6460, 0) },
        };

        [Theory]
        [MemberData(nameof(NotContinuations))]
        public void WhatTheKernelWouldNotCutBackIsNotJoined(string why, byte[] next)
        {
            TcpSegmentCoalescer run = Run(Segment(5000, 1460));
            Assert.False(run.TryAppend(next, 0, next.Length), why);
            Assert.Equal(1, run.Segments);
        }

        [Fact]
        public void NothingJoinsAfterAShorterSegmentAPushOrANonCandidate()
        {
            TcpSegmentCoalescer run = Run(Segment(5000, 1000));
            byte[] shorter = Segment(6000, 500), next = Segment(6500, 500);
            Assert.True(run.TryAppend(shorter, 0, shorter.Length));
            Assert.False(run.TryAppend(next, 0, next.Length));
            run.Clear();
            run.Start(Segment(7000, 1000), 0, 1054);
            byte[] pushed = Segment(8000, 1000, flags: 0x18), after = Segment(9000, 1000);
            Assert.True(run.TryAppend(pushed, 0, pushed.Length));
            Assert.True(run.IsClosed); // PSH: the sender's last queued byte; nothing of this burst follows
            Assert.False(run.TryAppend(after, 0, after.Length));
            byte[] syn = Segment(1, 0, flags: 0x12);
            run.Clear();
            run.Start(syn, 0, syn.Length);
            Assert.True(run.IsClosed);
        }

        [Fact]
        public void ARunStopsBelowTheIpv4LengthLimit()
        {
            TcpSegmentCoalescer run = Run(Segment(0, 1460));
            uint seq = 1460;
            int joined = 1;
            while (true)
            {
                byte[] s = Segment(seq, 1460);
                if (!run.TryAppend(s, 0, s.Length))
                    break;
                seq += 1460;
                joined++;
            }
            Assert.Equal((65535 - 40) / 1460, joined); // 44 segments: the IPv4 total length is 16 bits
            Assert.True(run.Length - TcpSegmentCoalescer.VnetHeaderLength - 14 <= 65535);
        }
    }
}
