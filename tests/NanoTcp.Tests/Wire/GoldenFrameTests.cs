using System;
using System.Linq;
using NanoTcp.Wire;
using Xunit;

namespace NanoTcp.Tests.Wire
{
    /// <summary>Golden frames both ways (STYLE.md 7): every field read back as scapy reads it, and every
    /// frame built from scapy's field values into a 0xA5-filled buffer equal to scapy's bytes.</summary>
    public sealed class GoldenFrameTests
    {
        public static TheoryData<string> Names()
        {
            var data = new TheoryData<string>();
            foreach (string name in GoldenFrame.All.Keys) data.Add(name);
            return data;
        }

        private static uint Ip(GoldenFrame f, string field)
        {
            Assert.True(Ipv4Address.TryParse(f.Text(field), out uint address));
            return address;
        }

        private static byte[] Mac(string text)
        {
            var mac = new byte[6];
            Assert.True(MacAddress.TryParse(text, mac, 0));
            return mac;
        }

        [Fact]
        public void AllGoldenFramesAreThere()
        {
            Assert.True(GoldenFrame.All.Count >= 20);
        }

        [Theory]
        [MemberData(nameof(Names))]
        public void Deconstruct(string name)
        {
            GoldenFrame f = GoldenFrame.Get(name);
            byte[] b = f.Bytes;
            WireError error = EthernetFrame.TryParse(b, 0, b.Length, out EthernetFrame eth);
            if (f.Has("vlan.id"))
            {
                Assert.Equal(WireError.EthernetVlanTagged, error);
                return;
            }
            Assert.Equal(WireError.None, error);
            Assert.Equal(f.Text("eth.dst"), MacAddress.Format(b, eth.DestinationOffset));
            Assert.Equal(f.Text("eth.src"), MacAddress.Format(b, eth.SourceOffset));
            Assert.Equal(f.Int("eth.type"), eth.EtherTypeValue);

            if (f.Has("arp.op"))
            {
                Assert.Equal(WireError.None, ArpPacket.TryParse(b, eth.PayloadOffset, eth.PayloadLength, out ArpPacket arp));
                Assert.Equal(f.Int("arp.op"), arp.Operation);
                Assert.Equal(f.Text("arp.sha"), MacAddress.Format(b, arp.SenderHardwareOffset));
                Assert.Equal(Ip(f, "arp.spa"), arp.SenderProtocolAddress);
                Assert.Equal(f.Text("arp.tha"), MacAddress.Format(b, arp.TargetHardwareOffset));
                Assert.Equal(Ip(f, "arp.tpa"), arp.TargetProtocolAddress);
                return;
            }

            Assert.Equal(WireError.None, Ipv4Packet.TryParse(b, eth.PayloadOffset, eth.PayloadLength, out Ipv4Packet ip));
            Assert.Equal(f.Int("ip.ihl") * 4, ip.HeaderLength);
            Assert.Equal(f.Int("ip.tos"), ip.TypeOfService);
            Assert.Equal(f.Int("ip.len"), ip.TotalLength);
            Assert.Equal(f.Int("ip.len"), ip.Length);
            Assert.Equal(f.Int("ip.id"), ip.Identification);
            Assert.Equal(f.Int("ip.flags"), ip.Flags);
            Assert.Equal(f.Int("ip.frag"), ip.FragmentOffset);
            Assert.Equal(f.Int("ip.ttl"), ip.TimeToLive);
            Assert.Equal(f.Int("ip.proto"), ip.Protocol);
            Assert.Equal(f.Int("ip.chksum"), ip.Checksum);
            Assert.Equal(Ip(f, "ip.src"), ip.Source);
            Assert.Equal(Ip(f, "ip.dst"), ip.Destination);
            Assert.Equal(name.StartsWith("ipv4_fragment"), ip.IsFragment);
            if (ip.IsFragment)
                return;

            if (f.Has("icmp.type"))
            {
                Assert.Equal(WireError.None, IcmpV4Message.TryParse(b, ip.PayloadOffset, ip.PayloadLength, out IcmpV4Message icmp));
                Assert.Equal(f.Int("icmp.type"), icmp.Type);
                Assert.Equal(f.Int("icmp.code"), icmp.Code);
                Assert.Equal(f.Int("icmp.chksum"), icmp.Checksum);
                if (f.Has("icmp.id"))
                {
                    Assert.False(icmp.IsError);
                    Assert.Equal(f.Int("icmp.id"), icmp.Identifier);
                    Assert.Equal(f.Int("icmp.seq"), icmp.SequenceNumber);
                    Assert.Equal(f.Int("icmp.payload_len"), icmp.PayloadLength);
                }
                else
                {
                    Assert.True(icmp.TryGetEmbeddedPacket(out Ipv4Packet inner));
                    Assert.Equal(Ip(f, "icmp.inner.src"), inner.Source);
                    Assert.Equal(Ip(f, "icmp.inner.dst"), inner.Destination);
                    Assert.Equal(f.Int("icmp.inner.proto"), inner.Protocol);
                    Assert.True(inner.PayloadLength >= 8);
                    Assert.Equal(f.Int("icmp.inner.sport"), NetworkOrder.ReadUInt16(b, inner.PayloadOffset));
                    Assert.Equal(f.Int("icmp.inner.dport"), NetworkOrder.ReadUInt16(b, inner.PayloadOffset + 2));
                }
            }
            else if (f.Has("udp.sport"))
            {
                Assert.Equal(WireError.None, UdpDatagram.TryParse(b, ip.PayloadOffset, ip.PayloadLength, ip.Source, ip.Destination, out UdpDatagram udp));
                Assert.Equal(f.Int("udp.sport"), udp.SourcePort);
                Assert.Equal(f.Int("udp.dport"), udp.DestinationPort);
                Assert.Equal(f.Int("udp.len"), udp.Length);
                Assert.Equal(f.Int("udp.chksum"), udp.Checksum);
                Assert.Equal(f.Hex("udp.payload"), b.AsSpan(udp.PayloadOffset, udp.PayloadLength).ToArray());
            }
            else
            {
                Assert.Equal(WireError.None, TcpSegment.TryParse(b, ip.PayloadOffset, ip.PayloadLength, ip.Source, ip.Destination, out TcpSegment tcp));
                Assert.Equal(f.Int("tcp.sport"), tcp.SourcePort);
                Assert.Equal(f.Int("tcp.dport"), tcp.DestinationPort);
                Assert.Equal(f.UInt("tcp.seq"), tcp.SequenceNumber);
                Assert.Equal(f.UInt("tcp.ack"), tcp.AcknowledgmentNumber);
                Assert.Equal(f.Int("tcp.dataofs") * 4, tcp.HeaderLength);
                Assert.Equal(f.Int("tcp.flags"), tcp.Flags);
                Assert.Equal(f.Int("tcp.window"), tcp.Window);
                Assert.Equal(f.Int("tcp.chksum"), tcp.Checksum);
                Assert.Equal(f.Int("tcp.urgptr"), tcp.UrgentPointer);
                Assert.Equal(f.Hex("tcp.payload"), b.AsSpan(tcp.PayloadOffset, tcp.PayloadLength).ToArray());
                Assert.Equal(f.Has("tcp.opt.mss") ? f.Int("tcp.opt.mss") : 0, tcp.MaximumSegmentSize);
                Assert.Equal(f.Has("tcp.opt.wscale") ? f.Int("tcp.opt.wscale") : -1, tcp.WindowScale);
                Assert.Equal(f.Has("tcp.opt.sackok"), tcp.SackPermitted);
                Assert.Equal(f.Has("tcp.opt.tsval"), tcp.HasTimestamp);
                if (tcp.HasTimestamp)
                {
                    Assert.Equal(f.UInt("tcp.opt.tsval"), tcp.TimestampValue);
                    Assert.Equal(f.UInt("tcp.opt.tsecr"), tcp.TimestampEcho);
                }
                uint[] sack = f.Has("tcp.opt.sack") ? f.Fields.GetProperty("tcp.opt.sack").EnumerateArray().Select(e => e.GetUInt32()).ToArray() : Array.Empty<uint>();
                Assert.Equal(sack.Length / 2, tcp.SackBlockCount);
                for (int i = 0; i < tcp.SackBlockCount; i++)
                {
                    Assert.Equal(sack[2 * i], tcp.SackLeftEdge(i));
                    Assert.Equal(sack[2 * i + 1], tcp.SackRightEdge(i));
                }
                Assert.False(tcp.UrgentPointerBeyondSegment); // tcp_urgent points inside its 7 data bytes
            }
        }

        [Theory]
        [MemberData(nameof(Names))]
        public void Construct(string name)
        {
            GoldenFrame f = GoldenFrame.Get(name);
            if (f.Has("vlan.id"))
                return; // we never send tagged frames
            byte[] golden = f.Bytes;
            var built = new byte[golden.Length];
            Array.Fill(built, (byte)0xA5);
            EthernetFrame.Emit(built, 0, Mac(f.Text("eth.dst")), 0, Mac(f.Text("eth.src")), 0, f.Int("eth.type"));
            int compareLength = golden.Length;
            const int ipOffset = EthernetFrame.HeaderLength;

            if (f.Has("arp.op"))
            {
                ArpPacket.Emit(built, ipOffset, f.Int("arp.op"), Mac(f.Text("arp.sha")), 0, Ip(f, "arp.spa"), Mac(f.Text("arp.tha")), 0, Ip(f, "arp.tpa"));
                compareLength = ipOffset + ArpPacket.Length; // scapy's zero padding is the link layer's job
                Assert.Equal(golden.AsSpan(0, compareLength).ToArray(), built.AsSpan(0, compareLength).ToArray());
                return;
            }

            int ihl = f.Int("ip.ihl") * 4;
            int transport = ipOffset + ihl;
            var header = new Ipv4Header
            {
                HeaderLength = ihl, TypeOfService = f.Int("ip.tos"), TotalLength = f.Int("ip.len"),
                Identification = f.Int("ip.id"), Flags = f.Int("ip.flags"), FragmentOffset = f.Int("ip.frag"),
                TimeToLive = f.Int("ip.ttl"), Protocol = f.Int("ip.proto"), Source = Ip(f, "ip.src"), Destination = Ip(f, "ip.dst"),
            };
            Array.Copy(golden, ipOffset + 20, built, ipOffset + 20, ihl - 20); // IP options are opaque to us
            int transportLength = header.TotalLength - ihl;

            if (f.Has("icmp.type"))
            {
                Array.Copy(golden, transport + 8, built, transport + 8, transportLength - 8);
                if (f.Has("icmp.id"))
                    IcmpV4Message.EmitEcho(built, transport, f.Int("icmp.type"), f.Int("icmp.id"), f.Int("icmp.seq"), transportLength - 8);
                else
                    IcmpV4Message.EmitError(built, transport, f.Int("icmp.type"), f.Int("icmp.code"), transportLength - 8);
            }
            else if (f.Has("udp.sport"))
            {
                byte[] payload = f.Hex("udp.payload");
                payload.CopyTo(built, transport + 8);
                UdpDatagram.Emit(built, transport, f.Int("udp.sport"), f.Int("udp.dport"), payload.Length, header.Source, header.Destination);
                if (f.Int("udp.chksum") == 0)
                {
                    // scapy sent "no checksum" (RFC 768); we always compute one: check it, then compare the rest.
                    Assert.NotEqual(0, NetworkOrder.ReadUInt16(built, transport + 6));
                    Assert.Equal(WireError.None, UdpDatagram.TryParse(built, transport, transportLength, header.Source, header.Destination, out _));
                    built[transport + 6] = 0;
                    built[transport + 7] = 0;
                }
            }
            else if (f.Has("tcp.sport"))
            {
                byte[] payload = f.Hex("tcp.payload");
                var tcp = new TcpHeader
                {
                    SourcePort = f.Int("tcp.sport"), DestinationPort = f.Int("tcp.dport"),
                    SequenceNumber = f.UInt("tcp.seq"), AcknowledgmentNumber = f.UInt("tcp.ack"),
                    Flags = f.Int("tcp.flags"), Window = f.Int("tcp.window"), UrgentPointer = f.Int("tcp.urgptr"),
                    MaximumSegmentSize = f.Has("tcp.opt.mss") ? f.Int("tcp.opt.mss") : 0,
                    HasWindowScale = f.Has("tcp.opt.wscale"), WindowScale = f.Has("tcp.opt.wscale") ? f.Int("tcp.opt.wscale") : 0,
                    SackPermitted = f.Has("tcp.opt.sackok"), HasTimestamp = f.Has("tcp.opt.tsval"),
                    TimestampValue = f.Has("tcp.opt.tsval") ? f.UInt("tcp.opt.tsval") : 0,
                    TimestampEcho = f.Has("tcp.opt.tsecr") ? f.UInt("tcp.opt.tsecr") : 0,
                };
                if (f.Has("tcp.opt.sack"))
                {
                    tcp.SackBlocks = f.Fields.GetProperty("tcp.opt.sack").EnumerateArray().Select(e => e.GetUInt32()).ToArray();
                    tcp.SackBlockCount = tcp.SackBlocks.Length / 2;
                }
                Assert.Equal(f.Int("tcp.dataofs") * 4, tcp.HeaderLength);
                payload.CopyTo(built, transport + tcp.HeaderLength);
                tcp.Emit(built, transport, payload.Length, header.Source, header.Destination);
            }
            else
            {
                Array.Copy(golden, transport, built, transport, transportLength); // fragment: payload is opaque
            }
            Ipv4Packet.Emit(built, ipOffset, header);
            Assert.Equal(golden, built);
        }
    }
}
