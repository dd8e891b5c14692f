namespace NanoTcp.Tests.Wire
{
    /// <summary>Recomputes IPv4 and transport checksums of an Ethernet frame in place (ReferenceChecksum),
    /// so that mutated frames reach the parsers and layers behind the checksum checks. Allocates nothing.</summary>
    public static class ChecksumFixer
    {
        public static void Fix(byte[] f, int length)
        {
            const int ip = 14;
            if (length < ip + 20 || f[12] != 0x08 || f[13] != 0x00) return;
            int ihl = (f[ip] & 0x0F) * 4;
            if (ihl < 20 || ip + ihl > length) return;
            f[ip + 10] = f[ip + 11] = 0;
            ushort c = ReferenceChecksum.Compute(f, ip, ihl);
            f[ip + 10] = (byte)(c >> 8); f[ip + 11] = (byte)c;
            int total = (f[ip + 2] << 8) | f[ip + 3];
            if (total < ihl || ip + total > length || (f[ip + 6] & 0x3F) != 0 || f[ip + 7] != 0) return;
            int t = ip + ihl, tl = total - ihl;
            uint src = NanoTcp.Wire.NetworkOrder.ReadUInt32(f, ip + 12), dst = NanoTcp.Wire.NetworkOrder.ReadUInt32(f, ip + 16);
            int proto = f[ip + 9];
            int at = proto == 6 ? 16 : proto == 17 ? 6 : proto == 1 ? 2 : -1;
            if (at < 0 || tl < at + 2) return;
            f[t + at] = f[t + at + 1] = 0;
            c = proto == 1 ? ReferenceChecksum.Compute(f, t, tl) : ReferenceChecksum.WithPseudoHeader(src, dst, proto, f, t, tl);
            f[t + at] = (byte)(c >> 8); f[t + at + 1] = (byte)c;
        }

    }
}
