namespace NanoTcp.Tests.Wire
{
    /// <summary>The plain RFC 1071 section 4.1 loop: the reference the fast checksum is compared against,
    /// and what the tests use to fix up checksums of hand-made packets.</summary>
    public static class ReferenceChecksum
    {
        public static ulong Sum(byte[] data, int offset, int length, ulong sum = 0)
        {
            int i = 0;
            for (; i + 1 < length; i += 2)
                sum += (ulong)((data[offset + i] << 8) | data[offset + i + 1]);
            if (i < length)
                sum += (ulong)(data[offset + i] << 8);
            return sum;
        }

        public static ushort Finish(ulong sum)
        {
            while ((sum >> 16) != 0)
                sum = (sum & 0xFFFF) + (sum >> 16);
            return (ushort)~sum;
        }

        public static ushort Compute(byte[] data, int offset, int length) => Finish(Sum(data, offset, length));

        public static ushort WithPseudoHeader(uint source, uint destination, int protocol, byte[] data, int offset, int length)
        {
            ulong sum = (source >> 16) + (source & 0xFFFF) + (destination >> 16) + (destination & 0xFFFF) + (ulong)protocol + (ulong)length;
            return Finish(Sum(data, offset, length, sum));
        }
    }
}
