// What a socket call ran into, named as System.Net.Sockets.SocketError names it, so firmware written
// for nanoFramework's own sockets reads the same. Values are ours.
namespace NanoTcp.Sockets
{
    public enum SocketError : byte
    {
        Success,
        /// <summary>Non-blocking calls: not finished yet; ask again.</summary>
        InProgress,
        /// <summary>The peer answered the SYN with RST (nothing listens on that port).</summary>
        ConnectionRefused,
        /// <summary>The peer reset the connection.</summary>
        ConnectionReset,
        /// <summary>The call's timeout passed, or TCP gave up retransmitting (RFC 9293 3.8.3).</summary>
        TimedOut,
        /// <summary>No route: the address is off our subnet and there is no gateway.</summary>
        NetworkUnreachable,
        /// <summary>The name has no address (DNS: no such name, or no A record).</summary>
        HostNotFound,
        /// <summary>The DNS server failed, or none is configured.</summary>
        TryAgain,
        /// <summary>This device has no IPv4 address yet (DHCP still running).</summary>
        AddressNotAvailable,
        /// <summary>Every connection, listener or UDP socket of the StackConfig is in use.</summary>
        NoBufferSpaceAvailable,
        /// <summary>The port is already bound or listened on.</summary>
        AddressAlreadyInUse,
        NotConnected,
        IsConnected,
        /// <summary>Sending after Shutdown.</summary>
        Shutdown,
        /// <summary>This side aborted the connection, or closed the socket.</summary>
        ConnectionAborted,
        /// <summary>A datagram larger than the MTU allows.</summary>
        MessageSize,
        InvalidArgument,
    }

    public static class SocketErrorNames
    {
        private static readonly string[] s_names =
        {
            "success", "in progress", "connection refused", "connection reset", "timed out", "network unreachable (no route)",
            "host not found (no address)", "DNS failed (try again)", "no local address", "no free socket", "address in use",
            "not connected", "already connected", "shut down", "connection aborted", "message too large", "invalid argument",
        };

        public static string Name(SocketError error)
        {
            int i = (int)error;
            return i < s_names.Length ? s_names[i] : "?";
        }
    }
}
