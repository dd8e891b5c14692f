using System;
using NanoTcp.Dhcp;
using NanoTcp.Wire;

namespace NanoTcp.Boards.Desktop
{
    /// <summary>
    /// A small DHCP server (RFC 2131 4.3) for simulated networks: a NIC of its own on the switch, answering
    /// ARP for its address, DISCOVER with OFFER and REQUEST with ACK (NAK for an address it did not offer),
    /// from a pool of consecutive addresses, one per client hardware address. Call Poll as time passes.
    /// </summary>
    public sealed class SimulatedDhcpServer
    {
        private readonly SimulatedNic _nic;
        private readonly uint _address, _mask, _router, _dns, _firstPool;
        private readonly byte[][] _clients;
        private readonly byte[] _frame = new byte[1514];
        private readonly byte[] _out = new byte[1514];
        private readonly byte[] _message = new byte[300];
        private static readonly byte[] Broadcast = { 255, 255, 255, 255, 255, 255 };

        public SimulatedDhcpServer(SimulatedSwitch lan, string mac, uint address, uint mask, uint router, uint dns, uint firstPool, int poolSize, uint leaseSeconds)
        {
            _nic = lan.AddNic("dhcp-server", mac);
            _address = address;
            _mask = mask;
            _router = router;
            _dns = dns;
            _firstPool = firstPool;
            _clients = new byte[poolSize][];
            LeaseSeconds = leaseSeconds;
        }

        public uint LeaseSeconds { get; set; }
        /// <summary>Offered as option 42 (RFC 2132 8.3) when not 0.</summary>
        public uint NtpServer { get; set; }
        public int Offers { get; private set; }
        public int Acks { get; private set; }
        public int Naks { get; private set; }

        public void Poll()
        {
            int n;
            while ((n = _nic.Receive(_frame, 0, _frame.Length)) > 0)
            {
                if (EthernetFrame.TryParse(_frame, 0, n, out var eth) != WireError.None)
                    continue;
                if (eth.EtherTypeValue == EtherType.Arp)
                    AnswerArp(eth);
                else if (eth.EtherTypeValue == EtherType.Ipv4 && Ipv4Packet.TryParse(_frame, 14, n - 14, out var ip) == WireError.None
                    && ip.Protocol == IpProtocol.Udp
                    && UdpDatagram.TryParse(_frame, ip.PayloadOffset, ip.PayloadLength, ip.Source, ip.Destination, out var udp) == WireError.None
                    && udp.DestinationPort == 67)
                    AnswerDhcp(udp.PayloadOffset, udp.PayloadLength);
            }
        }

        private void AnswerArp(EthernetFrame eth)
        {
            if (ArpPacket.TryParse(_frame, eth.PayloadOffset, eth.PayloadLength, out var arp) != WireError.None
                || arp.Operation != ArpPacket.OperationRequest || arp.TargetProtocolAddress != _address)
                return;
            EthernetFrame.Emit(_out, 0, _frame, arp.SenderHardwareOffset, _nic.Mac, 0, EtherType.Arp);
            ArpPacket.Emit(_out, 14, ArpPacket.OperationReply, _nic.Mac, 0, _address, _frame, arp.SenderHardwareOffset, arp.SenderProtocolAddress);
            _nic.Transmit(_out, 0, 60);
        }

        private void AnswerDhcp(int offset, int length)
        {
            if (length < DhcpMessage.OptionsOffset || _frame[offset] != DhcpMessage.OpRequest
                || NetworkOrder.ReadUInt32(_frame, offset + DhcpMessage.MagicCookie) != DhcpMessage.MagicCookieValue)
                return;
            int type = DhcpMessage.ReadMessageType(_frame, offset, length);
            int slot = SlotFor(offset + DhcpMessage.ClientHardware);
            if (slot < 0)
                return; // pool exhausted: stay silent, as real servers do
            uint offered = _firstPool + (uint)slot;
            if (type == DhcpMessage.Discover)
            {
                Offers++;
                Reply(offset, DhcpMessage.Offer, offered);
            }
            else if (type == DhcpMessage.Request)
            {
                uint requested = DhcpMessage.ReadAddressOption(_frame, offset, length, DhcpMessage.OptionRequestedAddress);
                uint ciaddr = NetworkOrder.ReadUInt32(_frame, offset + DhcpMessage.ClientAddress);
                uint wanted = requested != 0 ? requested : ciaddr;
                if (wanted == offered) { Acks++; Reply(offset, DhcpMessage.Ack, offered); }
                else { Naks++; Reply(offset, DhcpMessage.Nak, 0); }
            }
        }

        private int SlotFor(int chaddr)
        {
            int free = -1;
            for (int i = 0; i < _clients.Length; i++)
            {
                if (_clients[i] == null) { if (free < 0) free = i; continue; }
                if (MacAddress.AreEqual(_clients[i], 0, _frame, chaddr)) return i;
            }
            if (free >= 0)
            {
                _clients[free] = new byte[6];
                Array.Copy(_frame, chaddr, _clients[free], 0, 6);
            }
            return free;
        }

        private void Reply(int request, int type, uint yiaddr)
        {
            Array.Clear(_message);
            _message[0] = DhcpMessage.OpReply; _message[1] = 1; _message[2] = 6;
            Array.Copy(_frame, request + DhcpMessage.TransactionId, _message, DhcpMessage.TransactionId, 4);
            Array.Copy(_frame, request + DhcpMessage.Flags, _message, DhcpMessage.Flags, 2);
            NetworkOrder.WriteUInt32(_message, DhcpMessage.YourAddress, yiaddr);
            Array.Copy(_frame, request + DhcpMessage.ClientHardware, _message, DhcpMessage.ClientHardware, 16);
            NetworkOrder.WriteUInt32(_message, DhcpMessage.MagicCookie, DhcpMessage.MagicCookieValue);
            int p = DhcpMessage.OptionsOffset;
            p = Option(p, DhcpMessage.OptionMessageType, (uint)type, 1);
            p = Option(p, DhcpMessage.OptionServerIdentifier, _address, 4);
            if (type != DhcpMessage.Nak)
            {
                p = Option(p, DhcpMessage.OptionLeaseTime, LeaseSeconds, 4);
                p = Option(p, DhcpMessage.OptionSubnetMask, _mask, 4);
                if (_router != 0) p = Option(p, DhcpMessage.OptionRouter, _router, 4);
                if (_dns != 0) p = Option(p, DhcpMessage.OptionDnsServer, _dns, 4);
                if (NtpServer != 0) p = Option(p, DhcpMessage.OptionNtpServers, NtpServer, 4);
            }
            _message[p] = DhcpMessage.OptionEnd;
            // Replies go to the broadcast address: the client has no address yet (RFC 2131 4.1).
            EthernetFrame.Emit(_out, 0, Broadcast, 0, _nic.Mac, 0, EtherType.Ipv4);
            _message.CopyTo(_out, 42);
            UdpDatagram.Emit(_out, 34, 67, 68, _message.Length, _address, Ipv4Address.LimitedBroadcast);
            Ipv4Packet.Emit(_out, 14, Ipv4Header.Create(_address, Ipv4Address.LimitedBroadcast, IpProtocol.Udp, 8 + _message.Length, 1));
            _nic.Transmit(_out, 0, 42 + _message.Length);
        }

        private int Option(int p, int code, uint value, int length)
        {
            _message[p] = (byte)code;
            _message[p + 1] = (byte)length;
            if (length == 1) _message[p + 2] = (byte)value;
            else NetworkOrder.WriteUInt32(_message, p + 2, value);
            return p + 2 + length;
        }
    }
}
