// A board's parts built from its profile: the SPI bus (one TransferFullDuplex per W5500 frame), the
// optional reset and interrupt GPIOs, the microsecond clock and the hardware RNG.
using System.Device.Gpio;
using NanoTcp.Boards.W5500;

namespace NanoTcp.Boards.Esp32
{
    public sealed class Esp32Board
    {
        public readonly BoardProfile Profile;
        public readonly Esp32SpiBus Spi;
        public readonly IOutputPin Reset;
        public readonly IInputPin Interrupt;
        public readonly Esp32Clock Clock = new Esp32Clock();
        public readonly Esp32Random Random = new Esp32Random();

        public Esp32Board(BoardProfile profile)
        {
            Profile = profile;
            profile.RoutePins();
            Spi = new Esp32SpiBus(profile.SpiBus, profile.ChipSelect, profile.SpiClockHz);
            var gpio = new GpioController();
            if (profile.Reset >= 0)
                Reset = new Esp32OutputPin(gpio, profile.Reset);
            if (profile.Interrupt >= 0)
                Interrupt = new Esp32InputPin(gpio, profile.Interrupt);
        }

        /// <summary>The W5500 driver on this board (4 KB receive bursts, 2 ms SEND timeout: the values the host's
        /// W5500BoardSettings also use).</summary>
        public W5500Device CreateW5500(byte[] mac)
        {
            return new W5500Device(Spi, Reset, Interrupt, Clock, mac, W5500Device.DefaultBurstBytes, W5500Device.DefaultSendTimeoutUs);
        }

        /// <summary>Calls wake on INTn's falling edge (the chip has a frame); false when the board has no INT.</summary>
        public bool WakeOnInterrupt(PinEdge wake)
        {
            var pin = Interrupt as Esp32InputPin;
            if (pin == null)
                return false;
            pin.Fell = wake;
            return true;
        }
    }
}
