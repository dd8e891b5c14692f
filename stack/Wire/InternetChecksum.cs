// The Internet checksum, RFC 1071 (computation), RFC 1624 (incremental update), RFC 768/9293 (pseudo-header).
// The hottest loop on the device. nanoCLR runs a native mscorlib call as one instruction, so the bulk is read
// eight bytes per BitConverter.ToUInt64 call and summed in 64-bit ones' complement (a wrap is carried back in,
// RFC 1071 section 2 (C)); RFC 1071 section 2 (B): the sum does not depend on byte order, so the machine-order
// words are folded to 16 bits and swapped once. ToUInt64 rather than ToUInt32: half the native calls, which
// cost several plain instructions each in time (measured: issue 11 notes). The last bytes: 4 at a time, then
// 0-3 added as big-endian halves.
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
            // Ones' complement sum of 64-bit words in machine order: wide wraps modulo 2^64 and each wrap is
            // counted in carries, added back when folding (RFC 1071 section 2 (C)). Eight words per turn: a
            // turn costs about 120 interpreted instructions, under 1.9 per byte.
            ulong wide = 0;
            ulong x;
            int carries = 0;
            int i = offset;
            int end64 = offset + (length & ~63);
            while (i < end64)
            {
                x = System.BitConverter.ToUInt64(buffer, i);
                wide += x;
                if (wide < x) carries++;
                x = System.BitConverter.ToUInt64(buffer, i + 8);
                wide += x;
                if (wide < x) carries++;
                x = System.BitConverter.ToUInt64(buffer, i + 16);
                wide += x;
                if (wide < x) carries++;
                x = System.BitConverter.ToUInt64(buffer, i + 24);
                wide += x;
                if (wide < x) carries++;
                x = System.BitConverter.ToUInt64(buffer, i + 32);
                wide += x;
                if (wide < x) carries++;
                x = System.BitConverter.ToUInt64(buffer, i + 40);
                wide += x;
                if (wide < x) carries++;
                x = System.BitConverter.ToUInt64(buffer, i + 48);
                wide += x;
                if (wide < x) carries++;
                x = System.BitConverter.ToUInt64(buffer, i + 56);
                wide += x;
                if (wide < x) carries++;
                i += 64;
            }
            int end8 = offset + (length & ~7);
            while (i < end8)
            {
                x = System.BitConverter.ToUInt64(buffer, i);
                wide += x;
                if (wide < x) carries++;
                i += 8;
            }
            // 64 -> 33 bits, the carries in (each is worth 2^64, which is 1 modulo 2^64 - 1), then the last
            // 4 bytes if there are 4: still far below 2^64.
            wide = (wide & 0xFFFFFFFF) + (wide >> 32) + (uint)carries;
            int end = offset + length;
            if (i + 4 <= end)
            {
                wide += System.BitConverter.ToUInt32(buffer, i);
                i += 4;
            }
            wide = (wide & 0xFFFFFFFF) + (wide >> 32);
            uint folded = (uint)(wide & 0xFFFFFFFF) + (uint)(wide >> 32); // below 2^32 + 2: no wrap in uint
            folded = (folded & 0xFFFF) + (folded >> 16);
            folded = (folded & 0xFFFF) + (folded >> 16); // at most 0xFFFF
            if (s_littleEndian)
                folded = ((folded & 0xFF) << 8) | (folded >> 8);

            // 0 to 3 bytes left, starting at an even distance from offset
            if (i < end)
            {
                folded += (uint)buffer[i] << 8;
                if (i + 1 < end)
                    folded += buffer[i + 1];
                if (i + 2 < end)
                    folded += (uint)buffer[i + 2] << 8;
            }
            return (sum & 0xFFFF) + (sum >> 16) + folded;
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
        private static ushort Compute20(byte[] buffer, int offset)
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
