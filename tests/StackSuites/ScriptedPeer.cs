// A bare host on the wire that a suite drives by hand to play a server (DHCP, DNS): it answers ARP for its
// address and keeps the first UDP datagram it receives until the suite takes it.
using NanoTcp.Wire;

namespace NanoTcp.StackSuites
{
    public sealed class ScriptedPeer
    {
        public readonly MemoryWirePort Port;
        public readonly uint Address;
        private readonly byte[] _frame = new byte[EthernetFrame.MaximumLength];
        private readonly byte[] _out = new byte[EthernetFrame.MaximumLength];

        // The datagram held (valid while HasDatagram()).
        private bool _held;
        public uint Source, Destination;
        public int SourcePort, DestinationPort, PayloadLength;
        public bool Broadcast;
        public readonly byte[] SourceMac = new byte[6];
        public readonly byte[] Payload = new byte[EthernetFrame.MaximumLength];
        public int DatagramsDropped, ArpRepliesSent;

        public ScriptedPeer(MemoryWirePort port, uint address)
        {
            Port = port;
            Address = address;
        }

        public bool HasDatagram() { return _held; }

        /// <summary>Lets the next datagram in.</summary>
        public void Take() { _held = false; }

        /// <summary>Reads every waiting frame: ARP requests for our address are answered, the first UDP
        /// datagram is held, later ones are dropped while one is held.</summary>
        public void Poll()
        {
            int n;
            while ((n = Port.Receive(_frame, 0, _frame.Length)) > 0)
                Handle(n);
        }

        private void Handle(int n)
        {
            EthernetFrame eth;
            if (EthernetFrame.TryParse(_frame, 0, n, out eth) != WireError.None)
                return;
            ArpPacket arp;
            if (eth.EtherTypeValue == EtherType.Arp && ArpPacket.TryParse(_frame, 14, n - 14, out arp) == WireError.None)
            {
                if (arp.Operation == ArpPacket.OperationRequest && Address != 0 && arp.TargetProtocolAddress == Address)
                {
                    EthernetFrame.Emit(_out, 0, _frame, arp.SenderHardwareOffset, Port.Mac, 0, EtherType.Arp);
                    ArpPacket.Emit(_out, 14, ArpPacket.OperationReply, Port.Mac, 0, Address, _frame, arp.SenderHardwareOffset, arp.SenderProtocolAddress);
                    Port.Transmit(_out, 0, 60);
                    ArpRepliesSent++;
                }
                return;
            }
            Ipv4Packet ip;
            UdpDatagram udp;
            if (eth.EtherTypeValue != EtherType.Ipv4 || Ipv4Packet.TryParse(_frame, 14, n - 14, out ip) != WireError.None || ip.Protocol != IpProtocol.Udp)
                return;
            if (UdpDatagram.TryParse(_frame, ip.PayloadOffset, ip.PayloadLength, ip.Source, ip.Destination, out udp) != WireError.None)
                return;
            if (_held)
            {
                DatagramsDropped++;
                return;
            }
            _held = true;
            Source = ip.Source;
            Destination = ip.Destination;
            SourcePort = udp.SourcePort;
            DestinationPort = udp.DestinationPort;
            Broadcast = MacAddress.IsBroadcast(_frame, 0);
            System.Array.Copy(_frame, eth.SourceOffset, SourceMac, 0, 6);
            PayloadLength = udp.PayloadLength;
            System.Array.Copy(_frame, udp.PayloadOffset, Payload, 0, PayloadLength);
        }

        /// <summary>Sends payload[0..length) as a UDP datagram from this peer.</summary>
        public void SendUdp(byte[] destinationMac, uint destination, int sourcePort, int destinationPort, byte[] payload, int length)
        {
            EthernetFrame.Emit(_out, 0, destinationMac, 0, Port.Mac, 0, EtherType.Ipv4);
            System.Array.Copy(payload, 0, _out, 14 + 20 + 8, length);
            UdpDatagram.Emit(_out, 34, sourcePort, destinationPort, length, Address, destination);
            Ipv4Packet.Emit(_out, 14, Ipv4Header.Create(Address, destination, IpProtocol.Udp, 8 + length, 77));
            Port.Transmit(_out, 0, 42 + length < 60 ? 60 : 42 + length);
        }
    }
}
