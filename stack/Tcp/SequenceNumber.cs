// Modular sequence-number comparisons, RFC 9293 3.4 ("sequence numbers ... are modulo 2**32"):
// a < b when the signed 32-bit difference a - b is negative. Used for every SEQ/ACK comparison.
namespace NanoTcp.Tcp
{
    public static class SequenceNumber
    {
        public static bool LessThan(uint a, uint b) { return (int)(a - b) < 0; }
        public static bool LessOrEqual(uint a, uint b) { return (int)(a - b) <= 0; }
        public static bool GreaterThan(uint a, uint b) { return (int)(a - b) > 0; }
        public static bool GreaterOrEqual(uint a, uint b) { return (int)(a - b) >= 0; }

        /// <summary>a - b as a signed distance.</summary>
        public static int Distance(uint a, uint b) { return (int)(a - b); }

        public static uint Max(uint a, uint b) { return GreaterThan(a, b) ? a : b; }

        /// <summary>start &lt;= value &lt; start + length, modulo 2^32.</summary>
        public static bool InRange(uint value, uint start, int length) { return (uint)(value - start) < (uint)length; }
    }
}
