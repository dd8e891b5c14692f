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
        /// <remarks>Written 0 - (b - a) for nanoCLR: its evaluation stack keeps the type a value was computed with,
        /// and (int)(a - b) emits no conversion, so the result would stay unsigned for the caller's shr, rem and
        /// widening to long (issue 11; tests/StackSuites/TypedStackSuite). A signed left operand makes sub signed.</remarks>
        public static int Distance(uint a, uint b) { return 0 - (int)(b - a); }

        public static uint Max(uint a, uint b) { return GreaterThan(a, b) ? a : b; }

        /// <summary>start &lt;= value &lt; start + length, modulo 2^32.</summary>
        public static bool InRange(uint value, uint start, int length) { return (uint)(value - start) < (uint)length; }
    }
}
