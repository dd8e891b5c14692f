using System;
using System.Text;
using NanoTcp.Boards.Desktop;
using NanoTcp.Firmware.Services;
using NanoTcp.Scenarios;
using NanoTcp.Tcp;
using NanoTcp.Tests.Stack;
using NanoTcp.Wire;

namespace NanoTcp.Tests.Robustness
{
    /// <summary>Issue 13's test bench: the device (B, default configuration, the firmware's services), two
    /// legitimate clients (A, and C at 10.0.0.3, stacks of their own) and an attacker NIC that sends whatever frames a test builds,
    /// spoofed or not, on one simulated switch in virtual time.</summary>
    public sealed class HostileLan
    {
        public readonly StackPair Pair;
        public readonly FirmwareServices Services;
        public readonly RawPeer Attacker;
        public const uint AttackerAddress = 0x0A000066, AddressC = 0x0A000003;
        public readonly NetworkStack SecondClient;
        private readonly byte[] _frame = new byte[1514];
        private readonly byte[] _drain = new byte[1514];
        public long AttackerFramesSent;

        public HostileLan(int seed, StackConfig device = null)
        {
            StackConfig client = ClientConfig();
            Pair = new StackPair(seed, configA: client, configB: device);
            Services = new FirmwareServices(Pair.B);
            SecondClient = new NetworkStack(Pair.Switch.AddNic("c", "02:00:00:00:00:0c"), client, new SeededRandom((uint)seed * 17 + 3));
            SecondClient.Configure(AddressC, StackPair.Mask, StackPair.Gateway, 0);
            Attacker = new RawPeer(Pair.Switch, "02:00:00:00:00:66", AttackerAddress);
        }

        /// <summary>A client stack's configuration: the client side is a PC, many connections at once, with room for TIME_WAIT.</summary>
        public static StackConfig ClientConfig()
        {
            var client = new StackConfig();
            client.Tcp.MaxConnections = 16;
            client.Tcp.MaxListeners = 1;
            return client;
        }

        public NetworkStack Device => Pair.B;
        public NetworkStack Client => Pair.A;
        public long Now => Pair.Switch.Now;

        /// <summary>Frames the attacker's NIC received (what the device sent it, broadcasts included).</summary>
        public long AttackerFramesReceived => Attacker.Nic.FramesReceived;

        /// <summary>Runs the LAN: both stacks, the services, the attacker's receive queue drained (it answers ARP
        /// for its own address), everyStep after each step.</summary>
        public bool RunUntil(Func<bool> done, int limitMs, Action everyStep = null)
        {
            return Pair.RunUntil(done, limitMs, () =>
            {
                SecondClient.Poll(Pair.Switch.Now);
                Services.Poll();
                DrainAttacker();
                everyStep?.Invoke();
            });
        }

        public void Run(int ms, Action everyStep = null) => RunUntil(() => false, ms, everyStep);

        /// <summary>Empties the attacker's queue; returns how many frames it held. ARP requests for its address
        /// are answered (RawPeer.NextUdp does that).</summary>
        public void DrainAttacker()
        {
            while (Attacker.NextUdp() != null)
            {
            }
        }

        /// <summary>A TCP segment to the device from any source address, sent from the attacker's NIC.</summary>
        public void SendTcp(uint source, int sourcePort, int destinationPort, int flags, uint seq, uint ack, int window = 1024)
        {
            EthernetFrame.Emit(_frame, 0, Pair.NicB.Mac, 0, Attacker.Nic.Mac, 0, EtherType.Ipv4);
            var tcp = new TcpHeader { SourcePort = sourcePort, DestinationPort = destinationPort, SequenceNumber = seq, AcknowledgmentNumber = ack, Flags = flags, Window = window };
            int length = tcp.Emit(_frame, 34, 0, source, StackPair.AddressB);
            Ipv4Packet.Emit(_frame, 14, Ipv4Header.Create(source, StackPair.AddressB, IpProtocol.Tcp, length, 1));
            Attacker.SendFrame(_frame, Math.Max(60, 34 + length));
            AttackerFramesSent++;
        }

        /// <summary>An ARP packet from the attacker's NIC with whatever sender it claims.</summary>
        public void SendArp(int operation, byte[] ethernetDestination, uint sender, byte[] senderMac, uint target, byte[] targetMac)
        {
            EthernetFrame.Emit(_frame, 0, ethernetDestination, 0, Attacker.Nic.Mac, 0, EtherType.Arp);
            ArpPacket.Emit(_frame, 14, operation, senderMac, 0, sender, targetMac, 0, target);
            Attacker.SendFrame(_frame, 60);
            AttackerFramesSent++;
        }

        /// <summary>An ICMP echo request to the device from any source address, sent from the attacker's NIC.</summary>
        public void SendPing(uint source, int sequence)
        {
            EthernetFrame.Emit(_frame, 0, Pair.NicB.Mac, 0, Attacker.Nic.Mac, 0, EtherType.Ipv4);
            IcmpV4Message.EmitEcho(_frame, 34, IcmpV4Message.TypeEchoRequest, 1, sequence & 0xFFFF, 56);
            Ipv4Packet.Emit(_frame, 14, Ipv4Header.Create(source, StackPair.AddressB, IpProtocol.Icmp, 64, sequence & 0xFFFF));
            Attacker.SendFrame(_frame, 98);
            AttackerFramesSent++;
        }

        public void SendUdp(uint source, int sourcePort, uint destination, int destinationPort, byte[] payload, byte[] ethernetDestination = null)
        {
            Attacker.SendUdp(ethernetDestination ?? Pair.NicB.Mac, destination, sourcePort, destinationPort, payload, source);
            AttackerFramesSent++;
        }

        public static readonly byte[] Broadcast = { 255, 255, 255, 255, 255, 255 };
        public static readonly byte[] ZeroMac = new byte[6];

        /// <summary>A random address on the /24 that no NIC owns (the stacks are .1, .2 and .3, the attacker .102).</summary>
        public static uint SpoofedOnLink(Random random)
        {
            while (true)
            {
                uint host = (uint)random.Next(4, 254);
                if (host != (AttackerAddress & 0xFF))
                    return 0x0A000000u | host;
            }
        }

        /// <summary>One legitimate HTTP exchange from A: true when the whole status page came back within limitMs.</summary>
        public bool FetchStatusPage(int limitMs, Action everyStep = null)
        {
            TcpConnection c = Client.Tcp.Connect(Client.Address, StackPair.AddressB, ServicePorts.Http, 0);
            if (c == null)
                return false;
            byte[] request = Encoding.ASCII.GetBytes("GET / HTTP/1.0\r\n\r\n");
            var page = new StringBuilder();
            var buffer = new byte[2048];
            bool sent = false;
            bool done = RunUntil(() => c.IsReceiveFinished && c.State != TcpState.SynSent, limitMs, () =>
            {
                if (!sent && c.IsConnected)
                    sent = Client.Tcp.Send(c, request, 0, request.Length) == request.Length;
                int n;
                while ((n = Client.Tcp.Receive(c, buffer, 0, buffer.Length)) > 0)
                    page.Append(Encoding.ASCII.GetString(buffer, 0, n));
                everyStep?.Invoke();
            });
            bool ok = done && c.Error == TcpError.None && page.ToString().StartsWith("HTTP/1.1 200 OK") && page.ToString().Contains("connections:");
            Client.Tcp.Close(c);
            return ok;
        }

        /// <summary>As a user would: try, and on failure try again 200 ms later, until the page came or limitMs ran out.
        /// Returns the milliseconds it took, or -1.</summary>
        public long FetchStatusPageRetrying(int limitMs, Action everyStep = null)
        {
            long start = Now;
            while (Now - start < limitMs)
            {
                if (FetchStatusPage((int)(limitMs - (Now - start)), everyStep))
                    return Now - start;
                Run(200, everyStep); // a user (or curl --retry) tries again shortly after
            }
            return -1;
        }
    }
}
