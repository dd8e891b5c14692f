// What the engine did, in the spirit of `netstat -s` (RFC 4022 names where one exists).
namespace NanoTcp.Tcp
{
    public sealed class TcpCounters
    {
        public int ActiveOpens;
        public int PassiveOpens;
        public int AttemptFails;
        public int EstablishedResets;
        public int SegmentsReceived;
        public int SegmentsSent;
        public int SegmentsRetransmitted;
        public int ResetsSent;
        public int ResetsReceived;
        public int RetransmitTimeouts;
        public int FastRetransmits;
        public int ConnectionTimeouts;
        public int ZeroWindowProbes;
        public int KeepAliveProbes;
        public int OutOfOrderSegments;
        public int OutOfOrderDropped;
        public int DroppedOutOfWindow;
        public int DroppedNoAck;
        public int DroppedNoListener;
        public int DroppedNoBuffer;
        public int DroppedSynFin;
        public int ChallengeAcks;
        public int ChallengeAcksSuppressed;
        public int SynCookiesSent;
        public int SynCookiesAccepted;
        public int SynCookiesRejected;
        public int AcceptQueueOverflows;
        public int ConnectionTableFull;
        public int TimeWaitRecycled;
        public int TimeWaitReopened;
        public int HalfOpenDropped;
        /// <summary>Connections reset to give their slot to a completed handshake (slot policy).</summary>
        public int ConnectionsReclaimed;
        /// <summary>Completed handshakes answered with RST because no slot was to be had.</summary>
        public int ConnectionsRefused;
        /// <summary>Unsolicited RSTs not sent: over ResetsPerSecond.</summary>
        public int ResetsSuppressed;
        /// <summary>Segments that did not leave at once: no route, or waiting for (or dropped by) ARP. Those that
        /// leave after ARP are added to SegmentsSent then.</summary>
        public int SegmentsNotSent;
        public int UrgentPointerInvalid;
        public int DataAfterClose;
        /// <summary>ICMP errors about a connection whose quoted sequence number we never sent (RFC 5927 4.1).</summary>
        public int IcmpErrorsRejected;
        public int IcmpHardErrors;
        public int IcmpMssLowered;
    }
}
