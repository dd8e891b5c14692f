using System;
using NanoTcp.Wire;
using Xunit;

namespace NanoTcp.Tests.Wire
{
    public sealed class InternetChecksumTests
    {
        [Fact]
        public void MatchesTheReferenceOnRandomDataOfEveryLengthUpTo2000()
        {
            var random = new Random(1071);
            var data = new byte[2004];
            for (int length = 0; length <= 2000; length++)
            {
                random.NextBytes(data);
                int offset = length % 4;
                Assert.Equal(ReferenceChecksum.Compute(data, offset, length), InternetChecksum.Compute(data, offset, length));
            }
        }

        [Fact]
        public void TwentyByteRangesMatchTheReferenceAtEveryOffset()
        {
            // 20 bytes take their own path (an IPv4 header without options): random, saturated (every
            // 64-bit add carries) and all-zero ranges at the offsets 0..7 a frame can put them at.
            var random = new Random(791);
            var data = new byte[28];
            for (int round = 0; round < 3000; round++)
            {
                random.NextBytes(data);
                if (round % 3 == 1) Array.Fill(data, (byte)0xFF);
                if (round % 3 == 2) Array.Fill(data, (byte)0x00);
                int offset = round % 8;
                Assert.Equal(ReferenceChecksum.Compute(data, offset, 20), InternetChecksum.Compute(data, offset, 20));
            }
        }

        [Fact]
        public void MatchesTheReferenceOnSaturatedAndLargeBuffers()
        {
            foreach (int length in new[] { 1, 2, 7, 8, 9, 1500, 32767, 32768, 32769, 65535, 65536, 100001 })
            {
                var ones = new byte[length];
                Array.Fill(ones, (byte)0xFF);
                Assert.Equal(ReferenceChecksum.Compute(ones, 0, length), InternetChecksum.Compute(ones, 0, length));
                var random = new byte[length];
                new Random(length).NextBytes(random);
                Assert.Equal(ReferenceChecksum.Compute(random, 0, length), InternetChecksum.Compute(random, 0, length));
            }
        }

        [Fact]
        public void SpanBoundariesMatchTheReference()
        {
            // The fast loop sums at most 3,570 bytes (255 pairs of 7-byte terms) before it folds: lengths on
            // both sides of one and two spans, saturated (the accumulators' worst case) and random.
            var random = new Random(3570);
            foreach (int length in new[] { 3556, 3569, 3570, 3571, 3584, 7139, 7140, 7141, 7142 })
            {
                for (int offset = 0; offset < 4; offset++)
                {
                    var ones = new byte[length + offset];
                    Array.Fill(ones, (byte)0xFF);
                    Assert.Equal(ReferenceChecksum.Compute(ones, offset, length), InternetChecksum.Compute(ones, offset, length));
                    var data = new byte[length + offset];
                    random.NextBytes(data);
                    Assert.Equal(ReferenceChecksum.Compute(data, offset, length), InternetChecksum.Compute(data, offset, length));
                }
            }
        }

        [Fact]
        public void AThousandChainedRangesKeepTheRunningSumExact()
        {
            // Add returns an unfolded running sum; a thousand saturated and random frames chained into one sum
            // must still fold to the checksum of their concatenation.
            var random = new Random(1000);
            var all = new byte[1514 * 1000];
            random.NextBytes(all);
            Array.Fill(all, (byte)0xFF, 0, all.Length / 2);
            uint sum = 0;
            for (int k = 0; k < 1000; k++)
                sum = InternetChecksum.Add(all, k * 1514, 1514, sum);
            Assert.Equal(ReferenceChecksum.Compute(all, 0, all.Length), InternetChecksum.Finish(sum));
        }

        [Fact]
        public void IsValidAgreesWithTheReferenceOnGoodAndDamagedRanges()
        {
            // RFC 1071: a range with a correct checksum sums to negative zero. Checked over correct ranges (the
            // checksum written in), the same with one bit flipped, all-zero ranges (positive zero: not valid) and
            // saturated ones, at every length to 1,600 and four offsets, after a pseudo-header sum.
            var random = new Random(9293);
            var data = new byte[1604];
            for (int length = 0; length <= 1600; length++)
            {
                int offset = length % 4;
                random.NextBytes(data);
                if (length % 7 == 3) Array.Fill(data, (byte)0xFF);
                if (length % 7 == 5) Array.Fill(data, (byte)0x00);
                uint src = (uint)random.Next(), dst = (uint)random.Next();
                if (length % 7 == 5) src = dst = 0;
                if (length >= 2 && length % 7 != 5)
                {
                    data[offset] = data[offset + 1] = 0;
                    NetworkOrder.WriteUInt16(data, offset, ReferenceChecksum.WithPseudoHeader(src, dst, 6, data, offset, length));
                }
                uint pseudo = InternetChecksum.AddPseudoHeader(src, dst, 6, length, 0);
                Assert.Equal(ReferenceChecksum.WithPseudoHeader(src, dst, 6, data, offset, length) == 0,
                    InternetChecksum.IsValid(data, offset, length, pseudo));
                if (length > 0)
                {
                    data[offset + random.Next(length)] ^= (byte)(1 << random.Next(8));
                    Assert.Equal(ReferenceChecksum.WithPseudoHeader(src, dst, 6, data, offset, length) == 0,
                        InternetChecksum.IsValid(data, offset, length, pseudo));
                }
                Assert.Equal(ReferenceChecksum.Compute(data, offset, length) == 0, InternetChecksum.IsValid(data, offset, length, 0));
            }
        }

        [Fact]
        public void TheIpv4HeaderCheckAgreesWithTheReference()
        {
            // IsValid20 (every IPv4 header received): headers with their checksum written in, each with one bit
            // flipped, all-zero headers (invalid: their checksum would be 0xFFFF), all-0xFF ones, at offsets 0..7.
            var random = new Random(791);
            var data = new byte[28];
            for (int round = 0; round < 20000; round++)
            {
                int offset = round % 8;
                random.NextBytes(data);
                if (round % 5 == 1) Array.Fill(data, (byte)0xFF);
                if (round % 5 == 2) Array.Fill(data, (byte)0x00);
                if (round % 5 >= 3)
                {
                    data[offset + 10] = data[offset + 11] = 0;
                    NetworkOrder.WriteUInt16(data, offset + 10, ReferenceChecksum.Compute(data, offset, 20));
                    Assert.True(InternetChecksum.IsValid20(data, offset));
                }
                Assert.Equal(ReferenceChecksum.Compute(data, offset, 20) == 0, InternetChecksum.IsValid20(data, offset));
                data[offset + random.Next(20)] ^= (byte)(1 << random.Next(8));
                Assert.Equal(ReferenceChecksum.Compute(data, offset, 20) == 0, InternetChecksum.IsValid20(data, offset));
            }
        }

        [Fact]
        public void TheWordByWordPathMatchesTheReference()
        {
            // AddWords is what a big-endian machine runs (the fast loop assumes little-endian reads): every
            // length to 1,600 at offsets 0-3, and chained after a pseudo-header.
            var random = new Random(41);
            var data = new byte[1604];
            for (int length = 0; length <= 1600; length++)
            {
                random.NextBytes(data);
                if (length % 5 == 0) Array.Fill(data, (byte)0xFF);
                int offset = length % 4;
                Assert.Equal(ReferenceChecksum.Compute(data, offset, length),
                    InternetChecksum.Finish(InternetChecksum.AddWords(data, offset, length, 0)));
                uint src = (uint)random.Next(), dst = (uint)random.Next();
                Assert.Equal(ReferenceChecksum.WithPseudoHeader(src, dst, 6, data, offset, length),
                    InternetChecksum.Finish(InternetChecksum.AddWords(data, offset, length, InternetChecksum.AddPseudoHeader(src, dst, 6, length, 0))));
            }
        }

        [Fact]
        public void TheFieldValueByOneRemainderMatchesTheReference()
        {
            // FieldValue (every data segment sent): the remainder modulo 2^16 - 1 in place of the folds must give
            // what RFC 1071's end-around carry gives, including its two zeros: a non-zero sum that is a multiple of
            // 0xFFFF folds to 0xFFFF (checksum 0x0000), an all-zero range with no running sum to 0 (checksum 0xFFFF).
            var random = new Random(1624);
            var data = new byte[1504];
            for (int round = 0; round < 4000; round++)
            {
                random.NextBytes(data);
                int length = random.Next(0, 1481), offset = random.Next(0, 4);
                uint sum = round % 2 == 0 ? 0u : (uint)random.Next(0, 1 << 20);
                Assert.Equal(ReferenceChecksum.Finish(ReferenceChecksum.Sum(data, offset, length, sum)),
                    InternetChecksum.FieldValue(data, offset, length, sum));
            }
            byte[] negativeZero = { 0xFF, 0xFF, 0x12, 0x34, 0xED, 0xCB }; // 0xFFFF + 0x1234 + 0xEDCB = 2 * 0xFFFF
            Assert.Equal(0x0000, InternetChecksum.FieldValue(negativeZero, 0, negativeZero.Length, 0));
            Assert.Equal(0x0000, InternetChecksum.FieldValue(new byte[4], 0, 4, 0xFFFF));
            Assert.Equal(0xFFFF, InternetChecksum.FieldValue(new byte[40], 0, 40, 0));
            Assert.Equal(0x0000, InternetChecksum.FieldValue(new byte[] { 0x12, 0x34 }, 0, 2, 0xEDCB));
        }

        [Theory]
        [InlineData(new byte[0], 0xFFFF)]                          // nothing summed: complement of zero
        [InlineData(new byte[] { 0, 0, 0, 0 }, 0xFFFF)]
        [InlineData(new byte[] { 0xFF, 0xFF }, 0x0000)]            // negative zero sums to checksum 0
        [InlineData(new byte[] { 0xFF, 0xFF, 0x00, 0x01 }, 0xFFFE)] // end-around carry: 0xFFFF + 1 = 0x0001
        [InlineData(new byte[] { 0xAB }, 0x54FF)]                  // odd length: padded with a zero byte
        [InlineData(new byte[] { 0x00, 0x01, 0xF2, 0x03, 0xF4, 0xF5, 0xF6, 0xF7 }, 0x220D)] // RFC 1071 section 3 example: sum 0xDDF2
        public void OnesComplementEdgeCases(byte[] data, int expected)
        {
            Assert.Equal(expected, InternetChecksum.Compute(data, 0, data.Length));
            Assert.Equal(expected, ReferenceChecksum.Compute(data, 0, data.Length));
        }

        [Fact]
        public void ChainedRangesEqualOneRange()
        {
            var random = new Random(9);
            var data = new byte[1601];
            random.NextBytes(data);
            uint sum = InternetChecksum.Add(data, 0, 20, 0);
            sum = InternetChecksum.Add(data, 20, 1000, sum);
            sum = InternetChecksum.Add(data, 1020, 581, sum); // only the last range is odd
            Assert.Equal(ReferenceChecksum.Compute(data, 0, 1601), InternetChecksum.Finish(sum));
        }

        [Fact]
        public void PseudoHeaderMatchesTheReference()
        {
            var random = new Random(768);
            var data = new byte[1480];
            for (int i = 0; i < 500; i++)
            {
                random.NextBytes(data);
                uint src = (uint)random.Next() * 2u + 1, dst = (uint)random.Next();
                int length = random.Next(0, data.Length);
                uint sum = InternetChecksum.AddPseudoHeader(src, dst, 6, length, 0);
                Assert.Equal(ReferenceChecksum.WithPseudoHeader(src, dst, 6, data, 0, length),
                    InternetChecksum.Finish(InternetChecksum.Add(data, 0, length, sum)));
            }
        }

        [Fact]
        public void IncrementalUpdateFollowsRfc1624()
        {
            // RFC 1624 section 4: other octets sum to 0xCD7A, m = 0x5555 becomes m' = 0x3285; the correct
            // new checksum is 0x0000 (eqn. 2 would give 0xFFFF).
            Assert.Equal(0x0000, InternetChecksum.Update(0xDD2F, 0x5555, 0x3285));

            var random = new Random(1624);
            var header = new byte[20];
            for (int i = 0; i < 10000; i++)
            {
                random.NextBytes(header);
                header[10] = header[11] = 0;
                ushort before = InternetChecksum.Compute(header, 0, 20);
                NetworkOrder.WriteUInt16(header, 10, before);
                int word = random.Next(0, 10) * 2;
                if (word == 10) continue;
                ushort oldWord = NetworkOrder.ReadUInt16(header, word);
                ushort newWord = (ushort)random.Next(0, 65536);
                NetworkOrder.WriteUInt16(header, word, newWord);
                ushort updated = InternetChecksum.Update(before, oldWord, newWord);
                NetworkOrder.WriteUInt16(header, 10, updated);
                Assert.Equal(0, InternetChecksum.Compute(header, 0, 20));
            }
        }
    }
}
