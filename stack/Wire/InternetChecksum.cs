// The Internet checksum, RFC 1071 (computation), RFC 1624 (incremental update), RFC 768/9293 (pseudo-header).
// The hottest loop on the device. nanoCLR runs a native mscorlib call as one instruction, so the bulk is read
// through BitConverter.ToUInt64 and kept to 7 of its 8 bytes: a sum of 56-bit values cannot wrap a 64-bit
// accumulator for 255 terms, so no carry is tested per word (RFC 1071 section 2 (C): the carries are added
// once, at the end). Each 14 bytes are two reads: bytes 0-6 (masked) start at an even distance from offset
// and are summed in machine order; bytes 7-13 (read from 6, shifted) start at an odd one and sum byte-swapped
// (RFC 1071 section 2 (B): the sum of swapped words is the swapped sum). The loop is for a little-endian
// machine (ESP32, Cortex-M, x86); a big-endian one takes AddWords.
namespace NanoTcp.Wire
{
    public static class InternetChecksum
    {
        private static readonly bool s_littleEndian = System.BitConverter.IsLittleEndian;
        private const ulong Low56 = 0x00FFFFFFFFFFFFFF;
        // 255 pairs of 7-byte terms: each accumulator stays below 255 * 2^56 < 2^64 (and the tail adds < 2^35).
        private const int MaxSpan = 255 * 14;

        /// <summary>Adds buffer[offset..offset+length) as 16-bit big-endian words to a running sum.
        /// Only the last range added to one sum may have an odd length (it is padded with a zero byte).
        /// The result is a running sum below 2^28 (Finish folds it), not yet folded to 16 bits.</summary>
        public static uint Add(byte[] buffer, int offset, int length, uint sum)
        {
            if (length > MaxSpan || !s_littleEndian)
                return AddLong(buffer, offset, length, sum);
            ulong t = Sum(buffer, offset, length);
            return (sum & 0xFFFF) + (sum >> 16) + (uint)(t >> 16) + ((uint)t & 0xFFFF);
        }

        /// <summary>Whether buffer[offset..offset+length) and the running sum (a pseudo-header's) hold a correct
        /// checksum: they sum to negative zero (Finish gives 0). RFC 1071 section 2: the ones' complement sum is
        /// the sum modulo 2^16 - 1 (0xFFFF for a multiple of it other than 0), so one remainder replaces the folds.</summary>
        public static bool IsValid(byte[] buffer, int offset, int length, uint sum)
        {
            if (length > MaxSpan || !s_littleEndian)
                return Finish(AddLong(buffer, offset, length, sum)) == 0;
            ulong t = Sum(buffer, offset, length) + sum;
            return t % 0xFFFF == 0 && t != 0;
        }

        /// <summary>The checksum field's value for buffer[offset..offset+length) and a running sum below 2^32 (a
        /// pseudo-header's and a header's words): Finish(Add(...)) with one remainder instead of the folds (RFC 1071
        /// section 2: the ones' complement sum is the sum modulo 2^16 - 1, 0xFFFF for a non-zero multiple of it).</summary>
        internal static int FieldValue(byte[] buffer, int offset, int length, uint sum)
        {
            if (length > MaxSpan || !s_littleEndian)
                return Finish(AddLong(buffer, offset, length, sum));
            ulong t = Sum(buffer, offset, length) + sum;
            uint r = (uint)(t % 0xFFFF);
            return r != 0 || t == 0 ? (int)(0xFFFF - r) : 0;
        }

        /// <summary>IsValid for the 20 bytes of an IPv4 header without options (every packet received): bytes
        /// 0-6 and 14-19 at even distances, 7-13 at odd ones (the Sum loop's terms), one remainder.</summary>
        internal static bool IsValid20(byte[] buffer, int offset)
        {
            if (!s_littleEndian)
                return Compute20(buffer, offset) == 0;
            ulong even = (System.BitConverter.ToUInt64(buffer, offset) & Low56) + (System.BitConverter.ToUInt64(buffer, offset + 12) >> 16);
            ulong t = (((even & 0xFFFFFFFF) + (even >> 32)) << 8) + (System.BitConverter.ToUInt64(buffer, offset + 6) >> 8);
            return t % 0xFFFF == 0 && t != 0;
        }

        /// <summary>The sum of at most MaxSpan bytes on a little-endian machine, in network order modulo 2^16 - 1
        /// and below 2^42; zero only when every byte is.</summary>
        private static ulong Sum(byte[] buffer, int offset, int length)
        {
            int i = offset;
            int end = offset + length;
            ulong even = 0; // 7-byte terms at an even distance from offset, machine order (little-endian)
            ulong odd = 0;  // 7-byte terms at an odd distance: byte-swapped, that is network order
            int end112 = end - 111;
            while (i < end112)
            {
                even += System.BitConverter.ToUInt64(buffer, i) & Low56;
                odd += System.BitConverter.ToUInt64(buffer, i + 6) >> 8;
                even += System.BitConverter.ToUInt64(buffer, i + 14) & Low56;
                odd += System.BitConverter.ToUInt64(buffer, i + 20) >> 8;
                even += System.BitConverter.ToUInt64(buffer, i + 28) & Low56;
                odd += System.BitConverter.ToUInt64(buffer, i + 34) >> 8;
                even += System.BitConverter.ToUInt64(buffer, i + 42) & Low56;
                odd += System.BitConverter.ToUInt64(buffer, i + 48) >> 8;
                even += System.BitConverter.ToUInt64(buffer, i + 56) & Low56;
                odd += System.BitConverter.ToUInt64(buffer, i + 62) >> 8;
                even += System.BitConverter.ToUInt64(buffer, i + 70) & Low56;
                odd += System.BitConverter.ToUInt64(buffer, i + 76) >> 8;
                even += System.BitConverter.ToUInt64(buffer, i + 84) & Low56;
                odd += System.BitConverter.ToUInt64(buffer, i + 90) >> 8;
                even += System.BitConverter.ToUInt64(buffer, i + 98) & Low56;
                odd += System.BitConverter.ToUInt64(buffer, i + 104) >> 8;
                i += 112;
            }
            int end14 = end - 13;
            while (i < end14)
            {
                even += System.BitConverter.ToUInt64(buffer, i) & Low56;
                odd += System.BitConverter.ToUInt64(buffer, i + 6) >> 8;
                i += 14;
            }
            // 0 to 13 bytes left, starting at an even distance from offset: 4 at a time, then 0-3 bytes.
            int end4 = end - 3;
            while (i < end4)
            {
                even += System.BitConverter.ToUInt32(buffer, i);
                i += 4;
            }
            if (i < end)
            {
                even += buffer[i];
                if (i + 1 < end)
                    even += (uint)buffer[i + 1] << 8;
                if (i + 2 < end)
                    even += buffer[i + 2];
            }
            // Each accumulator to 33 bits (2^32 = 1 modulo 2^16 - 1). The even one is in machine order: times 2^8
            // (modulo 2^16 - 1, a byte swap) puts it in network order without folding it to 16 bits first. Zero
            // stays zero and a non-zero sum stays non-zero, so Finish gives what an end-around-carry sum gives.
            return (((even & 0xFFFFFFFF) + (even >> 32)) << 8) + (odd & 0xFFFFFFFF) + (odd >> 32);
        }

        /// <summary>Add for a range longer than one span (in spans), or on a big-endian machine (AddWords).</summary>
        private static uint AddLong(byte[] buffer, int offset, int length, uint sum)
        {
            if (!s_littleEndian)
                return AddWords(buffer, offset, length, sum);
            while (length > MaxSpan)
            {
                sum = Add(buffer, offset, MaxSpan, sum); // MaxSpan is even: the next span starts on a word
                offset += MaxSpan;
                length -= MaxSpan;
            }
            return Add(buffer, offset, length, sum);
        }

        /// <summary>RFC 1071 section 4.1 word by word (big-endian words, end-around carry): any machine.</summary>
        internal static uint AddWords(byte[] buffer, int offset, int length, uint sum)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
            int end = offset + length;
            int i = offset;
            for (; i + 1 < end; i += 2)
            {
                sum += (uint)((buffer[i] << 8) | buffer[i + 1]);
                sum = (sum & 0xFFFF) + (sum >> 16);
            }
            if (i < end)
                sum += (uint)buffer[i] << 8;
            return sum;
        }

        /// <summary>Adds the IPv4 pseudo-header (RFC 9293 3.1, RFC 768): addresses, zero, protocol, length.</summary>
        public static uint AddPseudoHeader(uint source, uint destination, int protocol, int length, uint sum)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
            sum += (source >> 16) + (source & 0xFFFF) + (destination >> 16) + (destination & 0xFFFF);
            sum += (uint)protocol + (uint)length;
            return sum;
        }

        /// <summary>Folds a running sum to 16 bits and complements it: the value to write in a header.</summary>
        public static ushort Finish(uint sum)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
            return (ushort)~((sum & 0xFFFF) + (sum >> 16));
        }

        /// <summary>The checksum of one range: 0 when the range already holds a correct checksum field.</summary>
        public static ushort Compute(byte[] buffer, int offset, int length)
        {
            if (length == 20)
                return Compute20(buffer, offset);
            return Finish(Add(buffer, offset, length, 0));
        }

        /// <summary>Compute for 20 bytes (an IPv4 header without options, twice per packet): three native reads
        /// and one fold, a quarter of what the general loop's set-up and folds cost for so few bytes.</summary>
        internal static ushort Compute20(byte[] buffer, int offset)
        {
            ulong x = System.BitConverter.ToUInt64(buffer, offset + 8);
            ulong wide = System.BitConverter.ToUInt64(buffer, offset) + x;
            if (wide < x) wide++; // end-around carry; a wrapped sum is at most 2^64 - 2
            wide = (wide & 0xFFFFFFFF) + (wide >> 32) + System.BitConverter.ToUInt32(buffer, offset + 16); // below 2^34
            wide = (wide & 0xFFFFFFFF) + (wide >> 32); // at most 2^32 + 2
            uint folded = (uint)(wide & 0xFFFFFFFF) + (uint)(wide >> 32);
            folded = (folded & 0xFFFF) + (folded >> 16);
            folded = (folded & 0xFFFF) + (folded >> 16);
            if (s_littleEndian)
                folded = ((folded & 0xFF) << 8) | (folded >> 8);
            return (ushort)~folded;
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
