// One transmission control block (RFC 9293 3.3.1), preallocated with its rings and reused after
// CLOSED. Variables carry the RFC's names so code and RFC read side by side (STYLE.md 6); the engine
// reads them as fields because every property call costs on the device's interpreter.
namespace NanoTcp.Tcp
{
    public sealed class TcpConnection
    {
        internal const long Off = long.MaxValue;

        internal readonly TcpSendBuffer SendBuffer;
        private readonly TcpEngine _engine; // told when an option changes: its Poll acts on them
        internal readonly TcpReceiveBuffer ReceiveBuffer;
        // Structs kept inside the connection (no object of their own); never copy them into a local.
        internal ReassemblyRanges OutOfOrder;
        internal RoundTripEstimator Rtt;
        internal NewReno Congestion;

        // Slot bookkeeping
        internal bool InUse;
        internal bool Released;       // the application will not touch it again (or never held it)
        internal bool UserClosed;     // the application called Close or Abort: nobody reads any more
        internal TcpListener Listener; // set for a passive open until the connection is accepted or gone
        internal bool Passive;        // opened by a listener (the per-peer limit counts these)

        // Identity
        internal uint LocalAddress;
        internal int LocalPortNumber;
        internal uint RemoteAddressValue;
        internal int RemotePortNumber;
        internal uint WirePorts; // the peer's port fields (its source, our destination) as a segment's header holds them
        internal TcpState StateValue;
        internal TcpError ErrorValue;

        // Send sequence variables (RFC 9293 3.3.1), plus SND.MAX (highest sequence sent) and the
        // largest window the peer ever offered (RFC 5961 5.2 MAX.SND.WND).
        internal uint Iss;
        internal uint SndUna;
        internal uint SndNxt;
        internal uint SndMax;
        internal int SndWnd;
        internal uint SndWl1;
        internal uint SndWl2;
        internal int MaxSndWnd;
        internal int Mss;
        internal int PathMss;            // RFC 1191: what the path takes, as fragmentation-needed messages reported
        internal uint SendSequenceStart; // sequence number of SendBuffer's first byte

        // Receive sequence variables
        internal uint Irs;
        internal uint RcvNxt;
        internal uint RcvAdvertisedEdge; // RCV.NXT + RCV.WND as last advertised: never moved left

        // Closing
        internal bool FinQueued;
        internal bool FinSent;
        internal uint FinSequence;
        internal bool FinReceived;
        internal bool FinPending;          // a FIN seen beyond a hole
        internal uint FinPendingSequence;

        // Output requests and timers (absolute milliseconds; Off when not running)
        internal bool SynToSend;
        internal bool AckNow;
        internal int FullSegmentsUnacked;
        internal int PeerSegmentSize;  // largest segment the peer sent (Linux rcv_mss): "full-sized" for delayed ACKs
        internal long RetransmitAt;
        internal long PersistAt;
        internal long DelayedAckAt;
        internal long KeepAliveAt;
        internal long CloseAt; // TIME_WAIT end, the FIN_WAIT_2 limit of a closed connection, or a half-open entry's end
        internal long LastProgressAt; // when data or a SYN/FIN last moved either way (RCV.NXT or SND.UNA advanced)
        internal int Retries;
        internal int PersistProbes;   // probes since the peer's window shut (RFC 6429 limit of a closed connection)
        internal int PersistBackoff;  // doublings of the probe interval while the window stays shut
        internal long PersistSinceMs; // when the peer's window shut with data waiting (Off: open)
        internal int KeepAliveProbesSent;
        internal bool RttTiming;
        internal uint RttSequence;
        internal long RttStartMs;
        internal bool SynRetransmitted; // for RFC 6298 5.7

        // Per-connection options
        internal bool NagleEnabled;
        internal bool DelayedAckEnabled;
        internal bool KeepAliveEnabled;

        internal TcpConnection(TcpConfig config, TcpEngine engine)
        {
            _engine = engine;
            SendBuffer = new TcpSendBuffer(config.SendBufferSize);
            ReceiveBuffer = new TcpReceiveBuffer(config.ReceiveBufferSize);
            OutOfOrder = new ReassemblyRanges(config.MaxOutOfOrderRanges);
            Rtt = new RoundTripEstimator(config);
        }

        public TcpState State { get { return StateValue; } }
        /// <summary>Why the connection ended; None while open or after a graceful close.</summary>
        public TcpError Error { get { return ErrorValue; } }
        public int LocalPort { get { return LocalPortNumber; } }
        public uint RemoteAddress { get { return RemoteAddressValue; } }
        public int RemotePort { get { return RemotePortNumber; } }
        /// <summary>Bytes Receive can return now.</summary>
        public int BytesAvailable { get { return ReceiveBuffer.Count; } }
        /// <summary>Bytes Send can take now.</summary>
        public int SendSpace { get { return CanSend ? SendBuffer.Free : 0; } }
        /// <summary>Sent bytes not yet acknowledged plus bytes not yet sent.</summary>
        public int BytesUnacknowledged { get { return SendBuffer.Count; } }
        /// <summary>The peer closed its side and every byte it sent has been read (end of stream).</summary>
        public bool IsReceiveFinished { get { return (FinReceived || StateValue == TcpState.Closed) && ReceiveBuffer.Count == 0; } }
        /// <summary>When the connection last moved data either way (milliseconds, the engine's clock): idle timeouts.</summary>
        public long LastProgressMs { get { return LastProgressAt; } }
        public bool IsConnected { get { return StateValue == TcpState.Established || StateValue == TcpState.CloseWait; } }

        /// <summary>Nagle's algorithm (RFC 896, RFC 1122 4.2.3.4); on by default.</summary>
        public bool Nagle { get { return NagleEnabled; } set { NagleEnabled = value; _engine.WalkAtNextPoll(); } }
        /// <summary>Delayed acknowledgments (RFC 1122 4.2.3.2); on by default.</summary>
        public bool DelayedAck { get { return DelayedAckEnabled; } set { DelayedAckEnabled = value; _engine.WalkAtNextPoll(); } }
        /// <summary>Keepalive probes (RFC 1122 4.2.3.6); off by default.</summary>
        public bool KeepAlive { get { return KeepAliveEnabled; } set { KeepAliveEnabled = value; _engine.WalkAtNextPoll(); } }

        internal bool CanSend
        {
            get
            {
                return !FinQueued && (StateValue == TcpState.Established || StateValue == TcpState.CloseWait
                    || StateValue == TcpState.SynSent || StateValue == TcpState.SynReceived);
            }
        }

        internal bool IsSynchronized
        {
            get { return StateValue >= TcpState.Established; }
        }

        internal void Initialize(TcpConfig config, uint localAddress, int localPort, uint remoteAddress, int remotePort)
        {
            InUse = true;
            Released = false;
            UserClosed = false;
            Listener = null;
            Passive = false;
            LocalAddress = localAddress;
            LocalPortNumber = localPort;
            RemoteAddressValue = remoteAddress;
            RemotePortNumber = remotePort;
            WirePorts = WirePortsOf(remotePort, localPort);
            StateValue = TcpState.Closed;
            ErrorValue = TcpError.None;
            Iss = SndUna = SndNxt = SndMax = SndWl1 = SndWl2 = SendSequenceStart = 0;
            SndWnd = MaxSndWnd = 0;
            Mss = config.DefaultMss;
            PathMss = config.LocalMss;
            Irs = RcvNxt = RcvAdvertisedEdge = 0;
            FinQueued = FinSent = FinReceived = FinPending = false;
            FinSequence = FinPendingSequence = 0;
            SynToSend = AckNow = false;
            FullSegmentsUnacked = 0;
            PeerSegmentSize = config.DefaultMss;
            PersistSinceMs = Off;
            SynRetransmitted = false;
            StopTimers();
            Retries = PersistProbes = PersistBackoff = KeepAliveProbesSent = 0;
            RttTiming = false;
            RttSequence = 0;
            RttStartMs = 0;
            NagleEnabled = config.NagleByDefault;
            DelayedAckEnabled = config.DelayedAckByDefault;
            KeepAliveEnabled = config.KeepAliveByDefault;
            SendBuffer.Clear();
            ReceiveBuffer.Clear();
            OutOfOrder.Clear();
            Rtt.Reset();
        }

        /// <summary>A segment's source and destination port fields (2 bytes each, network order) as
        /// BitConverter.ToUInt32 reads the four bytes on this machine: the key TcpEngine.FindByPorts compares.</summary>
        internal static uint WirePortsOf(int sourcePort, int destinationPort)
        {
            // Worked in uint locals (declared types on nanoCLR), as the native read the key is compared with is typed.
            uint source = (uint)sourcePort & 0xFFFF, destination = (uint)destinationPort & 0xFFFF;
            if (System.BitConverter.IsLittleEndian)
                return (source >> 8) | ((source & 0xFF) << 8) | ((destination >> 8) << 16) | ((destination & 0xFF) << 24);
            return (source << 16) | destination;
        }

        /// <summary>Sets ISS and the send variables that follow from it.</summary>
        internal void StartSequence(uint iss)
        {
            Iss = iss;
            SndUna = iss;
            SndNxt = iss;
            SndMax = iss;
            SendSequenceStart = iss + 1;
            Congestion.Reset(Mss, iss);
        }

        internal void StopTimers()
        {
            RetransmitAt = PersistAt = DelayedAckAt = KeepAliveAt = CloseAt = Off;
        }
    }
}
