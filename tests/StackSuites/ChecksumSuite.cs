// The Internet checksum on the device (RFC 1071): the fast path reads words through BitConverter in machine
// order, so it is checked here against a byte-pair sum written from RFC 1071 section 4.1, at every offset
// and length class, on the device's own mscorlib.
using NanoTcp.Scenarios;
using NanoTcp.Wire;

namespace NanoTcp.StackSuites
{
    public static class ChecksumSuite
    {
        public static TestCatalog Catalog()
        {
            return new TestCatalog()
                .Add("Rfc1071.Section3Example", Section3Example)
                .Add("Rfc1071.EveryOffsetAndLengthUpTo200", EveryOffsetAndLengthUpTo200)
                .Add("Rfc1071.SaturatedFullFrame", SaturatedFullFrame)
                .Add("Rfc1071.ChainedRangesEqualOneRange", ChainedRangesEqualOneRange)
                .Add("Rfc1071.FrameLengthsAndSpans", FrameLengthsAndSpans);
        }

        /// <summary>RFC 1071 4.1, word by word, big-endian, end-around carry; the complement.</summary>
        private static int Reference(byte[] data, int offset, int length)
        {
            uint sum = 0;
            int i = offset;
            for (; i + 1 < offset + length; i += 2)
                sum += (uint)((data[i] << 8) | data[i + 1]);
            if (i < offset + length)
                sum += (uint)(data[i] << 8);
            while ((sum >> 16) != 0)
                sum = (sum & 0xFFFF) + (sum >> 16);
            return (int)(~sum & 0xFFFF);
        }

        private static void Section3Example()
        {
            // RFC 1071 section 3: bytes 00 01 f2 03 f4 f5 f6 f7 sum to ddf2, checksum 220d.
            byte[] data = { 0x00, 0x01, 0xF2, 0x03, 0xF4, 0xF5, 0xF6, 0xF7 };
            Check.Equal(0x220D, InternetChecksum.Compute(data, 0, data.Length), "RFC 1071 example");
        }

        private static void EveryOffsetAndLengthUpTo200()
        {
            byte[] data = StackSuite.Pattern(260, 1071);
            for (int offset = 0; offset < 4; offset++)
            {
                for (int length = 0; length <= 200; length++)
                {
                    int got = InternetChecksum.Compute(data, offset, length);
                    int want = Reference(data, offset, length);
                    if (got != want)
                        Check.Fail(string.Concat("offset ", offset.ToString(), " length ", length.ToString(), ": ", got.ToString(), " != ", want.ToString()));
                }
            }
        }

        private static void SaturatedFullFrame()
        {
            byte[] data = new byte[1515];
            for (int i = 0; i < data.Length; i++) data[i] = 0xFF;
            Check.Equal(Reference(data, 1, 1514), InternetChecksum.Compute(data, 1, 1514), "0xFF everywhere, odd offset");
            Check.Equal(Reference(data, 0, 1515), InternetChecksum.Compute(data, 0, 1515), "odd length");
        }

        private static void FrameLengthsAndSpans()
        {
            // Segment lengths at every offset class, and the lengths where the fast loop folds (3,570 bytes).
            byte[] data = StackSuite.Pattern(1520, 1460);
            for (int offset = 0; offset < 4; offset++)
                for (int length = 1400; length <= 1514; length += 3)
                    Check.Equal(Reference(data, offset, length), InternetChecksum.Compute(data, offset, length),
                        string.Concat("offset ", offset.ToString(), " length ", length.ToString()));
            byte[] ones = new byte[7142];
            for (int i = 0; i < ones.Length; i++) ones[i] = 0xFF;
            Check.Equal(Reference(ones, 1, 3571), InternetChecksum.Compute(ones, 1, 3571), "0xFF, 3,571 bytes");
            Check.Equal(Reference(ones, 0, 7141), InternetChecksum.Compute(ones, 0, 7141), "0xFF, 7,141 bytes");
            byte[] long1 = StackSuite.Pattern(7142, 7);
            Check.Equal(Reference(long1, 2, 7140), InternetChecksum.Compute(long1, 2, 7140), "7,140 bytes");
        }

        private static void ChainedRangesEqualOneRange()
        {
            byte[] data = StackSuite.Pattern(1601, 9);
            uint sum = InternetChecksum.Add(data, 0, 20, 0);
            sum = InternetChecksum.Add(data, 20, 1000, sum);
            sum = InternetChecksum.Add(data, 1020, 581, sum);
            Check.Equal(Reference(data, 0, 1601), InternetChecksum.Finish(sum), "20 + 1000 + 581 bytes");
        }
    }
}
