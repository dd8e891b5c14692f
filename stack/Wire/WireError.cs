// Why a frame, packet or segment was rejected. Parsers return these instead of throwing (hostile
// input must never throw out of the poll loop, TCP.md "Hostile input"); the layers above count them.
namespace NanoTcp.Wire
{
    public enum WireError : byte
    {
        None = 0,
        /// <summary>Shorter than the fixed header, or a buffer range the caller got wrong.</summary>
        Truncated,
        /// <summary>802.1Q tag: we are not on a VLAN, so tagged frames are dropped (not untagged).</summary>
        EthernetVlanTagged,
        ArpUnsupportedFormat,
        ArpBadOperation,
        Ipv4BadVersion,
        /// <summary>IHL below 5 words.</summary>
        Ipv4HeaderLengthTooSmall,
        /// <summary>IHL past the end of the frame.</summary>
        Ipv4HeaderBeyondPacket,
        Ipv4TotalLengthBelowHeader,
        Ipv4TotalLengthBeyondFrame,
        Ipv4BadChecksum,
        IcmpBadChecksum,
        UdpLengthMismatch,
        UdpBadChecksum,
        TcpDataOffsetTooSmall,
        TcpDataOffsetBeyondSegment,
        /// <summary>An option whose length byte is 0 or 1 (a parser that trusted it would never advance).</summary>
        TcpOptionLengthInvalid,
        TcpOptionBeyondHeader,
        TcpMssOptionLength,
        /// <summary>Window scale, SACK-permitted, SACK or timestamp option of impossible length.</summary>
        TcpOptionWrongLength,
        TcpBadChecksum,
        /// <summary>Number of codes; not an error.</summary>
        Count,
    }

    /// <summary>Names of <see cref="WireError"/> codes (enum ToString prints a number on nanoFramework).</summary>
    public static class WireErrorNames
    {
        private static readonly string[] s_names =
        {
            "none", "truncated", "ethernet-vlan-tagged", "arp-unsupported-format", "arp-bad-operation",
            "ipv4-bad-version", "ipv4-header-length-too-small", "ipv4-header-beyond-packet",
            "ipv4-total-length-below-header", "ipv4-total-length-beyond-frame", "ipv4-bad-checksum",
            "icmp-bad-checksum", "udp-length-mismatch", "udp-bad-checksum", "tcp-data-offset-too-small",
            "tcp-data-offset-beyond-segment", "tcp-option-length-invalid", "tcp-option-beyond-header",
            "tcp-mss-option-length", "tcp-option-wrong-length", "tcp-bad-checksum",
        };

        public static string Name(WireError error)
        {
            int index = (int)error;
            return index < s_names.Length ? s_names[index] : "unknown";
        }
    }
}
