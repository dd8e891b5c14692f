// IBoardClock from esp_timer (HighResTimer.GetCurrent, microseconds). Environment.TickCount64 is
// only 10 ms on ESP32, too coarse for the W5500's sub-millisecond timeouts.
using System.Threading;
using nanoFramework.Hardware.Esp32;
using NanoTcp.Boards;

namespace NanoTcp.Boards.Esp32
{
    /// <summary>The ESP32's microsecond timer.</summary>
    public sealed class Esp32Clock : IBoardClock
    {
        public long NowMicroseconds
        {
            get { return (long)HighResTimer.GetCurrent(); }
        }

        public void Delay(int microseconds)
        {
            if (microseconds >= 1000)
            {
                Thread.Sleep(microseconds / 1000);
                return;
            }
            long until = NowMicroseconds + microseconds;
            while (NowMicroseconds < until)
            {
            }
        }
    }
}
