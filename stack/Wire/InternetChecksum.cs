// The Internet checksum, RFC 1071 (computation), RFC 1624 (incremental update), RFC 768/9293 (pseudo-header).
// The hottest loop on the device. On nanoCLR an instruction costs about the same whether it moves one byte or
// calls a native method, so the bulk is read four bytes per BitConverter.ToUInt32 call (one native call) and
// summed in 64 bits; RFC 1071 section 2 (B): the sum does not depend on byte order, so the little-endian words
// are folded to 16 bits and swapped once. The last 0-3 bytes are added as big-endian halves.
namespace NanoTcp.Wire
{
    public static class InternetChecksum
    {
        private static readonly bool s_littleEndian = System.BitConverter.IsLittleEndian;

        /// <summary>Adds buffer[offset..offset+length) as 16-bit big-endian words to a running sum.
        /// Only the last range added to one sum may have an odd length (it is padded with a zero byte).</summary>
        public static uint Add(byte[] buffer, int offset, int length, uint sum)
        {
            if (length <= 0)
                return sum;
            ulong wide = 0; // sum of 32-bit words in machine order: 2^32 of them fit
            int i = offset;
            int end32 = offset + (length & ~31);
            while (i < end32)
            {
                wide += (ulong)System.BitConverter.ToUInt32(buffer, i) + System.BitConverter.ToUInt32(buffer, i + 4)
                    + System.BitConverter.ToUInt32(buffer, i + 8) + System.BitConverter.ToUInt32(buffer, i + 12)
                    + System.BitConverter.ToUInt32(buffer, i + 16) + System.BitConverter.ToUInt32(buffer, i + 20)
                    + System.BitConverter.ToUInt32(buffer, i + 24) + System.BitConverter.ToUInt32(buffer, i + 28);
                i += 32;
            }
            int end4 = offset + (length & ~3);
            while (i < end4)
            {
                wide += System.BitConverter.ToUInt32(buffer, i);
                i += 4;
            }
            wide = (wide & 0xFFFFFFFF) + (wide >> 32);
            uint folded = Fold16(Fold16((uint)(wide & 0xFFFFFFFF) + (uint)(wide >> 32)));
            if (s_littleEndian)
                folded = ((folded & 0xFF) << 8) | (folded >> 8);

            int end = offset + length; // 0 to 3 bytes left, starting at an even distance from offset
            if (i < end)
            {
                folded += (uint)buffer[i] << 8;
                if (i + 1 < end)
                    folded += buffer[i + 1];
                if (i + 2 < end)
                    folded += (uint)buffer[i + 2] << 8;
            }
            return Fold16(sum) + folded;
        }

        /// <summary>Adds the IPv4 pseudo-header (RFC 9293 3.1, RFC 768): addresses, zero, protocol, length.</summary>
        public static uint AddPseudoHeader(uint source, uint destination, int protocol, int length, uint sum)
        {
            sum = Fold16(sum);
            sum += (source >> 16) + (source & 0xFFFF) + (destination >> 16) + (destination & 0xFFFF);
            sum += (uint)protocol + (uint)length;
            return sum;
        }

        /// <summary>Folds a running sum to 16 bits and complements it: the value to write in a header.</summary>
        public static ushort Finish(uint sum)
        {
            return (ushort)~Fold16(Fold16(sum));
        }

        /// <summary>The checksum of one range: 0 when the range already holds a correct checksum field.</summary>
        public static ushort Compute(byte[] buffer, int offset, int length)
        {
            return Finish(Add(buffer, offset, length, 0));
        }

        /// <summary>RFC 1624 eqn. 3: the new checksum after one 16-bit word changed from oldWord to newWord.</summary>
        public static ushort Update(ushort checksum, ushort oldWord, ushort newWord)
        {
            uint sum = (uint)(~checksum & 0xFFFF) + (uint)(~oldWord & 0xFFFF) + newWord;
            return (ushort)~Fold16(Fold16(sum));
        }

        private static uint Fold16(uint sum)
        {
            return (sum & 0xFFFF) + (sum >> 16);
        }
    }
}
