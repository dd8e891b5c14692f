using System;
using NanoTcp.Tcp;
using NanoTcp.Wire;
using Xunit;

namespace NanoTcp.Tests.Stack
{
    /// <summary>ICMP errors from the network reach the TCP connection they quote (RFC 1122 4.2.3.9, RFC 5927),
    /// through the stack's parsing: a router (the gateway) answers our SYN with destination unreachable.
    /// The ICMP messages are laid out here byte by byte from RFC 792 and RFC 1191 section 4.</summary>
    public sealed class TcpIcmpTests
    {
        private const uint Far = 0xC0000201; // 192.0.2.1 (TEST-NET-1), behind the simulated gateway

        /// <summary>Type 3, code, next-hop MTU, then the quoted IP header and the first 8 bytes of its payload.</summary>
        private static byte[] Unreachable(byte[] synFrame, byte[] gatewayMac, int code, int mtu, uint seqOverride)
        {
            int quoted = 20 + 8;
            var frame = new byte[14 + 20 + 8 + quoted];
            Array.Copy(synFrame, 6, frame, 0, 6);   // to the sender's MAC
            Array.Copy(gatewayMac, 0, frame, 6, 6);
            frame[12] = 0x08;
            int ip = 14, icmp = 34;
            frame[ip] = 0x45;
            NetworkOrder.WriteUInt16(frame, ip + 2, 20 + 8 + quoted);
            frame[ip + 8] = 64;
            frame[ip + 9] = 1; // ICMP
            NetworkOrder.WriteUInt32(frame, ip + 12, StackPair.Gateway);
            NetworkOrder.WriteUInt32(frame, ip + 16, StackPair.AddressA);
            NetworkOrder.WriteUInt16(frame, ip + 10, InternetChecksum.Compute(frame, ip, 20));
            frame[icmp] = 3;
            frame[icmp + 1] = (byte)code;
            NetworkOrder.WriteUInt16(frame, icmp + 6, mtu);
            Array.Copy(synFrame, 14, frame, icmp + 8, quoted);
            if (seqOverride != 0)
                NetworkOrder.WriteUInt32(frame, icmp + 8 + 20 + 4, seqOverride);
            NetworkOrder.WriteUInt16(frame, icmp + 2, InternetChecksum.Compute(frame, icmp, 8 + quoted));
            return frame;
        }

        /// <summary>A connects to a host behind the gateway; the gateway holds the SYN frame.</summary>
        private static (StackPair, RawPeer, TcpConnection, byte[]) SynThroughTheGateway()
        {
            var pair = new StackPair();
            var gateway = new RawPeer(pair.Switch, "02:00:00:00:00:fe", StackPair.Gateway);
            TcpConnection c = pair.A.Tcp.Connect(pair.A.Address, Far, 80, 0);
            byte[] syn = null;
            Assert.True(pair.RunUntil(() => (syn = gateway.NextIpv4Frame(IpProtocol.Tcp)) != null, 100), "SYN reached the gateway");
            return (pair, gateway, c, syn);
        }

        [Fact]
        public void PortUnreachableForOurSynEndsTheAttemptAndAForgedOneDoesNot()
        {
            var (pair, gateway, c, syn) = SynThroughTheGateway();
            Assert.Equal(0x40, syn[14 + 6] & 0x40); // DF: every packet is sent with it (RFC 1191)
            uint iss = NetworkOrder.ReadUInt32(syn, 34 + 4);

            byte[] forged = Unreachable(syn, gateway.Nic.Mac, 3, 0, iss + 12345);
            gateway.SendFrame(forged, forged.Length);
            pair.Run(5);
            Assert.Equal(TcpState.SynSent, c.State);
            Assert.Equal(1, pair.A.Tcp.Counters.IcmpErrorsRejected);

            byte[] real = Unreachable(syn, gateway.Nic.Mac, 3, 0, 0);
            gateway.SendFrame(real, real.Length);
            pair.Run(5);
            Assert.Equal(TcpState.Closed, c.State);
            Assert.Equal(TcpError.Unreachable, c.Error);
            Assert.Equal(2, pair.A.Statistics.IcmpErrorsReceived);
        }

        [Fact]
        public void FragmentationNeededLowersTheConnectionsSegmentSize()
        {
            var (pair, gateway, c, syn) = SynThroughTheGateway();
            byte[] tooBig = Unreachable(syn, gateway.Nic.Mac, 4, 1000, 0);
            gateway.SendFrame(tooBig, tooBig.Length);
            pair.Run(5);
            Assert.Equal(TcpState.SynSent, c.State); // a soft error: the attempt goes on
            Assert.Equal(1, pair.A.Tcp.Counters.IcmpMssLowered);

            // The SYN-ACK announces 1460; the path reported 1000: segments of 960.
            var synAck = new byte[14 + 20 + 24];
            Array.Copy(syn, 6, synAck, 0, 6);
            Array.Copy(gateway.Nic.Mac, 0, synAck, 6, 6);
            synAck[12] = 0x08;
            uint iss = NetworkOrder.ReadUInt32(syn, 34 + 4);
            var tcp = new TcpHeader { SourcePort = 80, DestinationPort = c.LocalPort, SequenceNumber = 7000, AcknowledgmentNumber = iss + 1,
                Flags = TcpFlags.Syn | TcpFlags.Ack, Window = 65535, MaximumSegmentSize = 1460 };
            int length = tcp.Emit(synAck, 34, 0, Far, StackPair.AddressA);
            Ipv4Packet.Emit(synAck, 14, Ipv4Header.Create(Far, StackPair.AddressA, IpProtocol.Tcp, length, 1));
            gateway.SendFrame(synAck, 34 + length);
            Assert.True(pair.RunUntil(() => c.IsConnected, 100), "established");
            Assert.Equal(1000 - 40, c.Mss);
            c.Nagle = false;
            pair.A.Tcp.Send(c, new byte[1460], 0, 1460);
            byte[] data = null;
            Assert.True(pair.RunUntil(() => (data = gateway.NextIpv4Frame(IpProtocol.Tcp)) != null && data.Length > 54, 100), "data sent");
            Assert.Equal(14 + 20 + 20 + 960, data.Length);
        }
    }
}
