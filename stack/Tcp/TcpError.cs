// Why a connection ended, as the application sees it (RFC 9293 3.10: "connection refused",
// "connection reset", user timeout, "connection aborted due to user request").
namespace NanoTcp.Tcp
{
    public enum TcpError : byte
    {
        /// <summary>Still open, or closed gracefully by both sides.</summary>
        None,
        /// <summary>The peer answered the SYN with RST.</summary>
        Refused,
        /// <summary>The peer reset an established connection.</summary>
        Reset,
        /// <summary>Retransmissions, zero-window probes or keepalives went unanswered.</summary>
        TimedOut,
        /// <summary>This side aborted it (Abort, or Close with unread data, RFC 1122 4.2.2.13).</summary>
        Aborted,
        /// <summary>An ICMP destination unreachable (protocol or port) answered our SYN (RFC 1122 4.2.3.9).</summary>
        Unreachable,
        /// <summary>This side reset it, idle, to give its slot to a new connection (TcpEngine.Slots.cs).</summary>
        Reclaimed,
    }

    public static class TcpErrorNames
    {
        private static readonly string[] s_names = { "none", "refused", "reset", "timed out", "aborted", "unreachable", "reclaimed" };

        public static string Name(TcpError error)
        {
            int i = (int)error;
            return i < s_names.Length ? s_names[i] : "?";
        }
    }
}
