// 48-bit Ethernet addresses (IEEE 802), kept as 6 bytes inside caller-owned arrays.
namespace NanoTcp.Wire
{
    public static class MacAddress
    {
        public const int Length = 6;

        public static bool IsBroadcast(byte[] buffer, int offset)
        {
            return (buffer[offset] & buffer[offset + 1] & buffer[offset + 2]
                  & buffer[offset + 3] & buffer[offset + 4] & buffer[offset + 5]) == 0xFF;
        }

        /// <summary>The I/G bit: multicast (broadcast included).</summary>
        public static bool IsMulticast(byte[] buffer, int offset)
        {
            return (buffer[offset] & 0x01) != 0;
        }

        public static bool IsZero(byte[] buffer, int offset)
        {
            return (buffer[offset] | buffer[offset + 1] | buffer[offset + 2]
                  | buffer[offset + 3] | buffer[offset + 4] | buffer[offset + 5]) == 0;
        }

        /// <remarks>Two native reads a side: on nanoCLR that is a tenth of the IL of a byte loop (every frame).</remarks>
        public static bool AreEqual(byte[] a, int aOffset, byte[] b, int bOffset)
        {
            return System.BitConverter.ToUInt32(a, aOffset) == System.BitConverter.ToUInt32(b, bOffset)
                && System.BitConverter.ToUInt16(a, aOffset + 4) == System.BitConverter.ToUInt16(b, bOffset + 4);
        }

        /// <summary>Parses "02:00:00:00:00:01" (or with '-') into destination[offset..+6]. Configuration only.</summary>
        public static bool TryParse(string text, byte[] destination, int offset)
        {
            if (text == null || text.Length != 17)
                return false;
            for (int i = 0; i < Length; i++)
            {
                int hi = HexValue(text[i * 3]);
                int lo = HexValue(text[i * 3 + 1]);
                if (hi < 0 || lo < 0)
                    return false;
                if (i < Length - 1 && text[i * 3 + 2] != ':' && text[i * 3 + 2] != '-')
                    return false;
                destination[offset + i] = (byte)((hi << 4) | lo);
            }
            return true;
        }

        /// <summary>"02:00:00:00:00:01". Allocates: configuration and tracing only.</summary>
        public static string Format(byte[] buffer, int offset)
        {
            const string digits = "0123456789abcdef";
            var text = new char[17];
            for (int i = 0; i < Length; i++)
            {
                text[i * 3] = digits[buffer[offset + i] >> 4];
                text[i * 3 + 1] = digits[buffer[offset + i] & 0xF];
                if (i < Length - 1)
                    text[i * 3 + 2] = ':';
            }
            return new string(text);
        }

        private static int HexValue(char c)
        {
            if (c >= '0' && c <= '9') return c - '0';
            if (c >= 'a' && c <= 'f') return c - 'a' + 10;
            if (c >= 'A' && c <= 'F') return c - 'A' + 10;
            return -1;
        }
    }
}
