// Capacities of the whole stack, allocated once when NetworkStack is built (ARCHITECTURE.md "Memory
// model"). The defaults are the configuration the footprint target is measured on: 4 TCP connections
// with 2 KB rings, 2 UDP sockets, 8 ARP entries.
using NanoTcp.Tcp;

namespace NanoTcp
{
    public sealed class StackConfig
    {
        public TcpConfig Tcp = new TcpConfig();

        public int ArpEntries = 8;
        /// <summary>IP packets held while their next hop is resolved; beyond it they are dropped and counted.</summary>
        public int ArpPendingPackets = 1;
        /// <summary>How long a resolved entry is trusted (RFC 1122 2.3.2.1 asks for a timeout).</summary>
        public int ArpEntryLifetimeMs = 60000;
        /// <summary>Before expiry, a used entry is refreshed by a unicast request this long ahead.</summary>
        public int ArpRefreshBeforeMs = 5000;
        /// <summary>RFC 1122 2.3.2.1: at most one request per second per address.</summary>
        public int ArpRetryIntervalMs = 1000;
        public int ArpRetries = 3;
        /// <summary>Broadcast ARP requests per second, all addresses together: traffic toward spoofed sources
        /// cannot make an ARP storm (in the spirit of RFC 1812 4.3.2.8's rate limits).</summary>
        public int ArpRequestsPerSecond = 10;
        /// <summary>RFC 5227 2.4 (b) DEFEND_INTERVAL: our address is defended at most once in this time.</summary>
        public int ArpDefendIntervalMs = 10000;

        public int UdpSockets = 2;
        /// <summary>Datagrams queued per socket before new ones are dropped.</summary>
        public int UdpQueueDepth = 2;
        /// <summary>Largest UDP payload a socket queue holds (DHCP needs 548, DNS 512).</summary>
        public int UdpDatagramCapacity = 576;
        /// <summary>IPv4 multicast groups the application can join (NetworkStack.JoinMulticast; mDNS takes one).</summary>
        public int MulticastGroups = 2;

        /// <summary>Frames handled per Poll, so a flood cannot starve timers.</summary>
        public int FramesPerPoll = 16;
        public int IcmpEchoRepliesPerSecond = 50;
        public int IcmpErrorsPerSecond = 10;
        public int Mtu = 1500;
    }
}
