// The Internet checksum, RFC 1071 (computation), RFC 1624 (incremental update), RFC 768/9293 (pseudo-header).
// The hottest loop on the device: bytes at even offsets are summed apart from bytes at odd offsets, eight
// at a time, so each byte costs one load and one add; the two sums are combined once at the end
// (RFC 1071 section 2 (B): the sum is independent of byte order up to a final swap).
namespace NanoTcp.Wire
{
    public static class InternetChecksum
    {
        /// <summary>Adds buffer[offset..offset+length) as 16-bit big-endian words to a running sum.
        /// Only the last range added to one sum may have an odd length (it is padded with a zero byte).</summary>
        public static uint Add(byte[] buffer, int offset, int length, uint sum)
        {
            while (length > 0)
            {
                int chunk = length > 0x8000 ? 0x8000 : length; // keeps both partial sums inside 32 bits
                sum = AddChunk(buffer, offset, chunk, sum);
                offset += chunk;
                length -= chunk;
            }
            return sum;
        }

        private static uint AddChunk(byte[] buffer, int offset, int length, uint sum)
        {
            uint high = 0; // bytes at even distance from offset: the high halves of the words
            uint low = 0;
            int i = offset;
            int end = offset + length;
            int end8 = offset + (length & ~7);
            while (i < end8)
            {
                high += (uint)(buffer[i] + buffer[i + 2] + buffer[i + 4] + buffer[i + 6]);
                low += (uint)(buffer[i + 1] + buffer[i + 3] + buffer[i + 5] + buffer[i + 7]);
                i += 8;
            }
            while (i + 1 < end)
            {
                high += buffer[i];
                low += buffer[i + 1];
                i += 2;
            }
            if (i < end)
                high += buffer[i];

            uint shifted = high << 8; // high <= 255 * 16384, so this cannot overflow
            uint folded = (shifted & 0xFFFF) + (shifted >> 16) + low;
            return Fold16(Fold16(sum) + folded);
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
