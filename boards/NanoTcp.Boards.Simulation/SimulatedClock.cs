namespace NanoTcp.Boards.Simulation
{
    /// <summary>A board clock that moves only when told to: Delay and Advance move it forward, nothing moves it
    /// back. The chip model and the driver share one, so SPI and wait times add up on it.</summary>
    public sealed class SimulatedClock : IBoardClock
    {
        private long _now;

        public long NowMicroseconds { get { return _now; } }

        public long NowMilliseconds { get { return _now / 1000; } }

        public void Delay(int microseconds)
        {
            if (microseconds > 0)
                _now += microseconds;
        }

        /// <summary>Moves to the given time; a time already passed is ignored.</summary>
        public void AdvanceTo(long microseconds)
        {
            if (microseconds > _now)
                _now = microseconds;
        }
    }
}
