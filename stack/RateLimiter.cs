namespace NanoTcp
{
    /// <summary>At most N events in any one-second window (ICMP replies and errors, RFC 1812 4.3.2.8).</summary>
    public sealed class RateLimiter
    {
        private readonly int _perSecond;
        private long _windowStart = long.MinValue / 2; // far in the past, without overflow in now - start
        private int _count;

        public RateLimiter(int perSecond)
        {
            _perSecond = perSecond;
        }

        public bool TryTake(long now)
        {
            if (now - _windowStart >= 1000)
            {
                _windowStart = now;
                _count = 0;
            }
            if (_count >= _perSecond)
                return false;
            _count++;
            return true;
        }
    }
}
