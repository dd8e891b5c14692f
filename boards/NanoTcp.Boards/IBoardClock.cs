namespace NanoTcp.Boards
{
    /// <summary>The monotonic clock a chip driver uses for its own delays and timeouts.</summary>
    public interface IBoardClock
    {
        /// <summary>Microseconds since an arbitrary start; never goes backwards.</summary>
        long NowMicroseconds { get; }

        /// <summary>Waits at least <paramref name="microseconds"/>.</summary>
        void Delay(int microseconds);
    }
}
