// The socket layer's entry point (ARCHITECTURE.md "Above the stack"): firmware threads and application
// protocols reach the stack only through it. It holds the StackRunner (poll thread and lock), creates
// the sockets, resolves names, and maps the stack's outcomes to SocketError. Blocking calls wait on
// the runner with a deadline; Try* calls never wait, throw or allocate (for state machines polled on
// the poll thread itself: the runner's lock is re-entrant there).
using System.Threading;
using NanoTcp.Dns;
using NanoTcp.Firmware.Services;
using NanoTcp.Tcp;
using NanoTcp.Wire;

namespace NanoTcp.Sockets
{
    public sealed class SocketFactory
    {
        private readonly StackRunner _runner;
        private readonly NetworkStack _stack;
        /// <summary>The name whose DNS query is in flight; the resolver answers one query at a time.</summary>
        private string _pendingName;

        public SocketFactory(StackRunner runner)
        {
            _runner = runner;
            _stack = runner.Stack;
        }

        public StackRunner Runner { get { return _runner; } }

        /// <summary>This device's IPv4 address; 0 until configured.</summary>
        public uint LocalAddress { get { return _stack.Address; } }

        public StreamSocket CreateStream()
        {
            return new StreamSocket(this);
        }

        /// <summary>A listening socket on port (RFC 9293 LISTEN) with room for backlog connections not yet accepted.</summary>
        public ListenerSocket Listen(int port, int backlog)
        {
            Monitor.Enter(_runner.Lock);
            try
            {
                if (port <= 0 || port > 65535 || backlog <= 0)
                    throw new SocketException(SocketError.InvalidArgument);
                if (_stack.Tcp.FindListener(port) != null)
                    throw new SocketException(SocketError.AddressAlreadyInUse);
                TcpListener listener = _stack.Tcp.Listen(port, backlog);
                if (listener == null)
                    throw new SocketException(SocketError.NoBufferSpaceAvailable);
                return new ListenerSocket(this, listener);
            }
            finally { Monitor.Exit(_runner.Lock); }
        }

        /// <summary>A UDP socket bound to port (0: an ephemeral port chosen at random, RFC 6056).</summary>
        public DatagramSocket OpenDatagram(int port)
        {
            Monitor.Enter(_runner.Lock);
            try
            {
                if (port < 0 || port > 65535)
                    throw new SocketException(SocketError.InvalidArgument);
                NanoTcp.Udp.UdpSocket socket = port == 0 ? _stack.OpenUdpAtRandomPort() : _stack.OpenUdp(port);
                if (socket == null)
                    throw new SocketException(port != 0 && HasFreeUdpSocket() ? SocketError.AddressAlreadyInUse : SocketError.NoBufferSpaceAvailable);
                return new DatagramSocket(this, socket);
            }
            finally { Monitor.Exit(_runner.Lock); }
        }

        /// <summary>The address of host (a dotted quad, or a name asked of the DNS server), waiting up to timeoutMs.</summary>
        public uint Resolve(string host, int timeoutMs)
        {
            long deadline = Deadline(timeoutMs);
            while (true)
            {
                uint address;
                SocketError error = TryResolve(host, out address);
                if (error == SocketError.Success)
                    return address;
                if (error != SocketError.InProgress)
                    throw new SocketException(error);
                if (!_runner.AwaitProgress(deadline))
                    throw new SocketException(SocketError.TimedOut);
            }
        }

        /// <summary>Non-blocking Resolve: Success with the address, InProgress (ask again after a poll), or
        /// HostNotFound, TryAgain, TimedOut, AddressNotAvailable, InvalidArgument. Callers take turns: while
        /// another name is in flight this one answers InProgress.</summary>
        public SocketError TryResolve(string host, out uint address)
        {
            address = 0;
            if (host == null || host.Length == 0)
                return SocketError.InvalidArgument;
            if (Ipv4Address.TryParse(host, out address))
                return SocketError.Success;
            Monitor.Enter(_runner.Lock);
            try
            {
                if (_stack.Address == 0)
                    return SocketError.AddressNotAvailable;
                DnsResolver dns = _stack.Dns;
                if (dns == null)
                    return SocketError.NoBufferSpaceAvailable;
                if (_pendingName != null)
                {
                    if (dns.Status == DnsStatus.Pending)
                        return SocketError.InProgress;
                    bool ours = _pendingName == host;
                    _pendingName = null;
                    if (ours)
                        return Outcome(dns, out address);
                    // Another caller's answer it never collected: start ours (it asks again, from the cache).
                }
                if (!dns.Resolve(host))
                    return SocketError.InProgress; // someone used the resolver directly
                if (dns.Status == DnsStatus.Pending)
                {
                    _pendingName = host;
                    _runner.Wake();
                    return SocketError.InProgress;
                }
                return Outcome(dns, out address);
            }
            finally { Monitor.Exit(_runner.Lock); }
        }

        private static SocketError Outcome(DnsResolver dns, out uint address)
        {
            address = 0;
            switch (dns.Status)
            {
                case DnsStatus.Resolved:
                    address = dns.Result;
                    return SocketError.Success;
                case DnsStatus.NotFound:
                    return SocketError.HostNotFound;
                case DnsStatus.TimedOut:
                    return SocketError.TimedOut;
                case DnsStatus.InvalidName:
                    return SocketError.InvalidArgument;
                default:
                    return SocketError.TryAgain; // Failed (server error, or no A record), NoServer
            }
        }

        /// <summary>Why a connection ended, as a SocketError.</summary>
        internal static SocketError FromTcp(TcpError error)
        {
            switch (error)
            {
                case TcpError.Refused: return SocketError.ConnectionRefused;
                case TcpError.Reset: return SocketError.ConnectionReset;
                case TcpError.TimedOut: return SocketError.TimedOut;
                case TcpError.Aborted: return SocketError.ConnectionAborted;
                default: return SocketError.Success;
            }
        }

        /// <summary>Success when a packet to address would leave: we have an address and a route (RFC 1122 3.3.1.1).</summary>
        internal SocketError CheckRoute(uint address)
        {
            if (address == 0)
                return SocketError.InvalidArgument;
            if (_stack.Address == 0 && address != Ipv4Address.LimitedBroadcast)
                return SocketError.AddressNotAvailable;
            return _stack.HasRoute(address) ? SocketError.Success : SocketError.NetworkUnreachable;
        }

        internal NetworkStack Stack { get { return _stack; } }

        internal long Deadline(int timeoutMs)
        {
            return timeoutMs == Timeout.Infinite ? long.MaxValue : _runner.NowMs + timeoutMs;
        }

        private bool HasFreeUdpSocket()
        {
            NanoTcp.Udp.UdpSocket probe = _stack.OpenUdp(0);
            if (probe == null)
                return false;
            _stack.CloseUdp(probe);
            return true;
        }
    }
}
