// Where a W5500 is wired on a given ESP32 board (W5500.md section 7). Pins are GPIO numbers; -1 means
// not wired. The SPI pins are routed with Configuration.SetPinFunction; chip select is a plain GPIO.
using nanoFramework.Hardware.Esp32;
using NanoTcp.Boards.W5500;

namespace NanoTcp.Boards.Esp32
{
    public sealed class BoardProfile
    {
        public readonly string Name;
        /// <summary>Managed SPI bus: 1 = HSPI (SPI2_HOST), 2 = VSPI (SPI3_HOST).</summary>
        public readonly int SpiBus;
        public readonly int Clock, Miso, Mosi, ChipSelect, Interrupt, Reset;
        /// <summary>SCLK: W5500BoardSettings.IoMuxSpiClockHz on the IO_MUX SPI pins, GpioMatrixSpiClockHz on any
        /// other (boards/Esp32/README.md, "SPI clock").</summary>
        public readonly int SpiClockHz;

        public BoardProfile(string name, int spiBus, int clock, int miso, int mosi, int chipSelect, int interrupt, int reset, int spiClockHz)
        {
            Name = name;
            SpiBus = spiBus;
            Clock = clock;
            Miso = miso;
            Mosi = mosi;
            ChipSelect = chipSelect;
            Interrupt = interrupt;
            Reset = reset;
            SpiClockHz = spiClockHz;
        }

        /// <summary>Routes the SPI pins to the chosen bus (must run before the SpiDevice is created).</summary>
        public void RoutePins()
        {
            if (SpiBus == 1)
            {
                Configuration.SetPinFunction(Mosi, DeviceFunction.SPI1_MOSI);
                Configuration.SetPinFunction(Miso, DeviceFunction.SPI1_MISO);
                Configuration.SetPinFunction(Clock, DeviceFunction.SPI1_CLOCK);
            }
            else
            {
                Configuration.SetPinFunction(Mosi, DeviceFunction.SPI2_MOSI);
                Configuration.SetPinFunction(Miso, DeviceFunction.SPI2_MISO);
                Configuration.SetPinFunction(Clock, DeviceFunction.SPI2_CLOCK);
            }
        }
    }

    /// <summary>Known wirings (boards/Esp32/README.md has the table and its sources).</summary>
    public static class BoardProfiles
    {
        /// <summary>ESP32-DevKitC, VSPI IO_MUX pins (the common tutorial wiring); INT on GPIO 4, no RST.</summary>
        public static BoardProfile DevKitC { get { return new BoardProfile("ESP32-DevKitC (VSPI)", 2, 18, 19, 23, 5, 4, -1, W5500BoardSettings.IoMuxSpiClockHz); } }

        /// <summary>Espressif's default (esp-eth-drivers Kconfig): HSPI IO_MUX pins, INT on GPIO 4.</summary>
        public static BoardProfile EspressifHspi { get { return new BoardProfile("Espressif default (HSPI)", 1, 14, 12, 13, 15, 4, -1, W5500BoardSettings.IoMuxSpiClockHz); } }

        /// <summary>M5Stack ATOM PoE with the classic Atom: pins through the GPIO matrix; neither INT nor RST is
        /// wired, so the driver polls.</summary>
        public static BoardProfile M5StackAtomPoe { get { return new BoardProfile("M5Stack ATOM PoE", 1, 22, 23, 33, 19, -1, -1, W5500BoardSettings.GpioMatrixSpiClockHz); } }

        /// <summary>LilyGO T-ETH-Lite (ESP32-S3): pins through the GPIO matrix (the S3's SPI2 IO_MUX pins are
        /// 10-13 in another order); INT and RST wired.</summary>
        public static BoardProfile LilyGoTEthLiteS3 { get { return new BoardProfile("LilyGO T-ETH-Lite ESP32-S3", 1, 10, 11, 12, 9, 13, 14, W5500BoardSettings.GpioMatrixSpiClockHz); } }
    }
}
