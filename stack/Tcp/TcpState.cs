// The eleven states of RFC 9293 3.3.2.
namespace NanoTcp.Tcp
{
    public enum TcpState : byte
    {
        Closed,
        Listen,
        SynSent,
        SynReceived,
        Established,
        FinWait1,
        FinWait2,
        CloseWait,
        Closing,
        LastAck,
        TimeWait,
    }

    /// <summary>RFC names of the states (enum ToString prints a number on nanoFramework).</summary>
    public static class TcpStateNames
    {
        private static readonly string[] s_names =
        {
            "CLOSED", "LISTEN", "SYN_SENT", "SYN_RECEIVED", "ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2",
            "CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT",
        };

        public static string Name(TcpState state)
        {
            int i = (int)state;
            return i < s_names.Length ? s_names[i] : "?";
        }
    }
}
