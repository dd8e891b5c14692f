// A listening TCP socket (RFC 9293 3.10.1 passive OPEN), like System.Net.Sockets.Socket after Bind and
// Listen: Accept hands out the connections whose handshake completed. Accept(into) reuses a
// StreamSocket, so a server that accepts connection after connection allocates nothing.
using System.Threading;
using NanoTcp.Firmware.Services;
using NanoTcp.Tcp;

namespace NanoTcp.Sockets
{
    public sealed class ListenerSocket
    {
        private readonly SocketFactory _factory;
        private readonly StackRunner _runner;
        private readonly TcpListener _listener;

        internal ListenerSocket(SocketFactory factory, TcpListener listener)
        {
            _factory = factory;
            _runner = factory.Runner;
            _listener = listener;
        }

        public int LocalPort { get { return _listener.LocalPort; } }
        public bool IsListening { get { return _listener.IsListening; } }
        /// <summary>Connections waiting for Accept.</summary>
        public int Pending { get { return _listener.PendingCount; } }

        /// <summary>The next connection, waiting up to timeoutMs (Timeout.Infinite: no limit); throws TimedOut,
        /// or ConnectionAborted once the listener is closed.</summary>
        public StreamSocket Accept(int timeoutMs)
        {
            StreamSocket socket = _factory.CreateStream();
            SocketError error = Accept(socket, timeoutMs);
            if (error != SocketError.Success)
                throw new SocketException(error);
            return socket;
        }

        /// <summary>Accept into a socket that is not in use: Success, TimedOut, ConnectionAborted (listener closed),
        /// IsConnected (the socket is still in use). Allocates nothing.</summary>
        public SocketError Accept(StreamSocket into, int timeoutMs)
        {
            if (into.InUse)
                return SocketError.IsConnected;
            TcpConnection c = _runner.Accept(_listener, timeoutMs);
            if (c == null)
                return _listener.IsListening ? SocketError.TimedOut : SocketError.ConnectionAborted;
            into.Adopt(c);
            return SocketError.Success;
        }

        /// <summary>Non-blocking Accept: Success, InProgress (none waiting), ConnectionAborted, IsConnected.</summary>
        public SocketError TryAccept(StreamSocket into)
        {
            if (into.InUse)
                return SocketError.IsConnected;
            TcpConnection c;
            Monitor.Enter(_runner.Lock);
            try { c = _factory.Stack.Tcp.Accept(_listener); }
            finally { Monitor.Exit(_runner.Lock); }
            if (c == null)
                return _listener.IsListening ? SocketError.InProgress : SocketError.ConnectionAborted;
            into.Adopt(c);
            return SocketError.Success;
        }

        /// <summary>Stops listening; connections not yet accepted are reset.</summary>
        public void Close()
        {
            Monitor.Enter(_runner.Lock);
            try { _factory.Stack.Tcp.StopListening(_listener); }
            finally { Monitor.Exit(_runner.Lock); }
            _runner.Wake();
        }
    }
}
