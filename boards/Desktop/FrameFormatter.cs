using System.Text;
using NanoTcp.Wire;

namespace NanoTcp.Boards.Desktop
{
    /// <summary>One line per frame in tcpdump's style (`tcpdump -n -S`): addresses and ports, flags
    /// [S] [S.] [.] [P.] [F.] [R], seq, ack, win, options, length. Host only: it builds strings.</summary>
    public static class FrameFormatter
    {
        public static string Format(byte[] frame, int offset, int length)
        {
            if (EthernetFrame.TryParse(frame, offset, length, out var eth) != WireError.None)
                return "malformed frame, length " + length;
            if (eth.EtherTypeValue == EtherType.Arp)
            {
                if (ArpPacket.TryParse(frame, eth.PayloadOffset, eth.PayloadLength, out var arp) != WireError.None)
                    return "ARP, malformed";
                return arp.Operation == ArpPacket.OperationRequest
                    ? $"ARP, Request who-has {Ipv4Address.Format(arp.TargetProtocolAddress)} tell {Ipv4Address.Format(arp.SenderProtocolAddress)}, length 28"
                    : $"ARP, Reply {Ipv4Address.Format(arp.SenderProtocolAddress)} is-at {MacAddress.Format(frame, arp.SenderHardwareOffset)}, length 28";
            }
            if (eth.EtherTypeValue != EtherType.Ipv4)
                return $"ethertype 0x{eth.EtherTypeValue:x4}, length {length}";
            if (Ipv4Packet.TryParse(frame, eth.PayloadOffset, eth.PayloadLength, out var ip) != WireError.None)
                return "IP, malformed";
            string src = Ipv4Address.Format(ip.Source), dst = Ipv4Address.Format(ip.Destination);
            switch (ip.Protocol)
            {
                case IpProtocol.Tcp:
                    if (TcpSegment.TryParse(frame, ip.PayloadOffset, ip.PayloadLength, ip.Source, ip.Destination, out var tcp) != WireError.None)
                        return $"IP {src} > {dst}: TCP, malformed";
                    var line = new StringBuilder();
                    line.Append($"IP {src}.{tcp.SourcePort} > {dst}.{tcp.DestinationPort}: Flags [{Flags(tcp.Flags)}], seq {tcp.SequenceNumber}");
                    if (tcp.PayloadLength > 0)
                        line.Append($":{tcp.SequenceNumber + (uint)tcp.PayloadLength}");
                    if ((tcp.Flags & TcpFlags.Ack) != 0)
                        line.Append($", ack {tcp.AcknowledgmentNumber}");
                    line.Append($", win {tcp.Window}");
                    if (tcp.HasMaximumSegmentSize)
                        line.Append($", options [mss {tcp.MaximumSegmentSize}]");
                    line.Append($", length {tcp.PayloadLength}");
                    return line.ToString();
                case IpProtocol.Udp:
                    if (UdpDatagram.TryParse(frame, ip.PayloadOffset, ip.PayloadLength, ip.Source, ip.Destination, out var udp) != WireError.None)
                        return $"IP {src} > {dst}: UDP, malformed";
                    return $"IP {src}.{udp.SourcePort} > {dst}.{udp.DestinationPort}: UDP, length {udp.PayloadLength}";
                case IpProtocol.Icmp:
                    if (IcmpV4Message.TryParse(frame, ip.PayloadOffset, ip.PayloadLength, out var icmp) != WireError.None)
                        return $"IP {src} > {dst}: ICMP, malformed";
                    string what = icmp.Type switch
                    {
                        IcmpV4Message.TypeEchoRequest => $"echo request, id {icmp.Identifier}, seq {icmp.SequenceNumber}",
                        IcmpV4Message.TypeEchoReply => $"echo reply, id {icmp.Identifier}, seq {icmp.SequenceNumber}",
                        IcmpV4Message.TypeDestinationUnreachable => $"destination unreachable, code {icmp.Code}",
                        _ => $"type {icmp.Type}, code {icmp.Code}",
                    };
                    return $"IP {src} > {dst}: ICMP {what}, length {icmp.Length}";
                default:
                    return $"IP {src} > {dst}: ip-proto-{ip.Protocol}, length {ip.PayloadLength}";
            }
        }

        /// <summary>tcpdump's flag letters: S F R P U, then '.' for ACK.</summary>
        public static string Flags(int flags)
        {
            var s = new StringBuilder();
            if ((flags & TcpFlags.Syn) != 0) s.Append('S');
            if ((flags & TcpFlags.Fin) != 0) s.Append('F');
            if ((flags & TcpFlags.Rst) != 0) s.Append('R');
            if ((flags & TcpFlags.Psh) != 0) s.Append('P');
            if ((flags & TcpFlags.Urg) != 0) s.Append('U');
            if ((flags & TcpFlags.Ack) != 0) s.Append('.');
            return s.Length == 0 ? "none" : s.ToString();
        }
    }
}
