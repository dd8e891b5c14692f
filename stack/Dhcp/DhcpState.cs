// Client states of RFC 2131 4.4 (figure 5), without INIT-REBOOT (we keep no lease across restarts).
namespace NanoTcp.Dhcp
{
    public enum DhcpState : byte
    {
        Stopped,
        Init,
        Selecting,
        Requesting,
        Bound,
        Renewing,
        Rebinding,
    }

    public static class DhcpStateNames
    {
        private static readonly string[] s_names = { "STOPPED", "INIT", "SELECTING", "REQUESTING", "BOUND", "RENEWING", "REBINDING" };

        public static string Name(DhcpState state)
        {
            int i = (int)state;
            return i < s_names.Length ? s_names[i] : "?";
        }
    }
}
