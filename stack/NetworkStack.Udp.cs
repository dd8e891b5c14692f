// UDP, RFC 768 (checks in UdpDatagram): datagrams for a bound port are queued, others get port
// unreachable (RFC 1122 4.1.3.1) unless they were broadcast. Port 68 goes to the DHCP client.
using NanoTcp.Udp;
using NanoTcp.Wire;

namespace NanoTcp
{
    public sealed partial class NetworkStack
    {
        private const int EphemeralUdpFirst = 49152, EphemeralUdpCount = 16384; // RFC 6335 6: 49152-65535

        /// <summary>Binds a UDP port (0: an ephemeral one). Null when the port is taken or no socket is free.</summary>
        public UdpSocket OpenUdp(int port)
        {
            if (port < 0 || port > 65535)
                return null;
            if (port == 0)
                port = ChooseEphemeralUdpPort();
            if (port == 0 || FindUdp(port) != null)
                return null;
            for (int i = 0; i < _udp.Length; i++)
            {
                if (_udp[i].Open)
                    continue;
                UdpSocket socket = _udp[i];
                socket.Open = true;
                socket.Port = port;
                socket.Head = 0;
                socket.Count = 0;
                socket.TimeToLive = DefaultTimeToLive;
                return socket;
            }
            return null;
        }

        /// <summary>Binds an ephemeral port chosen at random (RFC 5452 9, RFC 6056), else the next free one;
        /// null when no socket is free.</summary>
        public UdpSocket OpenUdpAtRandomPort()
        {
            UdpSocket socket = null;
            for (int tries = 0; tries < 8 && socket == null; tries++)
                socket = OpenUdp(EphemeralUdpFirst + (int)(_random.NextUInt32() % EphemeralUdpCount));
            return socket != null ? socket : OpenUdp(0);
        }

        public void CloseUdp(UdpSocket socket)
        {
            socket.Open = false;
            socket.Count = 0;
        }

        /// <summary>Sends one datagram; returns count, or -1 when it is too large or has no route.</summary>
        public int SendTo(UdpSocket socket, uint destination, int port, byte[] buffer, int offset, int count)
        {
            if (!socket.Open || count < 0 || count > _config.Mtu - IpHeaderLength - UdpDatagram.HeaderLength)
                return -1;
            int udpOffset = IpOffset + IpHeaderLength;
            System.Array.Copy(buffer, offset, _txFrame, udpOffset + UdpDatagram.HeaderLength, count);
            UdpDatagram.Emit(_txFrame, udpOffset, socket.Port, port, count, Address, destination);
            bool left;
            if (!SendIpv4(destination, IpProtocol.Udp, UdpDatagram.HeaderLength + count, socket.TimeToLive, out left))
                return -1;
            if (left)
                _statistics.UdpSent++; // counted once its frame left; a datagram waiting for ARP is not yet
            return count;
        }

        /// <summary>The next queued datagram into buffer; its length, or -1 when none is waiting.</summary>
        public int ReceiveFrom(UdpSocket socket, byte[] buffer, int offset, int capacity, out uint source, out int sourcePort)
        {
            return socket.Dequeue(buffer, offset, capacity, out source, out sourcePort);
        }

        private void HandleUdp(Ipv4Packet ip, bool broadcast)
        {
            UdpDatagram datagram;
            WireError error = UdpDatagram.TryParse(_rxFrame, ip.PayloadOffset, ip.PayloadLength, ip.Source, ip.Destination, out datagram);
            if (error != WireError.None)
            {
                _statistics.ParseErrors[(int)error]++;
                return;
            }
            _statistics.UdpReceived++;
            _statistics.IpDelivered++;
            int port = datagram.DestinationPort;
            if (port == DhcpClientPort && _dhcp != null)
            {
                _dhcp.HandleReply(_rxFrame, datagram.PayloadOffset, datagram.PayloadLength, _now);
                return;
            }
            UdpSocket socket = FindUdp(port);
            if (socket == null || (Address == 0 && !broadcast))
            {
                _statistics.UdpNoPort++;
                if (!broadcast && Address != 0)
                    SendDestinationUnreachable(ip, IcmpV4Message.CodePortUnreachable);
                return;
            }
            if (datagram.PayloadLength > socket.DatagramCapacity)
            {
                _statistics.UdpTooLarge++;
                return;
            }
            if (socket.Enqueue(ip.Source, datagram.SourcePort, broadcast, _rxFrame, datagram.PayloadOffset, datagram.PayloadLength))
                _statistics.UdpDelivered++;
            else
                _statistics.UdpQueueFull++;
        }

        private UdpSocket FindUdp(int port)
        {
            for (int i = 0; i < _udp.Length; i++)
                if (_udp[i].Open && _udp[i].Port == port)
                    return _udp[i];
            return null;
        }

        private int ChooseEphemeralUdpPort()
        {
            for (int tries = 0; tries < EphemeralUdpCount; tries++)
            {
                int port = _nextEphemeralUdpPort;
                _nextEphemeralUdpPort = port == 65535 ? EphemeralUdpFirst : port + 1;
                if (FindUdp(port) == null)
                    return port;
            }
            return 0;
        }
    }
}
