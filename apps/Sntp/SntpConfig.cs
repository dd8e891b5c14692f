// Settings of the SNTP client, read once when it is built.
namespace NanoTcp.Sntp
{
    public sealed class SntpConfig
    {
        /// <summary>The server's address; 0: the first NTP server of the DHCP lease (option 42).</summary>
        public uint Server;
        /// <summary>Time between queries once synchronized (lwIP's default: one hour).</summary>
        public int PollIntervalMs = 3600000;
        /// <summary>How long one query waits for its reply.</summary>
        public int ReplyTimeoutMs = 3000;
        /// <summary>The ceiling of the poll interval when the server asks to slow down (kiss code RATE).</summary>
        public int MaxPollIntervalMs = 36 * 3600000;
    }
}
