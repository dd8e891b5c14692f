// The stack: one interface (INetworkDevice), its IPv4 configuration, and the protocols above it.
// Poll(now) receives a bounded number of frames, runs every timer, and returns when it is next due
// (ARCHITECTURE.md: the core owns no clock or thread). Everything is allocated here, in the
// constructor. Layers live in partial files: .Arp (RFC 826), .Ipv4 (RFC 791/1122), .Icmp (RFC 792),
// .Udp (RFC 768); TCP is TcpEngine, fed by .Ipv4 and sending through this class (ITcpTransmitter).
using NanoTcp.Dhcp;
using NanoTcp.Dns;
using NanoTcp.Link;
using NanoTcp.Tcp;
using NanoTcp.Udp;
using NanoTcp.Wire;

namespace NanoTcp
{
    public sealed partial class NetworkStack : ITcpTransmitter
    {
        private const int IpHeaderLength = Ipv4Packet.MinimumHeaderLength;
        private const int IpOffset = EthernetFrame.HeaderLength;

        private readonly INetworkDevice _device;
        private readonly StackConfig _config;
        private readonly IRandomSource _random;
        private readonly byte[] _mac = new byte[6];
        // _mac as the two native reads MacAddress.AreEqual compares, read once: every frame received is tested.
        private readonly uint _macHead;
        private readonly ushort _macTail;
        private readonly byte[] _broadcastMac = { 255, 255, 255, 255, 255, 255 };
        private readonly byte[] _zeroMac = new byte[6];
        private readonly byte[] _rxFrame;
        private readonly byte[] _txFrame;
        private readonly ArpCache _arp;
        private readonly ArpPendingQueue _arpPending;
        private readonly UdpSocket[] _udp;
        private readonly TcpEngine _tcp;
        private readonly NetworkStatistics _statistics = new NetworkStatistics();
        private long _now;
        private readonly IpIdentification _ipIdentification;
        private int _nextEphemeralUdpPort;
        private readonly RateLimiter _echoReplies;
        private readonly RateLimiter _icmpErrors;
        private readonly RateLimiter _arpRequests;
        private long _lastDefenceAt = long.MinValue / 2; // "never", without overflow in now - last

        public NetworkStack(INetworkDevice device, StackConfig config, IRandomSource random)
        {
            _device = device;
            _config = config;
            _random = random;
            device.CopyMacAddress(_mac, 0);
            _macHead = System.BitConverter.ToUInt32(_mac, 0);
            _macTail = System.BitConverter.ToUInt16(_mac, 4);
            int frame = EthernetFrame.HeaderLength + config.Mtu;
            _rxFrame = new byte[frame];
            _txFrame = new byte[frame];
            _arp = new ArpCache(config.ArpEntries);
            _arpPending = new ArpPendingQueue(config.ArpPendingPackets, config.Mtu);
            _udp = new UdpSocket[config.UdpSockets];
            for (int i = 0; i < _udp.Length; i++)
                _udp[i] = new UdpSocket(config.UdpQueueDepth, config.UdpDatagramCapacity);
            config.Tcp.LocalMss = config.Mtu - IpHeaderLength - TcpSegment.MinimumHeaderLength;
            _tcp = new TcpEngine(config.Tcp, this, random, null);
            _tcp.PeerGrouping = this; // on-link peers counted per MAC (NetworkStack.Arp)
            _statistics.Tcp = _tcp.Counters;
            _ipIdentification = new IpIdentification(random);
            _nextEphemeralUdpPort = EphemeralUdpFirst + (int)(random.NextUInt32() % EphemeralUdpCount);
            _echoReplies = new RateLimiter(config.IcmpEchoRepliesPerSecond);
            _icmpErrors = new RateLimiter(config.IcmpErrorsPerSecond);
            _arpRequests = new RateLimiter(config.ArpRequestsPerSecond);
        }

        public TcpEngine Tcp { get { return _tcp; } }
        public NetworkStatistics Statistics { get { return _statistics; } }
        public StackConfig Config { get { return _config; } }
        public INetworkDevice Device { get { return _device; } }
        public ArpCache ArpTable { get { return _arp; } }
        public long Now { get { return _now; } }

        /// <summary>Our address; 0 until configured (statically or by DHCP).</summary>
        public uint Address { get { return _address; } }
        public uint SubnetMask { get { return _subnetMask; } }
        // Read as fields on the per-packet paths (HandleIpv4, SendIpv4): a property call costs on the device.
        private uint _address, _subnetMask;
        private uint _addressWire; // _address's four bytes in network order, as BitConverter.ToUInt32 reads them
        public uint Gateway { get; private set; }
        public uint DnsServer { get; private set; }
        public bool IsConfigured { get { return Address != 0; } }

        public void CopyMacAddress(byte[] destination, int offset)
        {
            System.Array.Copy(_mac, 0, destination, offset, 6);
        }

        /// <summary>Sets the IPv4 configuration and announces it with a gratuitous ARP (RFC 5227 3).
        /// Address 0 unconfigures the interface.</summary>
        public void Configure(uint address, uint subnetMask, uint gateway, uint dnsServer)
        {
            _address = address;
            _addressWire = System.BitConverter.IsLittleEndian
                ? (address >> 24) | ((address >> 8) & 0xFF00) | ((address << 8) & 0xFF0000) | (address << 24) : address;
            _subnetMask = subnetMask;
            Gateway = gateway;
            DnsServer = dnsServer;
            _hasSubnetBroadcast = subnetMask != 0 && address != 0;
            _subnetBroadcast = Ipv4Address.SubnetBroadcast(address, subnetMask);
            _lastHopArpVersion = -1; // the route may have changed: SendIpv4 asks Route again
            if (address != 0)
                SendArpRequest(address); // sender and target address both ours: gratuitous
        }

        /// <summary>Runs the stack at nowMs: frames in (at most FramesPerPoll), timers, output.
        /// Returns when to call again (nowMs when frames are still waiting).</summary>
        public long Poll(long nowMs)
        {
            // The device's loop calls this more often than frames arrive (an idle call is most of them, and most
            // others take one or two frames: no locals for what the loop reads once a frame), ARP's "nothing due",
            // the engine's earliest deadline and "no services" tested here (PollArp, TcpEngine.Poll and PollServices
            // would return the same).
            _now = nowMs;
            int frames = 0;
            int limit = _config.FramesPerPoll;
            byte[] frame = _rxFrame;
            while (frames < limit)
            {
                int length = _device.Receive(frame, 0, frame.Length);
                if (length <= 0)
                    break;
                frames++;
                HandleFrame(length);
            }
            long next = nowMs < _arpRetryDue ? _arpRetryDue : PollArp();
            // TcpEngine.Poll's first test: before the engine's earliest deadline it only takes the time and returns it.
            TcpEngine engine = _tcp;
            engine._now = nowMs;
            long tcp = engine._timersDueAt;
            if (nowMs >= tcp)
                tcp = engine.Poll(nowMs);
            if (tcp < next) next = tcp;
            if (_hasServices)
            {
                long services = PollServices(nowMs);
                if (services < next) next = services;
            }
            return frames == limit && frames > 0 ? nowMs : next; // the limit, not an empty receive, ended the loop
        }

        private void HandleFrame(int length)
        {
            _statistics.FramesReceived++;
            // EthernetFrame.TryParse's checks written out (every frame): a header's worth, within the buffer, no
            // 802.1Q tag.
            byte[] frame = _rxFrame;
            if (length < EthernetFrame.HeaderLength || length > frame.Length)
            {
                _statistics.ParseErrors[(int)WireError.Truncated]++;
                return;
            }
            int type = (frame[12] << 8) | frame[13];
            if (type == EtherType.Vlan)
            {
                _statistics.ParseErrors[(int)WireError.EthernetVlanTagged]++;
                return;
            }
            if ((System.BitConverter.ToUInt32(frame, 0) != _macHead || System.BitConverter.ToUInt16(frame, 4) != _macTail) && !MacAddress.IsBroadcast(frame, 0) && !IsJoinedGroupMac(frame, 0))
            {
                _statistics.FramesNotForUs++; // other unicast, or multicast we did not join
                return;
            }
            if (type == EtherType.Arp)
                HandleArp(length - EthernetFrame.HeaderLength);
            else if (type == EtherType.Ipv4)
                HandleIpv4(length - EthernetFrame.HeaderLength);
            else
                _statistics.FramesUnknownEtherType++;
        }

        /// <summary>Sends a frame from the transmit buffer, padded to the Ethernet minimum.</summary>
        private bool TransmitFrame(int length)
        {
            if (length < EthernetFrame.MinimumLength)
            {
                System.Array.Clear(_txFrame, length, EthernetFrame.MinimumLength - length);
                length = EthernetFrame.MinimumLength;
            }
            if (_device.Transmit(_txFrame, 0, length))
            {
                _statistics.FramesSent++;
                return true;
            }
            _statistics.FramesTransmitFailed++;
            return false;
        }

        private long PollServices(long nowMs)
        {
            long next = long.MaxValue;
            if (_dhcp != null)
                next = _dhcp.Poll(nowMs);
            if (_dns != null)
            {
                long dns = _dns.Poll(nowMs);
                if (dns < next) next = dns;
            }
            return next;
        }
    }
}
