using System;
using NanoTcp.Wire;
using Xunit;

namespace NanoTcp.Tests.Wire
{
    /// <summary>One test per hostile-input class (issue 3; TCP.md: AMNESIA:33, NUMBER:JACK). Each packet is
    /// valid but for the one thing under test, so the reason code proves which check caught it.</summary>
    public sealed class HostileInputTests
    {
        private const uint Src = HandMadePackets.Source, Dst = HandMadePackets.Destination;

        private static WireError ParseTcp(byte[] ip, out TcpSegment segment)
        {
            segment = default;
            WireError error = Ipv4Packet.TryParse(ip, 0, ip.Length, out Ipv4Packet packet);
            return error != WireError.None ? error : TcpSegment.TryParse(ip, packet.PayloadOffset, packet.PayloadLength, Src, Dst, out segment);
        }

        private static WireError ParseUdp(byte[] ip)
        {
            WireError error = Ipv4Packet.TryParse(ip, 0, ip.Length, out Ipv4Packet packet);
            return error != WireError.None ? error : UdpDatagram.TryParse(ip, packet.PayloadOffset, packet.PayloadLength, Src, Dst, out _);
        }

        [Fact]
        public void HandMadeBaselinesParse()
        {
            Assert.Equal(WireError.None, ParseTcp(HandMadePackets.Tcp(payload: new byte[] { 1, 2, 3 }), out TcpSegment s));
            Assert.Equal(3, s.PayloadLength);
            Assert.Equal(WireError.None, ParseUdp(HandMadePackets.Udp(new byte[] { 9, 9 })));
            byte[] icmp = HandMadePackets.Icmp(8, 0, new byte[4]);
            Assert.Equal(WireError.None, IcmpV4Message.TryParse(icmp, 20, icmp.Length - 20, out _));
        }

        // Truncation and caller ranges: every parser, every length below its header, never an exception.
        [Fact]
        public void TruncatedHeadersAreRejectedByEveryParser()
        {
            var buffer = new byte[64];
            for (int length = 0; length < 28; length++)
            {
                if (length < EthernetFrame.HeaderLength) Assert.Equal(WireError.Truncated, EthernetFrame.TryParse(buffer, 0, length, out _));
                Assert.Equal(WireError.Truncated, ArpPacket.TryParse(buffer, 0, length, out _));
                if (length < 20) Assert.Equal(WireError.Truncated, Ipv4Packet.TryParse(buffer, 0, length, out _));
                if (length < 20) Assert.Equal(WireError.Truncated, TcpSegment.TryParse(buffer, 0, length, Src, Dst, out _));
                if (length < 8) Assert.Equal(WireError.Truncated, UdpDatagram.TryParse(buffer, 0, length, Src, Dst, out _));
                if (length < 8) Assert.Equal(WireError.Truncated, IcmpV4Message.TryParse(buffer, 0, length, out _));
            }
        }

        [Theory]
        [InlineData(-1, 10)]
        [InlineData(0, 65)]
        [InlineData(60, 10)]
        [InlineData(int.MaxValue, 10)]
        [InlineData(10, int.MaxValue)]
        [InlineData(0, -5)]
        public void RangesOutsideTheBufferAreTruncatedNotExceptions(int offset, int length)
        {
            var buffer = new byte[64];
            Assert.Equal(WireError.Truncated, EthernetFrame.TryParse(buffer, offset, length, out _));
            Assert.Equal(WireError.Truncated, ArpPacket.TryParse(buffer, offset, length, out _));
            Assert.Equal(WireError.Truncated, Ipv4Packet.TryParse(buffer, offset, length, out _));
            Assert.Equal(WireError.Truncated, IcmpV4Message.TryParse(buffer, offset, length, out _));
            Assert.Equal(WireError.Truncated, UdpDatagram.TryParse(buffer, offset, length, Src, Dst, out _));
            Assert.Equal(WireError.Truncated, TcpSegment.TryParse(buffer, offset, length, Src, Dst, out _));
            Assert.Equal(WireError.Truncated, TcpSegment.TryParse(null, 0, 0, Src, Dst, out _));
        }

        [Fact]
        public void VlanTaggedFramesAreDroppedWithAReason()
        {
            byte[] frame = GoldenFrame.Get("vlan_tagged_arp").Bytes;
            Assert.Equal(WireError.EthernetVlanTagged, EthernetFrame.TryParse(frame, 0, frame.Length, out _));
        }

        [Fact]
        public void ArpOtherThanEthernetIpv4OrUnknownOperationIsRejected()
        {
            byte[] frame = GoldenFrame.Get("arp_request").Bytes;
            var copy = (byte[])frame.Clone();
            copy[14 + 1] = 6; // hardware type 6 (IEEE 802)
            Assert.Equal(WireError.ArpUnsupportedFormat, ArpPacket.TryParse(copy, 14, copy.Length - 14, out _));
            copy = (byte[])frame.Clone();
            copy[14 + 5] = 16; // protocol length 16
            Assert.Equal(WireError.ArpUnsupportedFormat, ArpPacket.TryParse(copy, 14, copy.Length - 14, out _));
            copy = (byte[])frame.Clone();
            copy[14 + 7] = 3; // RARP request
            Assert.Equal(WireError.ArpBadOperation, ArpPacket.TryParse(copy, 14, copy.Length - 14, out _));
        }

        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        [InlineData(4)]
        public void Ipv4HeaderLengthBelowFiveWordsIsRejected(int ihl)
        {
            byte[] p = HandMadePackets.Udp(new byte[8]);
            p[0] = (byte)(0x40 | ihl);
            Assert.Equal(WireError.Ipv4HeaderLengthTooSmall, Ipv4Packet.TryParse(p, 0, p.Length, out _));
        }

        [Fact]
        public void Ipv4HeaderLengthPastThePacketIsRejected()
        {
            byte[] p = HandMadePackets.Udp(Array.Empty<byte>()); // 28 bytes
            p[0] = 0x4F;                                         // IHL 60 bytes
            Assert.Equal(WireError.Ipv4HeaderBeyondPacket, Ipv4Packet.TryParse(p, 0, p.Length, out _));
        }

        [Fact]
        public void Ipv4TotalLengthLargerThanTheFrameIsRejected()
        {
            byte[] p = HandMadePackets.Udp(new byte[4]);
            p[2] = 0x05; p[3] = 0xDC; // 1500
            HandMadePackets.FixIpChecksum(p);
            Assert.Equal(WireError.Ipv4TotalLengthBeyondFrame, Ipv4Packet.TryParse(p, 0, p.Length, out _));
        }

        [Fact]
        public void Ipv4TotalLengthSmallerThanTheHeaderIsRejected()
        {
            byte[] p = HandMadePackets.Udp(new byte[4]);
            p[2] = 0; p[3] = 19;
            HandMadePackets.FixIpChecksum(p);
            Assert.Equal(WireError.Ipv4TotalLengthBelowHeader, Ipv4Packet.TryParse(p, 0, p.Length, out _));
        }

        [Fact]
        public void Ipv4BadHeaderChecksumAndWrongVersionAreRejected()
        {
            byte[] p = HandMadePackets.Udp(new byte[4]);
            p[11] ^= 0x01;
            Assert.Equal(WireError.Ipv4BadChecksum, Ipv4Packet.TryParse(p, 0, p.Length, out _));
            p = HandMadePackets.Udp(new byte[4]);
            p[0] = 0x65;
            Assert.Equal(WireError.Ipv4BadVersion, Ipv4Packet.TryParse(p, 0, p.Length, out _));
        }

        [Fact]
        public void EthernetPaddingAfterTotalLengthIsTrimmed()
        {
            byte[] p = HandMadePackets.Udp(new byte[2]);
            var padded = new byte[p.Length + 16];
            p.CopyTo(padded, 0);
            Assert.Equal(WireError.None, Ipv4Packet.TryParse(padded, 0, padded.Length, out Ipv4Packet packet));
            Assert.Equal(p.Length, packet.Length);
            Assert.Equal(WireError.None, UdpDatagram.TryParse(padded, packet.PayloadOffset, packet.PayloadLength, Src, Dst, out _));
        }

        [Fact]
        public void Ipv4OptionsAreSkippedByHeaderLength()
        {
            byte[] udp = HandMadePackets.Udp(new byte[] { 1, 2, 3 });
            byte[] withOptions = HandMadePackets.Ip(17, udp[20..], new byte[] { 0x94, 0x04, 0x00, 0x00, 0x01, 0x01, 0x01, 0x00 });
            Assert.Equal(WireError.None, Ipv4Packet.TryParse(withOptions, 0, withOptions.Length, out Ipv4Packet packet));
            Assert.Equal(28, packet.HeaderLength);
            Assert.Equal(WireError.None, UdpDatagram.TryParse(withOptions, packet.PayloadOffset, packet.PayloadLength, Src, Dst, out UdpDatagram d));
            Assert.Equal(3, d.PayloadLength);
        }

        [Fact]
        public void FragmentsAreRecognisedWhateverTheirOffset()
        {
            foreach (string name in new[] { "ipv4_fragment_first", "ipv4_fragment_last" })
            {
                byte[] f = GoldenFrame.Get(name).Bytes;
                Assert.Equal(WireError.None, Ipv4Packet.TryParse(f, 14, f.Length - 14, out Ipv4Packet packet));
                Assert.True(packet.IsFragment, name);
            }
            byte[] p = HandMadePackets.Udp(new byte[4]);
            p[6] = 0x1F; p[7] = 0xFF; // largest fragment offset, MF clear: offset*8 would run past 64 KB
            HandMadePackets.FixIpChecksum(p);
            Assert.Equal(WireError.None, Ipv4Packet.TryParse(p, 0, p.Length, out Ipv4Packet last));
            Assert.True(last.IsFragment);
            Assert.Equal(0x1FFF, last.FragmentOffset);
        }

        [Fact]
        public void IcmpBadChecksumIsRejected()
        {
            byte[] p = HandMadePackets.Icmp(8, 0, new byte[] { 0, 1, 0, 1, 0xAA });
            p[25] ^= 0x80;
            Assert.Equal(WireError.IcmpBadChecksum, IcmpV4Message.TryParse(p, 20, p.Length - 20, out _));
        }

        [Fact]
        public void IcmpErrorsWithUnreadableQuotedHeadersYieldNoEmbeddedPacket()
        {
            // quoted header claims IHL 60 but only 24 bytes follow
            var quoted = new byte[24];
            quoted[0] = 0x4F;
            byte[] p = HandMadePackets.Icmp(3, 3, quoted);
            Assert.Equal(WireError.None, IcmpV4Message.TryParse(p, 20, p.Length - 20, out IcmpV4Message m));
            Assert.False(m.TryGetEmbeddedPacket(out _));
            // quoted part shorter than a header
            p = HandMadePackets.Icmp(11, 0, new byte[] { 0x45, 0, 0, 0x1C });
            Assert.Equal(WireError.None, IcmpV4Message.TryParse(p, 20, p.Length - 20, out m));
            Assert.False(m.TryGetEmbeddedPacket(out _));
            // echo messages carry no quoted packet
            p = HandMadePackets.Icmp(8, 0, new byte[28]);
            Assert.Equal(WireError.None, IcmpV4Message.TryParse(p, 20, p.Length - 20, out m));
            Assert.False(m.TryGetEmbeddedPacket(out _));
        }

        [Theory]
        [InlineData(100)] // larger than the IP payload
        [InlineData(9)]   // smaller than the IP payload
        [InlineData(7)]   // smaller than the UDP header
        [InlineData(0)]
        public void UdpLengthMismatchIsRejected(int lengthField)
        {
            Assert.Equal(WireError.UdpLengthMismatch, ParseUdp(HandMadePackets.Udp(new byte[] { 1, 2, 3, 4 }, lengthField)));
        }

        [Fact]
        public void UdpBadChecksumIsRejectedAndZeroMeansNone()
        {
            byte[] p = HandMadePackets.Udp(new byte[] { 1, 2, 3, 4 });
            p[p.Length - 1] ^= 0x01;
            Assert.Equal(WireError.UdpBadChecksum, ParseUdp(p));
            Assert.Equal(WireError.None, ParseUdp(HandMadePackets.Udp(new byte[] { 1, 2, 3, 4 }, checksum: false)));
        }

        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        [InlineData(4)]
        public void TcpDataOffsetBelowFiveWordsIsRejected(int words)
        {
            Assert.Equal(WireError.TcpDataOffsetTooSmall, ParseTcp(HandMadePackets.Tcp(dataOffsetWords: words), out _));
        }

        [Fact]
        public void TcpDataOffsetPastTheSegmentIsRejected()
        {
            Assert.Equal(WireError.TcpDataOffsetBeyondSegment, ParseTcp(HandMadePackets.Tcp(payload: new byte[8], dataOffsetWords: 15), out _));
        }

        [Theory]
        [InlineData(new byte[] { 2, 0, 0, 0 })]          // MSS kind with length 0: a naive parser never advances
        [InlineData(new byte[] { 99, 0, 1, 1 })]         // unknown kind, length 0
        [InlineData(new byte[] { 1, 1, 99, 1 })]         // length 1 after NOPs
        [InlineData(new byte[] { 8, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]
        public void TcpOptionLengthZeroOrOneIsRejected(byte[] options)
        {
            Assert.Equal(WireError.TcpOptionLengthInvalid, ParseTcp(HandMadePackets.Tcp(options), out _));
        }

        [Theory]
        [InlineData(new byte[] { 99, 40, 0, 0 })]        // claims 40 bytes, 4 in the header
        [InlineData(new byte[] { 1, 1, 1, 2 })]          // MSS kind in the last byte: its length byte is missing
        [InlineData(new byte[] { 5, 18, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]
        public void TcpOptionRunningPastTheHeaderIsRejected(byte[] options)
        {
            Assert.Equal(WireError.TcpOptionBeyondHeader, ParseTcp(HandMadePackets.Tcp(options), out _));
        }

        [Theory]
        [InlineData(new byte[] { 2, 3, 5, 1 })]
        [InlineData(new byte[] { 2, 5, 5, 180, 0, 1, 1, 1 })]
        [InlineData(new byte[] { 2, 2, 1, 1 })]
        public void TcpMssOptionOfWrongLengthIsRejected(byte[] options)
        {
            Assert.Equal(WireError.TcpMssOptionLength, ParseTcp(HandMadePackets.Tcp(options), out _));
        }

        [Theory]
        [InlineData(new byte[] { 3, 2, 1, 1 })]                                  // window scale, length 2
        [InlineData(new byte[] { 3, 4, 7, 0 })]                                  // window scale, length 4
        [InlineData(new byte[] { 4, 3, 0, 1 })]                                  // SACK-permitted, length 3
        [InlineData(new byte[] { 5, 9, 0, 0, 0, 1, 0, 0, 0, 2, 1, 1 })]          // SACK, 7 bytes of edges
        [InlineData(new byte[] { 5, 2, 1, 1 })]                                  // SACK, no block
        [InlineData(new byte[] { 8, 8, 0, 0, 0, 1, 0, 0 })]                      // timestamps, length 8
        public void TcpKnownOptionsOfImpossibleLengthAreRejected(byte[] options)
        {
            Assert.Equal(WireError.TcpOptionWrongLength, ParseTcp(HandMadePackets.Tcp(options), out _));
        }

        [Fact]
        public void TcpUnknownOptionsAreSkippedAndEndOfListStopsParsing()
        {
            byte[] options = { 99, 6, 1, 2, 3, 4, 2, 4, 0x02, 0x18, 0, 2, 0, 0, 0, 0 }; // unknown(6), MSS 536, EOL, then junk
            Assert.Equal(WireError.None, ParseTcp(HandMadePackets.Tcp(options), out TcpSegment s));
            Assert.Equal(536, s.MaximumSegmentSize);
            Assert.Equal(-1, s.WindowScale);
        }

        [Fact]
        public void TcpHeaderOfFortyNopsParses()
        {
            byte[] options = new byte[40];
            Array.Fill(options, (byte)1);
            Assert.Equal(WireError.None, ParseTcp(HandMadePackets.Tcp(options, new byte[] { 7 }), out TcpSegment s));
            Assert.Equal(60, s.HeaderLength);
            Assert.Equal(1, s.PayloadLength);
        }

        [Fact]
        public void TcpMssOfZeroIsReadAsZeroForTheEngineToClamp()
        {
            Assert.Equal(WireError.None, ParseTcp(HandMadePackets.Tcp(new byte[] { 2, 4, 0, 0 }, flags: 0x02), out TcpSegment s));
            Assert.Equal(0, s.MaximumSegmentSize);
        }

        [Fact]
        public void TcpBadChecksumIsRejected()
        {
            byte[] p = HandMadePackets.Tcp(payload: new byte[] { 1, 2, 3 });
            p[p.Length - 2] ^= 0x10;
            Assert.Equal(WireError.TcpBadChecksum, ParseTcp(p, out _));
        }

        [Theory]
        [InlineData(4, 3, false)]      // points inside the data
        [InlineData(3, 3, false)]      // points just past the last byte: RFC 6093 reading, still inside
        [InlineData(4, 0xFFFF, true)]  // wraps far past the segment
        [InlineData(0, 1, true)]       // no data at all
        public void TcpUrgentPointerPastTheSegmentIsFlagged(int payload, int urgent, bool flagged)
        {
            Assert.Equal(WireError.None, ParseTcp(HandMadePackets.Tcp(payload: new byte[payload], flags: 0x38, urgent: urgent), out TcpSegment s));
            Assert.Equal(flagged, s.UrgentPointerBeyondSegment);
            Assert.Equal(payload, s.PayloadLength); // data is delivered inline either way
        }

        [Fact]
        public void UrgentPointerWithoutUrgFlagIsIgnored()
        {
            Assert.Equal(WireError.None, ParseTcp(HandMadePackets.Tcp(payload: new byte[2], flags: 0x18, urgent: 0xFFFF), out TcpSegment s));
            Assert.False(s.UrgentPointerBeyondSegment);
        }
    }
}
