namespace NanoTcp.Scenarios
{
    /// <summary>xorshift32 (Marsaglia 2003): a deterministic IRandomSource for tests and simulations.</summary>
    public sealed class SeededRandom : IRandomSource
    {
        private uint _state;

        public SeededRandom(uint seed)
        {
            _state = seed == 0 ? 0x9E3779B9u : seed;
        }

        public uint NextUInt32()
        {
            uint x = _state;
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            _state = x;
            return x;
        }

        /// <summary>0 &lt;= result &lt; bound.</summary>
        public int Next(int bound)
        {
            return bound <= 0 ? 0 : (int)(NextUInt32() % (uint)bound);
        }
    }
}
