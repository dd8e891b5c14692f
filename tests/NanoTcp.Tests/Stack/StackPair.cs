using System;
using NanoTcp.Boards.Desktop;
using NanoTcp.Scenarios;
using NanoTcp.Wire;

namespace NanoTcp.Tests.Stack
{
    /// <summary>Two stacks on a simulated switch, 10.0.0.1 (A) and 10.0.0.2 (B) on a /24, in virtual time.</summary>
    public sealed class StackPair
    {
        public const uint AddressA = 0x0A000001, AddressB = 0x0A000002, Mask = 0xFFFFFF00, Gateway = 0x0A0000FE;
        public readonly SimulatedSwitch Switch;
        public readonly SimulatedNic NicA, NicB;
        public readonly NetworkStack A, B;

        public StackPair(int seed = 1, StackConfig configA = null, StackConfig configB = null, bool configure = true)
        {
            Switch = new SimulatedSwitch(seed);
            NicA = Switch.AddNic("a", "02:00:00:00:00:0a");
            NicB = Switch.AddNic("b", "02:00:00:00:00:0b");
            A = new NetworkStack(NicA, configA ?? new StackConfig(), new SeededRandom((uint)seed * 11 + 1));
            B = new NetworkStack(NicB, configB ?? new StackConfig(), new SeededRandom((uint)seed * 13 + 2));
            if (configure)
            {
                A.Configure(AddressA, Mask, Gateway, 0);
                B.Configure(AddressB, Mask, Gateway, 0);
                Run(10);
            }
        }

        /// <summary>A third stack on the pair's switch (a W5500-driven device, say), polled by Step with its board clock in step.</summary>
        public sealed class External
        {
            private readonly StackPair _pair;
            private readonly NetworkStack _stack;
            private readonly NanoTcp.Boards.Desktop.VirtualBoardClock _clock;

            public External(StackPair pair, NetworkStack stack, NanoTcp.Boards.Desktop.VirtualBoardClock clock)
            {
                _pair = pair;
                _stack = stack;
                _clock = clock;
            }

            public void Step()
            {
                _clock.NowMicroseconds = _pair.Switch.Now * 1000;
                _stack.Poll(_pair.Switch.Now);
            }
        }

        /// <summary>Polls both stacks while virtual time advances by milliseconds.</summary>
        public void Run(int milliseconds) => RunUntil(() => false, milliseconds);

        /// <summary>Polls until done() or the time limit; true when done() became true.</summary>
        public bool RunUntil(Func<bool> done, int limitMs, Action everyStep = null)
        {
            long end = Switch.Now + limitMs;
            while (Switch.Now <= end)
            {
                long nextA = A.Poll(Switch.Now);
                long nextB = B.Poll(Switch.Now);
                everyStep?.Invoke();
                if (done())
                    return true;
                long next = Math.Min(Math.Min(nextA, nextB), Switch.NextDelivery);
                Switch.Now = next > Switch.Now ? Math.Min(next, Switch.Now + 10) : Switch.Now + 1;
            }
            return done();
        }
    }

    /// <summary>A bare NIC on the switch that a test drives by hand: it answers ARP for its address
    /// and sends and receives raw UDP, to play a scripted server.</summary>
    public sealed class RawPeer
    {
        public readonly SimulatedNic Nic;
        public readonly uint Address;
        private readonly byte[] _frame = new byte[1514];
        private readonly byte[] _out = new byte[1514];

        public RawPeer(SimulatedSwitch sw, string mac, uint address)
        {
            Nic = sw.AddNic("peer", mac);
            Address = address;
        }

        public int ArpRequestsSeen, ArpRepliesSent;

        /// <summary>The next UDP datagram received (answering ARP requests for our address on the way);
        /// null when none is waiting.</summary>
        public UdpSeen NextUdp()
        {
            while (true)
            {
                if (!NextIpv4(IpProtocol.Udp, out var eth, out var ip))
                    return null;
                if (UdpDatagram.TryParse(_frame, ip.PayloadOffset, ip.PayloadLength, ip.Source, ip.Destination, out var udp) != WireError.None)
                    continue;
                var mac = new byte[6];
                Array.Copy(_frame, eth.SourceOffset, mac, 0, 6);
                return new UdpSeen(ip.Source, ip.Destination, udp.SourcePort, udp.DestinationPort, mac,
                    _frame.AsSpan(udp.PayloadOffset, udp.PayloadLength).ToArray(), MacAddress.IsBroadcast(_frame, 0));
            }
        }

        /// <summary>The next whole IPv4 frame of this protocol received (ARP answered on the way); null when none waits.</summary>
        public byte[] NextIpv4Frame(int protocol)
        {
            if (!NextIpv4(protocol, out var eth, out var ip))
                return null;
            return _frame.AsSpan(0, ip.PayloadOffset + ip.PayloadLength).ToArray();
        }

        private bool NextIpv4(int protocol, out EthernetFrame eth, out Ipv4Packet ip)
        {
            while (true)
            {
                int n = Nic.Receive(_frame, 0, _frame.Length);
                ip = default;
                if (n == 0)
                {
                    eth = default;
                    return false;
                }
                if (EthernetFrame.TryParse(_frame, 0, n, out eth) != WireError.None)
                    continue;
                if (eth.EtherTypeValue == EtherType.Arp && ArpPacket.TryParse(_frame, 14, n - 14, out var arp) == WireError.None)
                {
                    ArpRequestsSeen++;
                    if (arp.Operation == ArpPacket.OperationRequest && arp.TargetProtocolAddress == Address && Address != 0)
                    {
                        EthernetFrame.Emit(_out, 0, _frame, arp.SenderHardwareOffset, Nic.Mac, 0, EtherType.Arp);
                        ArpPacket.Emit(_out, 14, ArpPacket.OperationReply, Nic.Mac, 0, Address, _frame, arp.SenderHardwareOffset, arp.SenderProtocolAddress);
                        Nic.Transmit(_out, 0, 60);
                        ArpRepliesSent++;
                    }
                    continue;
                }
                if (eth.EtherTypeValue == EtherType.Ipv4 && Ipv4Packet.TryParse(_frame, 14, n - 14, out ip) == WireError.None && ip.Protocol == protocol)
                    return true;
            }
        }

        /// <summary>Sends a UDP datagram from this peer (source address overridable, for spoofing tests).</summary>
        public void SendUdp(byte[] destinationMac, uint destination, int sourcePort, int destinationPort, byte[] payload, uint source = 0)
        {
            if (source == 0) source = Address;
            EthernetFrame.Emit(_out, 0, destinationMac, 0, Nic.Mac, 0, EtherType.Ipv4);
            payload.CopyTo(_out, 14 + 20 + 8);
            UdpDatagram.Emit(_out, 34, sourcePort, destinationPort, payload.Length, source, destination);
            Ipv4Packet.Emit(_out, 14, Ipv4Header.Create(source, destination, IpProtocol.Udp, 8 + payload.Length, 77));
            Nic.Transmit(_out, 0, Math.Max(60, 42 + payload.Length));
        }

        /// <summary>Sends any frame as given.</summary>
        public void SendFrame(byte[] frame, int length) => Nic.Transmit(frame, 0, length);
    }

    public sealed record UdpSeen(uint Source, uint Destination, int SourcePort, int DestinationPort, byte[] SourceMac, byte[] Payload, bool Broadcast);
}
