// Settings of the mDNS responder, read once when it is built.
namespace NanoTcp.Mdns
{
    public sealed class MdnsConfig
    {
        /// <summary>The first label of the host's name: it answers for HostName + ".local".</summary>
        public string HostName = "nanotcp";
        /// <summary>TTL of the A record: RFC 6762 10 recommends 120 s for records with a host name.</summary>
        public int TimeToLiveSeconds = 120;
        /// <summary>Unsolicited announcements on start and on an address change (RFC 6762 8.3: at least
        /// two, one second apart, the interval doubling after; at most eight).</summary>
        public int Announcements = 2;
    }
}
