// IPv4, RFC 791 with the host rules of RFC 1122 3.2.1: header checks (in Ipv4Packet), delivery only
// for our address and broadcasts (3.2.1.3), invalid sources discarded (3.2.1.3), fragments dropped
// and counted (we do not reassemble), off-subnet traffic through the gateway (3.3.1). Outgoing
// packets carry DF, TTL 64 and a per-packet identification.
using NanoTcp.Wire;

namespace NanoTcp
{
    public sealed partial class NetworkStack
    {
        private readonly Ipv4HeaderTemplate _ipHeader = new Ipv4HeaderTemplate();

        /// <summary>The IPv4 packet of payloadLength bytes after the Ethernet header in _rxFrame.</summary>
        private void HandleIpv4(int payloadLength)
        {
            Ipv4Packet ip;
            // In bounds: HandleFrame checked the frame's length against _rxFrame.
            WireError error = Ipv4Packet.TryParseInBounds(_rxFrame, IpOffset, payloadLength, out ip);
            if (error != WireError.None)
            {
                _statistics.ParseErrors[(int)error]++;
                return;
            }
            _statistics.IpReceived++;
            // The packet's fields, not its properties (every frame); the header is at IpOffset in _rxFrame.
            uint source = ip._source;
            uint address = _address;
            // Our address as the header holds it, one native read (most packets): decoded only for another address.
            uint destination = System.BitConverter.ToUInt32(_rxFrame, IpOffset + 16) == _addressWire ? address
                : NetworkOrder.ReadUInt32(_rxFrame, IpOffset + 16);
            ip._destination = destination;
            int protocol = _rxFrame[IpOffset + 9];
            bool broadcast = false;
            if (destination != address || address == 0) // not our unicast address, which is no broadcast or group
            {
                broadcast = destination == Ipv4Address.LimitedBroadcast || IsSubnetBroadcast(destination)
                    || IsMulticastMember(destination); // a joined group is delivered as a broadcast is (RFC 1122 3.2.2)
                // An unconfigured host takes UDP to any address: a DHCP OFFER may be unicast to the offered address.
                if (!broadcast && !(address == 0 && protocol == IpProtocol.Udp))
                {
                    _statistics.IpNotForUs++;
                    return;
                }
            }
            // Multicast (224/4), loopback (127/8) and subnet broadcast sources tested inline (Ipv4Address.IsMulticast,
            // IsLoopback, IsSubnetBroadcast): every packet.
            if (source == Ipv4Address.LimitedBroadcast || (source & 0xF0000000) == 0xE0000000 || (source >> 24) == 127
                || (address != 0 && source == address) || (_hasSubnetBroadcast && source == _subnetBroadcast))
            {
                _statistics.IpBadSource++;
                return;
            }
            if (((_rxFrame[IpOffset + 6] & 0x3F) | _rxFrame[IpOffset + 7]) != 0) // Ipv4Packet.IsFragment: MF or an offset (RFC 791 3.1)
            {
                _statistics.IpFragmentsDropped++;
                return;
            }
            // Answers to a unicast packet from an on-link host may go back to the frame's source MAC (NetworkStack.Arp);
            // never to a group MAC (its I/G bit). Written out: this runs for every frame.
            uint mask = _subnetMask;
            if (!broadcast && mask != 0 && ((source ^ address) & mask) == 0 && (_rxFrame[FrameSenderMacOffset] & 1) == 0)
                _frameSender = source;
            if (protocol == IpProtocol.Tcp)
            {
                // The TCP segment, here rather than in a method of its own: every frame of a connection.
                if (broadcast || source == 0)
                {
                    _statistics.IpBadSource++; // TCP is unicast only (RFC 9293 3.9.1.1 / RFC 1122 4.2.3.10)
                }
                else
                {
                    // In bounds: the header length and total length lie within the packet (Ipv4Packet's checks).
                    TcpSegment segment;
                    error = TcpSegment.TryParseInBounds(_rxFrame, IpOffset + ip._headerLength, ip._length - ip._headerLength,
                        source, destination, out segment);
                    if (error != WireError.None)
                    {
                        _statistics.ParseErrors[(int)error]++;
                    }
                    else
                    {
                        _statistics.IpDelivered++;
                        _tcp.ProcessSegment(_now, source, destination, segment);
                        uint sender = _frameSender; // the segment's source when it came from an on-link host, else 0
                        // The kept way out to an on-link sender is through its own entry, there while the table is
                        // unchanged: no lookup for the peer the segments we send go to (every segment).
                        if (sender != 0 && (sender != _lastHopDestination || _arp._version != _lastHopArpVersion) && _arp.Find(sender) < 0)
                            LearnConnectionPeer(sender);
                    }
                }
                _frameSender = 0;
                return;
            }
            switch (protocol)
            {
                case IpProtocol.Udp:
                    HandleUdp(ip, broadcast);
                    break;
                case IpProtocol.Icmp:
                    HandleIcmp(ip, broadcast);
                    break;
                default:
                    _statistics.IpUnknownProtocol++;
                    if (!broadcast)
                        SendDestinationUnreachable(ip, 2); // protocol unreachable (RFC 1122 3.2.2.1)
                    break;
            }
            _frameSender = 0;
        }

        /// <summary>Writes the IPv4 header for the payloadLength bytes already at _txFrame[IpOffset + 20]
        /// and sends the packet toward destination. False when there is no route; left says whether its
        /// frame is on the wire now (else it waits for ARP, or the device refused it).</summary>
        private bool SendIpv4(uint destination, int protocol, int payloadLength, out bool left)
        {
            return SendIpv4(destination, protocol, payloadLength, DefaultTimeToLive, out left);
        }

        private bool SendIpv4(uint destination, int protocol, int payloadLength, int timeToLive, out bool left)
        {
            left = false;
            // The way out of the last unicast packet to destination, while it holds (NetworkStack.Arp, _lastHop*).
            bool known = destination == _lastHopDestination && _arp._version == _lastHopArpVersion && _now < _lastHopFreshUntil;
            uint nextHop = known ? destination : Route(destination);
            if (nextHop == 0)
            {
                _statistics.IpNoRoute++;
                return false;
            }
            uint source = _address;
            _ipHeader.Write(_txFrame, IpOffset, source, destination, protocol, timeToLive, IpHeaderLength + payloadLength,
                _ipIdentification.Next(source, destination, protocol));
            if (known)
            {
                System.Array.Copy(_lastHopHeader, 0, _txFrame, 0, EthernetFrame.HeaderLength);
                _arp.MarkSent(_lastHopEntry, _now); // what the Lookup it stands for would record
                left = TransmitFrame(IpOffset + IpHeaderLength + payloadLength); // TransmitIpFrame, inline: every segment
                if (left)
                    _statistics.IpSent++;
            }
            else
            {
                left = SendToNextHop(nextHop, destination, IpHeaderLength + payloadLength);
            }
            return true;
        }

        private bool SendIpv4(uint destination, int protocol, int payloadLength)
        {
            bool left;
            return SendIpv4(destination, protocol, payloadLength, out left);
        }

        /// <summary>Our subnet's directed broadcast address (RFC 1122 3.2.1.3); false while unconfigured.</summary>
        private bool IsSubnetBroadcast(uint address)
        {
            return _hasSubnetBroadcast && address == _subnetBroadcast;
        }

        // Worked out in Configure: every packet in and out asks.
        private bool _hasSubnetBroadcast; // a mask and an address are set
        private uint _subnetBroadcast;

        /// <summary>Whether a packet to destination would leave: false without an address (except to the
        /// limited broadcast), or off our subnet without a gateway.</summary>
        public bool HasRoute(uint destination)
        {
            return Route(destination) != 0;
        }

        /// <summary>The next hop for destination: itself on our subnet or for broadcasts, else the gateway;
        /// 0 when there is none (no address yet, or off-subnet without a gateway).</summary>
        private uint Route(uint destination)
        {
            if (destination == Ipv4Address.LimitedBroadcast)
                return destination;
            if (Address == 0 || destination == 0)
                return 0;
            if (Ipv4Address.IsMulticast(destination))
                return destination; // sent to the group's MAC (RFC 1112 6.4), never routed
            if (SubnetMask != 0 && Ipv4Address.IsInSubnet(destination, Address, SubnetMask)) // IsOnLink, written out: every segment
                return destination;
            return Gateway;
        }

        /// <summary>On our subnet: reached directly, not through the gateway (RFC 1122 3.3.1.1).</summary>
        private bool IsOnLink(uint address)
        {
            return SubnetMask != 0 && Address != 0 && Ipv4Address.IsInSubnet(address, Address, SubnetMask);
        }

        // ---- TCP's transmitter: segments are built in place after the IP header. ----

        public bool TryGetSegmentBuffer(uint remoteAddress, out byte[] buffer, out int offset, out int capacity)
        {
            buffer = _txFrame;
            offset = IpOffset + IpHeaderLength;
            capacity = _config.Mtu - IpHeaderLength;
            return true;
        }

        public bool TransmitSegment(uint localAddress, uint remoteAddress, byte[] buffer, int offset, int length)
        {
            bool left;
            SendIpv4(remoteAddress, IpProtocol.Tcp, length, DefaultTimeToLive, out left); // every segment: one call less
            return left;
        }
    }
}
