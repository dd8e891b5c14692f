// How the last SNTP exchange ended.
namespace NanoTcp.Sntp
{
    public enum SntpOutcome : byte
    {
        None,
        /// <summary>A reply passed every check and set the clock offset.</summary>
        Synchronized,
        /// <summary>No server configured and none learned from DHCP, or the stack has no address yet.</summary>
        NoServer,
        TimedOut,
        /// <summary>A reply failed a sanity check (RFC 4330 section 5): unsynchronized server, stratum above
        /// 15, zero timestamps, or a root distance of a second or more.</summary>
        Rejected,
        /// <summary>Kiss-o'-death RATE (RFC 5905 7.4): the poll interval was doubled.</summary>
        KissRate,
        /// <summary>Kiss-o'-death DENY or RSTR: this server is not asked again.</summary>
        KissDeny,
        /// <summary>Another kiss code: treated as no answer.</summary>
        KissOther,
    }
}
