// A stand-in for a real sensor: a temperature in hundredths of a degree that climbs from 18.00 to
// 24.00 and back over ten minutes. A board with a real sensor passes its own SensorRead instead.
namespace NanoTcp.Sensor
{
    /// <summary>A reading in hundredths (2153 is 21.53) at local time nowMs.</summary>
    public delegate int SensorRead(long nowMs);

    public static class SimulatedThermometer
    {
        private const int LowHundredths = 1800, SpanHundredths = 600, HalfPeriodMs = 300000;

        public static int Read(long nowMs)
        {
            long phase = nowMs % (2 * HalfPeriodMs);
            if (phase >= HalfPeriodMs)
                phase = 2 * HalfPeriodMs - phase;
            return LowHundredths + (int)(phase * SpanHundredths / HalfPeriodMs);
        }
    }
}
