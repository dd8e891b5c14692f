// A bound UDP socket (RFC 768), like System.Net.Sockets.Socket with SocketType.Dgram: SendTo and
// ReceiveFrom, blocking with a timeout or non-blocking. Datagrams wait in the stack's fixed queue
// (StackConfig.UdpQueueDepth of UdpDatagramCapacity bytes); a full queue drops and counts new ones.
using System.Threading;
using NanoTcp.Firmware.Services;

namespace NanoTcp.Sockets
{
    public sealed class DatagramSocket
    {
        private readonly SocketFactory _factory;
        private readonly StackRunner _runner;
        private readonly NanoTcp.Udp.UdpSocket _socket;

        internal DatagramSocket(SocketFactory factory, NanoTcp.Udp.UdpSocket socket)
        {
            _factory = factory;
            _runner = factory.Runner;
            _socket = socket;
        }

        /// <summary>Milliseconds ReceiveFrom waits (Timeout.Infinite: no limit).</summary>
        public int ReceiveTimeout = 5000;

        public int LocalPort { get { return _socket.LocalPort; } }
        /// <summary>Datagrams waiting.</summary>
        public int Available { get { return _socket.Pending; } }
        /// <summary>The largest datagram the queue holds (longer ones are dropped on arrival).</summary>
        public int DatagramCapacity { get { return _socket.DatagramCapacity; } }

        /// <summary>Sends one datagram: count, or throws (AddressNotAvailable, NetworkUnreachable, MessageSize).</summary>
        public int SendTo(byte[] buffer, int offset, int count, uint address, int port)
        {
            SocketError error = TrySendTo(buffer, offset, count, address, port);
            if (error != SocketError.Success)
                throw new SocketException(error);
            return count;
        }

        /// <summary>Non-throwing SendTo: Success or why not.</summary>
        public SocketError TrySendTo(byte[] buffer, int offset, int count, uint address, int port)
        {
            if (port <= 0 || port > 65535 || count < 0)
                return SocketError.InvalidArgument;
            if (!_socket.IsOpen)
                return SocketError.NotConnected;
            SocketError route = _factory.CheckRoute(address);
            if (route != SocketError.Success)
                return route;
            int sent;
            Monitor.Enter(_runner.Lock);
            try { sent = _factory.Stack.SendTo(_socket, address, port, buffer, offset, count); }
            finally { Monitor.Exit(_runner.Lock); }
            return sent < 0 ? SocketError.MessageSize : SocketError.Success; // the route was checked above
        }

        /// <summary>Waits up to ReceiveTimeout for a datagram: its length (truncated to capacity, as recvfrom
        /// does) and its source; throws TimedOut.</summary>
        public int ReceiveFrom(byte[] buffer, int offset, int capacity, out uint address, out int port)
        {
            long deadline = _factory.Deadline(ReceiveTimeout);
            while (true)
            {
                int n = TryReceiveFrom(buffer, offset, capacity, out address, out port);
                if (n >= 0)
                    return n;
                if (!_socket.IsOpen)
                    throw new SocketException(SocketError.NotConnected);
                if (!_runner.AwaitProgress(deadline))
                    throw new SocketException(SocketError.TimedOut);
            }
        }

        /// <summary>The next datagram's length, or -1 when none is waiting.</summary>
        public int TryReceiveFrom(byte[] buffer, int offset, int capacity, out uint address, out int port)
        {
            Monitor.Enter(_runner.Lock);
            try { return _factory.Stack.ReceiveFrom(_socket, buffer, offset, capacity, out address, out port); }
            finally { Monitor.Exit(_runner.Lock); }
        }

        public void Close()
        {
            Monitor.Enter(_runner.Lock);
            try { _factory.Stack.CloseUdp(_socket); }
            finally { Monitor.Exit(_runner.Lock); }
        }
    }
}
