// DNS message format, RFC 1035 4.1: header, question, resource records, and names with compression
// (4.1.4). Every read is bounds-checked against the message length; name walking is bounded (the
// AMNESIA:33 / NUMBER:JACK classes: pointer loops, pointers outside or forward, missing terminators,
// labels over 63, names over 255, counts larger than the data).
using NanoTcp.Wire;

namespace NanoTcp.Dns
{
    public static class DnsMessage
    {
        public const int HeaderLength = 12;
        public const int TypeA = 1;
        public const int TypeCname = 5;
        public const int ClassIn = 1;
        public const int Port = 53;
        public const int MaxNameLength = 255;
        private const int MaxPointerHops = 32;

        /// <summary>Offset just past the name starting at offset, or -1 when the name is malformed.
        /// Compression pointers must point strictly backwards, inside the message.</summary>
        public static int SkipName(byte[] buffer, int start, int length, int offset)
        {
            int end = start + length;
            int p = offset;
            int after = -1;   // where parsing continues once a pointer was followed
            int nameLength = 0;
            int hops = 0;
            int limit = offset; // a pointer must go below the lowest position reached so far
            while (true)
            {
                if (p >= end)
                    return -1; // no terminator inside the message
                int label = buffer[p];
                if (label == 0)
                    return after >= 0 ? after : p + 1;
                if ((label & 0xC0) == 0xC0)
                {
                    if (p + 1 >= end || ++hops > MaxPointerHops)
                        return -1;
                    int target = start + (((label & 0x3F) << 8) | buffer[p + 1]);
                    if (target >= limit || target < start + HeaderLength)
                        return -1; // forward or self pointers could loop; the header holds no names
                    if (after < 0)
                        after = p + 2;
                    p = target;
                    limit = target;
                    continue;
                }
                if ((label & 0xC0) != 0)
                    return -1; // 0x40 and 0x80 label types are not in use
                nameLength += label + 1;
                if (nameLength > MaxNameLength || p + 1 + label > end)
                    return -1;
                p += 1 + label;
            }
        }

        /// <summary>True when the uncompressed name at offset equals encoded (wire form, lower case), ignoring case.</summary>
        public static bool NameEquals(byte[] buffer, int offset, int end, byte[] encoded, int encodedLength)
        {
            if (offset + encodedLength > end)
                return false;
            for (int i = 0; i < encodedLength; i++)
            {
                int c = buffer[offset + i];
                if (c >= 'A' && c <= 'Z') c += 32;
                if (c != encoded[i])
                    return false;
            }
            return true;
        }

        /// <summary>Encodes a host name ("a.example.com") into wire form, lower case; its length, or -1 when
        /// it is not a valid host name (RFC 1035 2.3.1 / RFC 1123 2.1 characters, label and name lengths).</summary>
        public static int EncodeName(string name, byte[] destination, int offset)
        {
            if (name == null || name.Length == 0 || name.Length > 253)
                return -1;
            int lengthAt = offset;
            int p = offset + 1;
            int label = 0;
            for (int i = 0; i <= name.Length; i++)
            {
                char c = i < name.Length ? name[i] : '.';
                if (c == '.')
                {
                    if (label == 0)
                    {
                        if (i == name.Length && i > 0)
                            break; // a trailing dot ends the name
                        return -1;
                    }
                    destination[lengthAt] = (byte)label;
                    lengthAt = p;
                    p++;
                    label = 0;
                    continue;
                }
                if (c >= 'A' && c <= 'Z') c = (char)(c + 32);
                bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
                if (!ok || ++label > 63)
                    return -1;
                destination[p++] = (byte)c;
            }
            destination[lengthAt] = 0;
            return lengthAt + 1 - offset;
        }

        public static int ReadId(byte[] b, int start) { return NetworkOrder.ReadUInt16(b, start); }
        public static int ReadFlags(byte[] b, int start) { return NetworkOrder.ReadUInt16(b, start + 2); }
        public static int ReadQuestionCount(byte[] b, int start) { return NetworkOrder.ReadUInt16(b, start + 4); }
        public static int ReadAnswerCount(byte[] b, int start) { return NetworkOrder.ReadUInt16(b, start + 6); }
    }
}
