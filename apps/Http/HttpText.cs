// ASCII pieces of HTTP/1.1 messages (RFC 9112, RFC 9110 5: field names are case-insensitive), over
// byte[] without allocating: header lookup, token comparison, decimal and hex numbers.
namespace NanoTcp.Http
{
    public static class HttpText
    {
        public const byte Cr = 13, Lf = 10, Space = 32, Tab = 9, Colon = 58;

        private static int Lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

        /// <summary>True when buffer[offset, offset + length) is text, ignoring ASCII case.</summary>
        public static bool EqualsIgnoreCase(byte[] buffer, int offset, int length, string text)
        {
            if (length != text.Length)
                return false;
            for (int i = 0; i < length; i++)
                if (Lower(buffer[offset + i]) != Lower(text[i]))
                    return false;
            return true;
        }

        /// <summary>True when the comma-separated list in buffer[offset, offset + length) holds token
        /// (RFC 9110 5.6.1), ignoring case and whitespace around the elements.</summary>
        public static bool ListContains(byte[] buffer, int offset, int length, string token)
        {
            int end = offset + length;
            int p = offset;
            while (p < end)
            {
                while (p < end && (buffer[p] == Space || buffer[p] == Tab || buffer[p] == ',')) p++;
                int start = p;
                while (p < end && buffer[p] != ',') p++;
                int stop = p;
                while (stop > start && (buffer[stop - 1] == Space || buffer[stop - 1] == Tab)) stop--;
                if (stop > start && EqualsIgnoreCase(buffer, start, stop - start, token))
                    return true;
            }
            return false;
        }

        /// <summary>The last element of a comma-separated list is token (Transfer-Encoding's final coding, RFC 9112 6.3).</summary>
        public static bool ListEndsWith(byte[] buffer, int offset, int length, string token)
        {
            int stop = offset + length;
            while (stop > offset && (buffer[stop - 1] == Space || buffer[stop - 1] == Tab)) stop--;
            int start = stop;
            while (start > offset && buffer[start - 1] != ',') start--;
            while (start < stop && (buffer[start] == Space || buffer[start] == Tab)) start++;
            return stop > start && EqualsIgnoreCase(buffer, start, stop - start, token);
        }

        /// <summary>A non-negative decimal (1*DIGIT, at most 15 digits), or -1.</summary>
        public static long ParseDecimal(byte[] buffer, int offset, int length)
        {
            if (length <= 0 || length > 15)
                return -1;
            long value = 0;
            for (int i = 0; i < length; i++)
            {
                int c = buffer[offset + i];
                if (c < '0' || c > '9')
                    return -1;
                value = value * 10 + (c - '0');
            }
            return value;
        }

        /// <summary>A hex digit's value, or -1.</summary>
        public static int HexDigit(int c)
        {
            if (c >= '0' && c <= '9') return c - '0';
            c = Lower(c);
            if (c >= 'a' && c <= 'f') return c - 'a' + 10;
            return -1;
        }

        /// <summary>Finds the field called name in a header section buffer[offset, offset + length) of
        /// CRLF-ended "name: value" lines (the start line excluded). Returns the value's offset (spaces
        /// trimmed) and its length in valueLength, or -1. With several fields of that name, the first.</summary>
        public static int FindField(byte[] buffer, int offset, int length, string name, out int valueLength)
        {
            valueLength = 0;
            int end = offset + length;
            int line = offset;
            while (line < end)
            {
                int eol = line;
                while (eol < end && buffer[eol] != Lf) eol++;
                int lineEnd = eol > line && buffer[eol - 1] == Cr ? eol - 1 : eol;
                int colon = line;
                while (colon < lineEnd && buffer[colon] != Colon) colon++;
                if (colon < lineEnd && EqualsIgnoreCase(buffer, line, colon - line, name))
                {
                    int v = colon + 1;
                    while (v < lineEnd && (buffer[v] == Space || buffer[v] == Tab)) v++;
                    int stop = lineEnd;
                    while (stop > v && (buffer[stop - 1] == Space || buffer[stop - 1] == Tab)) stop--;
                    valueLength = stop - v;
                    return v;
                }
                line = eol + 1;
            }
            return -1;
        }

        /// <summary>How many fields called name the section holds.</summary>
        public static int CountFields(byte[] buffer, int offset, int length, string name)
        {
            int count = 0;
            int end = offset + length;
            int p = offset;
            while (p < end)
            {
                int valueLength;
                int at = FindField(buffer, p, end - p, name, out valueLength);
                if (at < 0)
                    break;
                count++;
                while (at < end && buffer[at] != Lf) at++;
                p = at + 1;
            }
            return count;
        }

        /// <summary>Writes text as ASCII at buffer[offset]; the new offset, or -1 when it does not fit.</summary>
        public static int Write(byte[] buffer, int offset, string text)
        {
            if (offset < 0 || offset + text.Length > buffer.Length)
                return -1;
            for (int i = 0; i < text.Length; i++)
                buffer[offset + i] = (byte)text[i];
            return offset + text.Length;
        }

        /// <summary>Writes a non-negative number in decimal; the new offset, or -1 when it does not fit.</summary>
        public static int WriteDecimal(byte[] buffer, int offset, long value)
        {
            int digits = 1;
            for (long v = value; v >= 10; v /= 10) digits++;
            if (offset < 0 || offset + digits > buffer.Length)
                return -1;
            for (int i = digits - 1; i >= 0; i--)
            {
                buffer[offset + i] = (byte)('0' + value % 10);
                value /= 10;
            }
            return offset + digits;
        }

        public static int WriteCrLf(byte[] buffer, int offset)
        {
            if (offset < 0 || offset + 2 > buffer.Length)
                return -1;
            buffer[offset] = Cr;
            buffer[offset + 1] = Lf;
            return offset + 2;
        }
    }
}
