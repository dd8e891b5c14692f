// Capacities and protocol constants of the TCP engine: a few named values in one place (STYLE.md 8).
// Everything is allocated from these when the engine is built; nothing after.
namespace NanoTcp.Tcp
{
    public sealed class TcpConfig
    {
        /// <summary>Connection slots (half-open, established and TIME_WAIT all take one).</summary>
        public int MaxConnections = 4;
        public int MaxListeners = 4;
        public int SendBufferSize = 2048;
        public int ReceiveBufferSize = 2048;
        /// <summary>Out-of-order ranges held per connection beyond the first hole.</summary>
        public int MaxOutOfOrderRanges = 4;
        /// <summary>Half-open connections per listener; beyond it SYNs are answered with cookies (RFC 4987).
        /// Kept below MaxConnections so that a flood cannot take the slots completed handshakes need.</summary>
        public int SynQueueLength = 1;
        /// <summary>Half-open connections of all listeners together (RFC 4987 3.2); beyond it, cookies.</summary>
        public int MaxHalfOpen = 2;
        /// <summary>How long a half-open entry may hold its slot (RFC 4987 3.3, a reduced SYN-RECEIVED timer).</summary>
        public int HalfOpenTimeoutMs = 4000;
        /// <summary>An established connection without progress this long may be reset to make room for a
        /// completed handshake when no slot is free (TcpEngine.Slots.cs).</summary>
        public int ReclaimIdleMs = 2000;
        /// <summary>Passive connections one remote address may hold at once, so that one host cannot take every
        /// slot (TcpEngine.Slots.cs); 0: no limit.</summary>
        public int MaxConnectionsPerPeer = 3;
        /// <summary>RSTs answering unsolicited segments, per second (as ICMP errors are, RFC 1812 4.3.2.8).</summary>
        public int ResetsPerSecond = 100;
        /// <summary>Upper bound of a listener's accept queue (Listen's backlog is clamped to it).</summary>
        public int MaxAcceptQueue = 4;

        /// <summary>Maximum segment lifetime; TIME_WAIT lasts 2 MSL (RFC 9293 3.4.2).</summary>
        public int MslMs = 30000;
        /// <summary>MSS we announce: interface MTU minus 40.</summary>
        public int LocalMss = 1460;
        /// <summary>Peer MSS assumed without an MSS option (RFC 9293 3.7.1).</summary>
        public int DefaultMss = 536;
        /// <summary>Smallest peer MSS we honour; smaller (or zero) values are raised to it.</summary>
        public int MinimumMss = 88;

        /// <summary>RFC 6298 2.1 initial RTO, 2.4 lower bound, 2.5 upper bound.</summary>
        public int InitialRtoMs = 1000;
        public int MinRtoMs = 1000;
        public int MaxRtoMs = 60000;
        /// <summary>Clock granularity G of RFC 6298 2.2.</summary>
        public int ClockGranularityMs = 10;
        public int SynRetries = 5;
        public int DataRetries = 8;

        /// <summary>RFC 1122 4.2.3.2: the delay MUST be under 0.5 s; the issue bounds it at 200 ms.</summary>
        public int DelayedAckMs = 100;
        public bool DelayedAckByDefault = true;
        public bool NagleByDefault = true;

        /// <summary>RFC 1122 4.2.3.6: off by default; idle time no less than two hours by default.</summary>
        public bool KeepAliveByDefault = false;
        public int KeepAliveIdleMs = 7200000;
        public int KeepAliveIntervalMs = 75000;
        public int KeepAliveProbes = 9;

        /// <summary>RFC 6429: zero-window probes a connection the application has closed may send before it is
        /// given up (Linux's orphan limit); and how long a connection held open may see only a zero window
        /// (about the data-retransmission give-up time: 1+2+4+...+60 s over DataRetries).</summary>
        public int OrphanZeroWindowProbes = 8;
        public int ZeroWindowTimeoutMs = 240000;

        /// <summary>How long a connection the application has closed may wait in FIN_WAIT_2 for the peer's FIN.</summary>
        public int FinWait2TimeoutMs = 60000;
        /// <summary>RFC 5961 section 7: challenge ACKs sent per second, all connections together.</summary>
        public int ChallengeAcksPerSecond = 10;
        /// <summary>First port of the ephemeral range (RFC 6335: 49152-65535).</summary>
        public int EphemeralPortFirst = 49152;
    }
}
