// The TCP engine: a fixed table of connections and listeners, fed segments by the IP layer
// (TcpEngine.Input.cs, RFC 9293 3.10.7), sending through ITcpTransmitter (TcpEngine.Output.cs), driven
// by Poll for its timers (TcpEngine.Timers.cs). This file: construction, the table, and the
// application's calls (RFC 9293 3.10.1-3.10.6: OPEN, SEND, RECEIVE, CLOSE, ABORT, STATUS).
// Single-threaded: only the poll loop, or a caller holding the stack's lock, may call in.
namespace NanoTcp.Tcp
{
    public sealed partial class TcpEngine
    {
        private readonly TcpConfig _config;
        private readonly ITcpTransmitter _transmitter;
        private readonly IRandomSource _random;
        private readonly IInitialSequenceNumbers _isn;
        private readonly SynCookies _cookies;
        private readonly TcpConnection[] _connections;
        private readonly TcpListener[] _listeners;
        internal long _now; // NetworkStack.Poll sets it before the earliest-deadline test it makes for the engine
        private const int RtoAfterRetransmittedSynMs = 3000; // RFC 6298 5.7
        private long _challengeWindowStart;
        private int _challengeAcksInWindow;
        private readonly RateLimiter _resets;
        private int _nextEphemeralPort;

        public readonly TcpCounters Counters = new TcpCounters();

        // Receiver SWS avoidance (RFC 1122 4.2.3.3): the window opens by min(half the receive ring, our MSS) or not
        // at all. Every connection's ring has the configured size, so the threshold is the engine's.
        private readonly int _receiveSwsThreshold;

        public TcpEngine(TcpConfig config, ITcpTransmitter transmitter, IRandomSource random, IInitialSequenceNumbers isn)
        {
            _config = config;
            _transmitter = transmitter;
            _random = random;
            _isn = isn != null ? isn : new Rfc6528SequenceNumbers(random);
            _cookies = new SynCookies(random);
            _resets = new RateLimiter(config.ResetsPerSecond);
            int half = config.ReceiveBufferSize / 2;
            _receiveSwsThreshold = half < config.LocalMss ? half : config.LocalMss;
            _connections = new TcpConnection[config.MaxConnections];
            for (int i = 0; i < _connections.Length; i++)
                _connections[i] = new TcpConnection(config, this);
            _listeners = new TcpListener[config.MaxListeners];
            for (int i = 0; i < _listeners.Length; i++)
                _listeners[i] = new TcpListener(config.MaxAcceptQueue);
            int range = 65536 - config.EphemeralPortFirst;
            _nextEphemeralPort = config.EphemeralPortFirst + (int)(random.NextUInt32() % (uint)range);
        }

        public TcpConfig Config { get { return _config; } }

        /// <summary>The connection slots, for status pages and tests (index order, in use or not).</summary>
        public int ConnectionCount { get { return _connections.Length; } }
        public TcpConnection ConnectionAt(int index) { return _connections[index]; }

        /// <summary>Slots in use, any state.</summary>
        public int ConnectionsInUse
        {
            get
            {
                int n = 0;
                for (int i = 0; i < _connections.Length; i++)
                    if (_connections[i].InUse) n++;
                return n;
            }
        }

        // ---- Application calls ------------------------------------------------------------------

        /// <summary>Passive OPEN. Returns null when the port is taken, invalid, or no listener is free.</summary>
        public TcpListener Listen(int port, int backlog)
        {
            if (port <= 0 || port > 65535 || FindListener(port) != null)
                return null;
            for (int i = 0; i < _listeners.Length; i++)
            {
                TcpListener listener = _listeners[i];
                if (listener.Active)
                    continue;
                listener.Active = true;
                listener.Port = port;
                listener.Backlog = backlog < 1 ? 1 : (backlog > listener.AcceptQueue.Length ? listener.AcceptQueue.Length : backlog);
                listener.AcceptHead = 0;
                listener.AcceptCount = 0;
                return listener;
            }
            return null;
        }

        /// <summary>The next established connection of the listener, or null.</summary>
        public TcpConnection Accept(TcpListener listener)
        {
            if (listener == null)
                return null; // a Listen that failed: nothing to accept, not an exception
            TcpConnection connection = listener.Dequeue();
            if (connection != null)
            {
                connection.Listener = null;
                connection.Released = false;
            }
            return connection;
        }

        /// <summary>Closes a listener: queued and half-open connections are reset.</summary>
        public void StopListening(TcpListener listener)
        {
            if (!listener.Active)
                return;
            for (int i = 0; i < _connections.Length; i++)
            {
                TcpConnection c = _connections[i];
                if (c.InUse && c.Listener == listener)
                    AbortConnection(c, TcpError.Aborted);
            }
            listener.Active = false;
            listener.AcceptCount = 0;
        }

        /// <summary>Active OPEN from localAddress (localPort 0: an ephemeral port). Null when no slot is free
        /// or the 4-tuple is in use. The SYN goes out at once.</summary>
        public TcpConnection Connect(uint localAddress, uint remoteAddress, int remotePort, int localPort)
        {
            if (remotePort <= 0 || remotePort > 65535 || localPort < 0 || localPort > 65535)
                return null;
            if (localPort == 0)
                localPort = ChooseEphemeralPort(localAddress, remoteAddress, remotePort);
            if (localPort == 0 || Find(localAddress, localPort, remoteAddress, remotePort) != null)
                return null;
            TcpConnection c = AllocateSlot(SlotForOpen);
            if (c == null)
                return null;
            c.Initialize(_config, localAddress, localPort, remoteAddress, remotePort);
            c.LastProgressAt = _now;
            c.StartSequence(_isn.Next(localAddress, localPort, remoteAddress, remotePort, _now));
            c.StateValue = TcpState.SynSent;
            c.SynToSend = true;
            Counters.ActiveOpens++;
            Output(c);
            return c;
        }

        /// <summary>SEND: queues up to count bytes; returns how many were taken (0 when the ring is full),
        /// -1 when this connection can no longer send.</summary>
        public int Send(TcpConnection c, byte[] buffer, int offset, int count)
        {
            TcpState state = c.StateValue; // CanSend, inline: every write of the application
            if (c.FinQueued || (state != TcpState.Established && state != TcpState.CloseWait && state != TcpState.SynSent
                && state != TcpState.SynReceived))
                return -1;
            int n = c.SendBuffer.Enqueue(buffer, offset, count);
            if (n > 0)
                Output(c);
            return n;
        }

        /// <summary>RECEIVE: copies up to count in-order bytes; 0 when none is waiting (see IsReceiveFinished).</summary>
        public int Receive(TcpConnection c, byte[] buffer, int offset, int count)
        {
            TcpReceiveBuffer ring = c.ReceiveBuffer;
            if (ring._count == 0)
                return 0; // an application's read loop ends with one of these every time: no call into the ring
            int n = ring.Read(buffer, offset, count);
            // Window update (RFC 1122 4.2.3.3, RFC 9293 3.8.6.2.2), sent from here, not at a poll, when it at
            // least doubles what the peer has left to send into; short of that the peer is still sending, and
            // the update rides on the ACKs its segments get (Linux's tcp_cleanup_rbuf rule).
            if (n > 0 && !c.FinReceived && c.StateValue >= TcpState.Established) // IsSynchronized, inline
            {
                int free = ring._data.Length - ring._count, open = StillOpen(c); // once for both tests
                if (free - open >= _receiveSwsThreshold && 2 * open <= free)
                {
                    c.AckNow = true;
                    if (_holdingOutput)
                        _outputHeld = true; // it rides on the application's next Send, or leaves at ReleaseOutput
                    else
                        Output(c);
                }
            }
            return n;
        }

        /// <summary>Half-close: a FIN follows the queued data; receiving goes on.</summary>
        public void Shutdown(TcpConnection c)
        {
            if (c.FinQueued || !c.InUse)
                return;
            switch (c.StateValue)
            {
                case TcpState.SynSent:
                    CloseConnection(c, TcpError.None);
                    return;
                case TcpState.SynReceived:
                    c.FinQueued = true; // sent once the handshake completes (RFC 9293 3.10.4)
                    return;
                case TcpState.Established:
                    c.FinQueued = true;
                    c.StateValue = TcpState.FinWait1;
                    break;
                case TcpState.CloseWait:
                    c.FinQueued = true;
                    c.StateValue = TcpState.LastAck;
                    break;
                default:
                    return;
            }
            Output(c);
        }

        /// <summary>CLOSE: graceful when everything received was read, else an abort (RFC 1122 4.2.2.13).
        /// The handle must not be used afterwards; the slot is reused once the connection is done.</summary>
        public void Close(TcpConnection c)
        {
            if (!c.InUse || c.Released)
                return;
            if (c.ReceiveBuffer.Count > 0 && c.StateValue != TcpState.Closed)
            {
                Abort(c);
                return;
            }
            c.Released = true;
            c.UserClosed = true;
            if (c.StateValue == TcpState.Closed)
            {
                FreeSlot(c);
                return;
            }
            Shutdown(c);
            if (c.StateValue == TcpState.FinWait2)
            {
                c.CloseAt = _now + _config.FinWait2TimeoutMs;
                TimerArmed(c.CloseAt);
            }
        }

        /// <summary>ABORT: RST to the peer (in synchronized states), then the slot is free.</summary>
        public void Abort(TcpConnection c)
        {
            if (!c.InUse)
                return;
            c.Released = true;
            c.UserClosed = true;
            if (c.StateValue == TcpState.Closed)
                FreeSlot(c);
            else
                AbortConnection(c, TcpError.Aborted);
        }

        // ---- The table ------------------------------------------------------------------------

        internal TcpConnection Find(uint localAddress, int localPort, uint remoteAddress, int remotePort)
        {
            return FindByPorts(localAddress, remoteAddress, TcpConnection.WirePortsOf(remotePort, localPort));
        }

        /// <summary>The connection of a segment from remoteAddress to localAddress whose port fields are wirePorts
        /// (TcpSegment._ports, TcpConnection.WirePortsOf): one comparison for both ports, every segment.</summary>
        internal TcpConnection FindByPorts(uint localAddress, uint remoteAddress, uint wirePorts)
        {
            TcpConnection[] connections = _connections;
            for (int i = 0; i < connections.Length; i++)
            {
                TcpConnection c = connections[i];
                if (c.InUse && c.StateValue != TcpState.Closed && c.WirePorts == wirePorts && c.RemoteAddressValue == remoteAddress
                    && c.LocalAddress == localAddress)
                    return c;
            }
            return null;
        }

        /// <summary>The active listener on a port, or null.</summary>
        public TcpListener FindListener(int port)
        {
            for (int i = 0; i < _listeners.Length; i++)
                if (_listeners[i].Active && _listeners[i].Port == port)
                    return _listeners[i];
            return null;
        }

        private void FreeSlot(TcpConnection c)
        {
            if (c.Listener != null)
                c.Listener.Remove(c);
            c.Listener = null;
            c.StateValue = TcpState.Closed;
            c.StopTimers();
            c.InUse = false;
        }

        private int ChooseEphemeralPort(uint localAddress, uint remoteAddress, int remotePort)
        {
            int range = 65536 - _config.EphemeralPortFirst;
            for (int tries = 0; tries < range; tries++)
            {
                int port = _nextEphemeralPort;
                _nextEphemeralPort = port + 1 > 65535 ? _config.EphemeralPortFirst : port + 1;
                if (FindListener(port) == null && Find(localAddress, port, remoteAddress, remotePort) == null)
                    return port;
            }
            return 0;
        }

        /// <summary>The connection ends: CLOSED with the reason; the slot is freed if the application
        /// has let go of it, else kept until it calls Close.</summary>
        private void CloseConnection(TcpConnection c, TcpError error)
        {
            c.StateValue = TcpState.Closed;
            c.ErrorValue = error;
            c.StopTimers();
            if (c.Listener != null)
            {
                c.Listener.Remove(c);
                c.Listener = null;
                c.Released = true; // never accepted: nobody holds it
            }
            if (c.Released)
                FreeSlot(c);
        }

        private void AbortConnection(TcpConnection c, TcpError error)
        {
            if (c.StateValue >= TcpState.SynReceived && c.StateValue != TcpState.TimeWait)
                SendReset(c.LocalAddress, c.LocalPortNumber, c.RemoteAddressValue, c.RemotePortNumber, AcceptableSequence(c), 0, false);
            CloseConnection(c, error);
        }

        /// <summary>RFC 5961 section 7: at most ChallengeAcksPerSecond challenge ACKs in any second.</summary>
        private void ChallengeAck(TcpConnection c)
        {
            if (_now - _challengeWindowStart >= 1000)
            {
                _challengeWindowStart = _now;
                _challengeAcksInWindow = 0;
            }
            if (_challengeAcksInWindow >= _config.ChallengeAcksPerSecond)
            {
                Counters.ChallengeAcksSuppressed++;
                return;
            }
            _challengeAcksInWindow++;
            Counters.ChallengeAcks++;
            c.AckNow = true;
        }

        private void SetPeerMss(TcpConnection c, int optionValue, bool present)
        {
            int mss = present ? optionValue : _config.DefaultMss;
            if (mss < _config.MinimumMss) mss = _config.MinimumMss;
            if (mss > _config.LocalMss) mss = _config.LocalMss;
            if (mss > c.PathMss) mss = c.PathMss;
            c.Mss = mss;
            c.Congestion.Reset(mss, c.Iss);
            // What counts as a full-sized segment before the peer has sent any (Linux tcp_initialize_rcv_mss).
            int segment = mss < _config.DefaultMss ? mss : _config.DefaultMss;
            int half = _config.ReceiveBufferSize / 2;
            if (segment > half) segment = half;
            c.PeerSegmentSize = segment < _config.MinimumMss ? _config.MinimumMss : segment;
        }
    }
}
