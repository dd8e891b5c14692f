using System.Diagnostics;
using System.Threading;

namespace NanoTcp.Boards.Desktop
{
    /// <summary>The PC's monotonic clock as a board clock (Stopwatch), for real-time runs.</summary>
    public sealed class HostClock : IBoardClock
    {
        private readonly Stopwatch _watch = Stopwatch.StartNew();

        public long NowMicroseconds => _watch.ElapsedTicks * 1_000_000 / Stopwatch.Frequency;

        public long NowMilliseconds => _watch.ElapsedMilliseconds;

        public void Delay(int microseconds)
        {
            if (microseconds >= 1000)
                Thread.Sleep(microseconds / 1000);
            else
                Thread.SpinWait(microseconds * 10);
        }
    }
}
