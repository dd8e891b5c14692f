// Multicast DNS messages (RFC 6762 section 18, RFC 1035 4.1): constants and a bounded, case-insensitive
// comparison of a possibly compressed name with ours. The walk follows the rules of DnsMessage.SkipName
// (pointers only backwards, at most 32 hops, labels up to 63), so hostile names end it, never loop it.
namespace NanoTcp.Mdns
{
    public static class MdnsMessage
    {
        public const int Port = 5353;
        public const uint Group = 0xE00000FB;    // 224.0.0.251 (RFC 6762 3)
        public const int HeaderLength = 12;
        public const int TypeA = 1;
        public const int TypeAaaa = 28;
        public const int TypeNsec = 47;
        public const int TypeAny = 255;
        public const int ClassIn = 1;
        public const int ClassAny = 255;
        /// <summary>In a question: the querier asks for a unicast reply (RFC 6762 5.4).</summary>
        public const int UnicastResponseBit = 0x8000;
        /// <summary>In a record: the record replaces what caches hold for its name and type (RFC 6762 10.2).</summary>
        public const int CacheFlushBit = 0x8000;
        public const int FlagResponse = 0x8000;
        public const int FlagAuthoritative = 0x0400;
        private const int MaxPointerHops = 32;

        /// <summary>True when the name at offset (compression allowed) is encoded[0, encodedLength), ASCII case ignored.</summary>
        public static bool NameMatches(byte[] message, int length, int offset, byte[] encoded, int encodedLength)
        {
            int p = offset;
            int q = 0;
            int hops = 0;
            int limit = offset;
            while (p < length && q < encodedLength)
            {
                int label = message[p];
                if ((label & 0xC0) == 0xC0)
                {
                    if (p + 1 >= length || ++hops > MaxPointerHops)
                        return false;
                    int target = ((label & 0x3F) << 8) | message[p + 1];
                    if (target >= limit || target < HeaderLength)
                        return false;
                    p = target;
                    limit = target;
                    continue;
                }
                if (label > 63 || label != encoded[q] || p + 1 + label > length)
                    return false;
                if (label == 0)
                    return q + 1 == encodedLength;
                for (int i = 1; i <= label; i++)
                {
                    int c = message[p + i];
                    if (c >= 'A' && c <= 'Z') c += 32;
                    if (c != encoded[q + i])
                        return false;
                }
                p += 1 + label;
                q += 1 + label;
            }
            return false;
        }
    }
}
