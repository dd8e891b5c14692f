// A keyed pseudo-random function for ISNs and SYN cookies: the HalfSipHash-2-4 rounds (Aumasson and
// Bernstein), 32-bit words so that it is cheap on the 32-bit device. RFC 6528 section 3 asks for "a
// cryptographic hash ... of the connection-id and some secret data"; RFC 4987 3.6 the same for cookies.
namespace NanoTcp.Tcp
{
    public static class KeyedHash
    {
        public static uint Hash(uint key0, uint key1, uint a, uint b, uint c, uint d)
        {
            uint v0 = key0, v1 = key1, v2 = 0x6C796765u ^ key0, v3 = 0x74656462u ^ key1;
            Mix(ref v0, ref v1, ref v2, ref v3, a);
            Mix(ref v0, ref v1, ref v2, ref v3, b);
            Mix(ref v0, ref v1, ref v2, ref v3, c);
            Mix(ref v0, ref v1, ref v2, ref v3, d);
            Mix(ref v0, ref v1, ref v2, ref v3, 16u << 24); // length block
            v2 ^= 0xFF;
            Round(ref v0, ref v1, ref v2, ref v3);
            Round(ref v0, ref v1, ref v2, ref v3);
            Round(ref v0, ref v1, ref v2, ref v3);
            Round(ref v0, ref v1, ref v2, ref v3);
            return v1 ^ v3;
        }

        private static void Mix(ref uint v0, ref uint v1, ref uint v2, ref uint v3, uint m)
        {
            v3 ^= m;
            Round(ref v0, ref v1, ref v2, ref v3);
            Round(ref v0, ref v1, ref v2, ref v3);
            v0 ^= m;
        }

        private static void Round(ref uint v0, ref uint v1, ref uint v2, ref uint v3)
        {
            v0 += v1; v1 = (v1 << 5) | (v1 >> 27); v1 ^= v0; v0 = (v0 << 16) | (v0 >> 16);
            v2 += v3; v3 = (v3 << 8) | (v3 >> 24); v3 ^= v2;
            v0 += v3; v3 = (v3 << 7) | (v3 >> 25); v3 ^= v0;
            v2 += v1; v1 = (v1 << 13) | (v1 >> 19); v1 ^= v2; v2 = (v2 << 16) | (v2 >> 16);
        }
    }
}
