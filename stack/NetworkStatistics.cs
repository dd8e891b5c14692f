// What every layer did, in the spirit of `netstat -s` (RFC 4293 / RFC 4022 names where they exist).
// Plain int fields: only the poll loop writes them.
using NanoTcp.Tcp;
using NanoTcp.Wire;

namespace NanoTcp
{
    public sealed class NetworkStatistics
    {
        // Link
        public int FramesReceived;
        public int FramesSent;
        public int FramesNotForUs;
        public int FramesUnknownEtherType;
        public int FramesTransmitFailed;
        public int FramesOversized;

        // ARP (RFC 826)
        public int ArpRequestsReceived;
        public int ArpRepliesReceived;
        public int ArpRequestsSent;
        public int ArpRepliesSent;
        public int ArpAddressConflicts;
        public int ArpEntriesEvicted;
        public int ArpPendingDropped;
        public int ArpResolutionFailures;
        /// <summary>Broadcast requests not sent: over ArpRequestsPerSecond.</summary>
        public int ArpRequestsSuppressed;
        /// <summary>ARP packets claiming a different MAC for a resolved entry (verified by a unicast poll).</summary>
        public int ArpClaimsDisputed;
        /// <summary>Claims taken because the MAC we had did not answer its poll.</summary>
        public int ArpClaimsAccepted;
        /// <summary>ARP packets for us from new senders not learned: every entry carries a peer we talk to.</summary>
        public int ArpSendersNotLearned;
        /// <summary>Connection peers learned from the Ethernet source of their TCP segments.</summary>
        public int ArpLearnedFromConnections;

        // IPv4 (RFC 791, RFC 1122)
        public int IpReceived;
        public int IpDelivered;
        public int IpNotForUs;
        public int IpBadSource;
        public int IpFragmentsDropped;
        public int IpUnknownProtocol;
        /// <summary>Packets whose frame left (at once, or after their next hop was resolved).</summary>
        public int IpSent;
        public int IpNoRoute;
        /// <summary>Packets queued while their next hop is resolved.</summary>
        public int IpAwaitingArp;
        /// <summary>Packets dropped for want of a next hop's MAC (no request budget, queue full, no answer).</summary>
        public int IpDroppedNoArp;
        /// <summary>Answers sent to the Ethernet source of the frame they answer, for want of an ARP entry.</summary>
        public int IpSentToFrameSender;

        // ICMP (RFC 792)
        public int IcmpEchoRequestsReceived;
        public int IcmpEchoRepliesSent;
        public int IcmpEchoRepliesReceived;
        public int IcmpErrorsReceived;
        public int IcmpDestinationUnreachableSent;
        public int IcmpRateLimited;

        // UDP (RFC 768)
        public int UdpReceived;
        public int UdpDelivered;
        public int UdpNoPort;
        public int UdpQueueFull;
        public int UdpTooLarge;
        public int UdpSent;

        /// <summary>Frames and packets dropped by the wire-layer parsers, by WireError reason.</summary>
        public readonly int[] ParseErrors = new int[(int)WireError.Count];

        /// <summary>The TCP engine's own counters.</summary>
        public TcpCounters Tcp;

        public int ParseErrorTotal
        {
            get
            {
                int total = 0;
                for (int i = 1; i < ParseErrors.Length; i++)
                    total += ParseErrors[i];
                return total;
            }
        }
    }
}
