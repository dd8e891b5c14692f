// A TCP socket for firmware threads, shaped like System.Net.Sockets.Socket with SocketType.Stream:
// Connect (to a name or an address, with a timeout), Send and Receive (with timeouts), Shutdown, Close.
// Blocking calls throw SocketException saying what happened; the Try* calls return at once, never
// throw and never allocate (for protocol state machines polled like the stack). One object serves
// connection after connection: Close, then Connect again, allocates nothing.
using System.Threading;
using NanoTcp.Firmware.Services;
using NanoTcp.Tcp;

namespace NanoTcp.Sockets
{
    public sealed class StreamSocket
    {
        private readonly SocketFactory _factory;
        private readonly StackRunner _runner;
        private TcpConnection _connection;
        private SocketError _lastError;

        internal StreamSocket(SocketFactory factory)
        {
            _factory = factory;
            _runner = factory.Runner;
        }

        /// <summary>Milliseconds Connect waits, name resolution included (Timeout.Infinite: no limit).</summary>
        public int ConnectTimeout = 10000;
        /// <summary>Milliseconds Send and Flush wait for room in the send ring or for acknowledgements.</summary>
        public int SendTimeout = 10000;
        /// <summary>Milliseconds Receive waits for the first byte.</summary>
        public int ReceiveTimeout = 30000;

        /// <summary>Established (or half-closed by the peer, with data still to read).</summary>
        public bool Connected { get { TcpConnection c = _connection; return c != null && c.IsConnected; } }
        /// <summary>Bytes received and not yet read.</summary>
        public int Available { get { TcpConnection c = _connection; return c == null ? 0 : c.BytesAvailable; } }
        /// <summary>Room in the send ring now.</summary>
        public int SendSpace { get { TcpConnection c = _connection; return c == null ? 0 : c.SendSpace; } }
        public uint RemoteAddress { get { TcpConnection c = _connection; return c == null ? 0 : c.RemoteAddress; } }
        public int RemotePort { get { TcpConnection c = _connection; return c == null ? 0 : c.RemotePort; } }
        public int LocalPort { get { TcpConnection c = _connection; return c == null ? 0 : c.LocalPort; } }

        /// <summary>Why the connection ended (Success while it is open or after a graceful end), or the last
        /// error a call returned.</summary>
        public SocketError Error
        {
            get
            {
                TcpConnection c = _connection;
                if (c != null && c.Error != TcpError.None)
                    return SocketFactory.FromTcp(c.Error);
                return _lastError;
            }
        }

        /// <summary>Nagle's algorithm off (RFC 1122 4.2.3.4) when true: small writes go at once.</summary>
        public bool NoDelay
        {
            get { TcpConnection c = _connection; return c != null && !c.Nagle; }
            set { TcpConnection c = _connection; if (c != null) c.Nagle = !value; }
        }

        // ---- Blocking ----------------------------------------------------------------------------

        /// <summary>Resolves host (a dotted quad or a DNS name) and connects; throws SocketException.</summary>
        public void Connect(string host, int port)
        {
            long started = _runner.NowMs;
            uint address = _factory.Resolve(host, ConnectTimeout);
            int left = ConnectTimeout;
            if (left != Timeout.Infinite)
            {
                left -= (int)(_runner.NowMs - started);
                if (left <= 0)
                    throw Fail(SocketError.TimedOut);
            }
            Connect(address, port, left);
        }

        public void Connect(uint address, int port)
        {
            Connect(address, port, ConnectTimeout);
        }

        private void Connect(uint address, int port, int timeoutMs)
        {
            SocketError error = CheckCanConnect(address, port);
            if (error != SocketError.Success)
                throw Fail(error);
            TcpConnection c = _runner.Connect(address, port, timeoutMs);
            if (c == null)
                throw Fail(SocketError.NoBufferSpaceAvailable);
            if (c.IsConnected)
            {
                _connection = c;
                _lastError = SocketError.Success;
                return;
            }
            // The runner aborts a connection whose timeout passed; any other end is TCP's (refused, timed out).
            error = c.Error == TcpError.Aborted || c.Error == TcpError.None ? SocketError.TimedOut : SocketFactory.FromTcp(c.Error);
            _runner.Close(c); // frees the slot (a no-op when the runner aborted it)
            throw Fail(error);
        }

        /// <summary>Sends all count bytes (copied into the send ring); throws when the connection ends or
        /// SendTimeout passes first.</summary>
        public int Send(byte[] buffer, int offset, int count)
        {
            TcpConnection c = Require();
            int n = _runner.Write(c, buffer, offset, count, SendTimeout);
            if (n == count)
                return n;
            throw Fail(EndOf(c));
        }

        /// <summary>Waits for at least one byte: the count, or 0 when the peer closed its side (end of stream).
        /// Throws on timeout or when the connection was reset.</summary>
        public int Receive(byte[] buffer, int offset, int count)
        {
            TcpConnection c = Require();
            if (count == 0)
                return 0;
            int n = _runner.Read(c, buffer, offset, count, ReceiveTimeout);
            if (n > 0)
                return n;
            if (n == StackRunner.TimedOut)
                throw Fail(SocketError.TimedOut);
            if (c.Error != TcpError.None)
                throw Fail(SocketFactory.FromTcp(c.Error));
            return 0;
        }

        /// <summary>Waits until everything sent was acknowledged by the peer; throws on timeout or reset.</summary>
        public void Flush()
        {
            TcpConnection c = Require();
            if (!_runner.Flush(c, SendTimeout))
                throw Fail(c.Error != TcpError.None ? SocketFactory.FromTcp(c.Error) : SocketError.TimedOut);
        }

        /// <summary>No more sends: a FIN follows the queued data (RFC 9293 3.10.4); receiving goes on.</summary>
        public void Shutdown()
        {
            TcpConnection c = _connection;
            if (c != null)
                _runner.Shutdown(c);
        }

        /// <summary>Closes gracefully (an abort when received data was left unread, RFC 1122 4.2.2.13) and
        /// releases the connection; the socket can Connect again.</summary>
        public void Close()
        {
            TcpConnection c = _connection;
            _connection = null;
            if (c != null)
                _runner.Close(c);
        }

        /// <summary>Resets the connection (RST) and releases it.</summary>
        public void Abort()
        {
            TcpConnection c = _connection;
            _connection = null;
            if (c != null)
                _runner.Abort(c);
        }

        // ---- Non-blocking (never wait, throw or allocate) ----------------------------------------

        /// <summary>Sends the SYN and returns InProgress (then watch ConnectStatus), or why it could not start.</summary>
        public SocketError BeginConnect(uint address, int port)
        {
            SocketError error = CheckCanConnect(address, port);
            if (error != SocketError.Success)
                return _lastError = error;
            NetworkStack stack = _factory.Stack;
            TcpConnection c;
            Monitor.Enter(_runner.Lock);
            try { c = stack.Tcp.Connect(stack.Address, address, port, 0); }
            finally { Monitor.Exit(_runner.Lock); }
            if (c == null)
                return _lastError = SocketError.NoBufferSpaceAvailable;
            _connection = c;
            _lastError = SocketError.Success;
            _runner.Wake();
            return SocketError.InProgress;
        }

        /// <summary>After BeginConnect: InProgress during the handshake, Success once established, else why it
        /// failed (Close the socket then). NotConnected when there is no connection.</summary>
        public SocketError ConnectStatus
        {
            get
            {
                TcpConnection c = _connection;
                if (c == null)
                    return SocketError.NotConnected;
                TcpState state = c.State;
                if (state == TcpState.SynSent || state == TcpState.SynReceived)
                    return SocketError.InProgress;
                if (c.IsConnected)
                    return SocketError.Success;
                return c.Error != TcpError.None ? SocketFactory.FromTcp(c.Error) : SocketError.NotConnected;
            }
        }

        /// <summary>Copies what has arrived: the count (0 when nothing is waiting), or -1 at end of stream or
        /// when the connection is gone (Error says why).</summary>
        public int TryReceive(byte[] buffer, int offset, int count)
        {
            TcpConnection c = _connection;
            if (c == null)
                return -1;
            Monitor.Enter(_runner.Lock);
            try
            {
                int n = _factory.Stack.Tcp.Receive(c, buffer, offset, count);
                if (n > 0)
                    return n;
                return c.IsReceiveFinished ? -1 : 0;
            }
            finally { Monitor.Exit(_runner.Lock); }
        }

        /// <summary>Queues what fits in the send ring: the count taken (0 when it is full), or -1 when the
        /// connection can no longer send (Error says why).</summary>
        public int TrySend(byte[] buffer, int offset, int count)
        {
            TcpConnection c = _connection;
            if (c == null)
                return -1;
            Monitor.Enter(_runner.Lock);
            try { return _factory.Stack.Tcp.Send(c, buffer, offset, count); }
            finally { Monitor.Exit(_runner.Lock); }
        }

        /// <summary>Sent bytes the peer has not acknowledged yet.</summary>
        public int BytesUnacknowledged { get { TcpConnection c = _connection; return c == null ? 0 : c.BytesUnacknowledged; } }

        // ---- For the listener ---------------------------------------------------------------------

        internal bool InUse { get { return _connection != null; } }

        internal void Adopt(TcpConnection c)
        {
            _connection = c;
            _lastError = SocketError.Success;
        }

        private SocketError CheckCanConnect(uint address, int port)
        {
            if (_connection != null)
                return SocketError.IsConnected;
            if (port <= 0 || port > 65535)
                return SocketError.InvalidArgument;
            return _factory.CheckRoute(address);
        }

        private TcpConnection Require()
        {
            TcpConnection c = _connection;
            if (c == null)
                throw Fail(SocketError.NotConnected);
            return c;
        }

        /// <summary>Why a write stopped short: the connection's end, our own Shutdown, or the timeout.</summary>
        private static SocketError EndOf(TcpConnection c)
        {
            if (c.Error != TcpError.None)
                return SocketFactory.FromTcp(c.Error);
            TcpState s = c.State;
            if (s == TcpState.FinWait1 || s == TcpState.FinWait2 || s == TcpState.LastAck || s == TcpState.Closing
                || s == TcpState.TimeWait || s == TcpState.Closed)
                return SocketError.Shutdown;
            return SocketError.TimedOut;
        }

        private SocketException Fail(SocketError error)
        {
            _lastError = error;
            return new SocketException(error);
        }
    }
}
