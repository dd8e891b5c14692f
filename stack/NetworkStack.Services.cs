// The DHCP client (RFC 2131) and DNS resolver (RFC 1035) the stack runs for the application. Both
// are built on demand, once, and polled with the stack.
using NanoTcp.Dhcp;
using NanoTcp.Dns;
using NanoTcp.Wire;

namespace NanoTcp
{
    public sealed partial class NetworkStack
    {
        private const int DhcpClientPort = 68;
        private const int DhcpServerPort = 67;
        private DhcpClient _dhcp;
        private DnsResolver _dns;
        private bool _hasServices; // _dhcp or _dns made: Poll asks one field at every call

        /// <summary>The DHCP client; null until StartDhcp.</summary>
        public DhcpClient Dhcp { get { return _dhcp; } }

        /// <summary>Starts obtaining an address by DHCP (allocates the client the first time).</summary>
        public DhcpClient StartDhcp()
        {
            if (_dhcp == null)
            {
                _dhcp = new DhcpClient(this, _random);
                _hasServices = true;
            }
            _dhcp.Start(_now);
            return _dhcp;
        }

        /// <summary>The DNS resolver (allocates it and its UDP socket the first time); null when no UDP socket is free.</summary>
        public DnsResolver Dns
        {
            get
            {
                if (_dns == null)
                {
                    var socket = OpenUdp(0);
                    if (socket != null)
                    {
                        _dns = new DnsResolver(this, socket, _random);
                        _hasServices = true;
                    }
                }
                return _dns;
            }
        }

        /// <summary>Sends a DHCP message from port 68 to port 67 (source 0.0.0.0 until configured).</summary>
        internal void SendDhcp(uint destination, byte[] message, int length)
        {
            int udpOffset = IpOffset + IpHeaderLength;
            System.Array.Copy(message, 0, _txFrame, udpOffset + UdpDatagram.HeaderLength, length);
            UdpDatagram.Emit(_txFrame, udpOffset, DhcpClientPort, DhcpServerPort, length, Address, destination);
            bool left;
            SendIpv4(destination, IpProtocol.Udp, UdpDatagram.HeaderLength + length, out left);
            if (left)
                _statistics.UdpSent++;
        }
    }
}
