// Mirror of nanoFramework.Hardware.Esp32 1.6.42 (see nanoFramework.Hardware.Esp32.txt): the members
// device-only code uses. Enum values are placeholders: the compiler inlines them, the device uses its own.
using System;

namespace nanoFramework.Hardware.Esp32
{
    public enum DeviceFunction
    {
        SPI1_MOSI, SPI1_MISO, SPI1_CLOCK, SPI2_MOSI, SPI2_MISO, SPI2_CLOCK
    }

    public static class Configuration
    {
        public static void SetPinFunction(int gpioNumber, DeviceFunction function) { throw new NotSupportedException(); }
    }

    public class HighResTimer
    {
        public static ulong GetCurrent() { throw new NotSupportedException(); }
    }
}
