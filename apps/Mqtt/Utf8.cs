// UTF-8 (RFC 3629) for MQTT's strings (OASIS MQTT 3.1.1 section 1.5.3): System.Text is not in the
// device's mscorlib. Used when a topic or the CONNECT fields are set up, never per message.
namespace NanoTcp.Mqtt
{
    public static class Utf8
    {
        /// <summary>Bytes text takes in UTF-8.</summary>
        public static int Count(string text)
        {
            int n = 0;
            for (int i = 0; i < text.Length; i++)
            {
                int c = text[i];
                if (c < 0x80) n += 1;
                else if (c < 0x800) n += 2;
                else if (c >= 0xD800 && c <= 0xDBFF && i + 1 < text.Length && text[i + 1] >= 0xDC00 && text[i + 1] <= 0xDFFF) { n += 4; i++; }
                else n += 3;
            }
            return n;
        }

        /// <summary>Writes text at offset; returns the bytes written. A lone surrogate becomes U+FFFD.</summary>
        public static int Encode(string text, byte[] buffer, int offset)
        {
            int p = offset;
            for (int i = 0; i < text.Length; i++)
            {
                int c = text[i];
                if (c < 0x80)
                {
                    buffer[p++] = (byte)c;
                    continue;
                }
                if (c < 0x800)
                {
                    buffer[p++] = (byte)(0xC0 | (c >> 6));
                    buffer[p++] = (byte)(0x80 | (c & 0x3F));
                    continue;
                }
                if (c >= 0xD800 && c <= 0xDBFF && i + 1 < text.Length && text[i + 1] >= 0xDC00 && text[i + 1] <= 0xDFFF)
                {
                    int cp = 0x10000 + ((c - 0xD800) << 10) + (text[++i] - 0xDC00);
                    buffer[p++] = (byte)(0xF0 | (cp >> 18));
                    buffer[p++] = (byte)(0x80 | ((cp >> 12) & 0x3F));
                    buffer[p++] = (byte)(0x80 | ((cp >> 6) & 0x3F));
                    buffer[p++] = (byte)(0x80 | (cp & 0x3F));
                    continue;
                }
                if (c >= 0xD800 && c <= 0xDFFF)
                    c = 0xFFFD;
                buffer[p++] = (byte)(0xE0 | (c >> 12));
                buffer[p++] = (byte)(0x80 | ((c >> 6) & 0x3F));
                buffer[p++] = (byte)(0x80 | (c & 0x3F));
            }
            return p - offset;
        }

        /// <summary>The UTF-8 bytes of text in a new array (setup only).</summary>
        public static byte[] GetBytes(string text)
        {
            byte[] bytes = new byte[Count(text)];
            Encode(text, bytes, 0);
            return bytes;
        }
    }
}
