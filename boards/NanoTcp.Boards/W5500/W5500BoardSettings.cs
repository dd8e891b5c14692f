namespace NanoTcp.Boards.W5500
{
    /// <summary>
    /// How a board drives its W5500, in portable form, so that hosts, tests and benchmarks run the driver the
    /// way the board does (boards/Esp32/BoardProfile.cs holds the pins; boards/Esp32/README.md the reasons).
    /// </summary>
    public sealed class W5500BoardSettings
    {
        /// <summary>SCLK on the ESP32's IO_MUX SPI pins (HSPI 14/12/13, VSPI 18/19/23): 20 MHz, Espressif's
        /// W5500 default, well inside the 80 MHz those pins allow.</summary>
        public const int IoMuxSpiClockHz = 20000000;
        /// <summary>SCLK through the GPIO matrix: Espressif gives 26 MHz full duplex with no MISO input delay
        /// (nf-interpreter cpu_spi.cpp); nanoFramework leaves input_delay_ns at 0, so the W5500's output delay
        /// and the matrix's are not compensated: 16 MHz leaves margin.</summary>
        public const int GpioMatrixSpiClockHz = 16000000;

        public readonly string Name;
        public readonly int SpiClockHz;
        public readonly bool InterruptWired;
        public readonly bool ResetWired;
        public readonly int BurstBytes;
        public readonly int SendTimeoutUs;

        public W5500BoardSettings(string name, int spiClockHz, bool interruptWired, bool resetWired, int burstBytes, int sendTimeoutUs)
        {
            Name = name;
            SpiClockHz = spiClockHz;
            InterruptWired = interruptWired;
            ResetWired = resetWired;
            BurstBytes = burstBytes;
            SendTimeoutUs = sendTimeoutUs;
        }

        /// <summary>The default board: ESP32-DevKitC, VSPI IO_MUX pins, INT wired, RST not.</summary>
        public static W5500BoardSettings DevKitC
        {
            get { return new W5500BoardSettings("ESP32-DevKitC (VSPI)", IoMuxSpiClockHz, true, false, W5500Device.DefaultBurstBytes, W5500Device.DefaultSendTimeoutUs); }
        }

        /// <summary>Espressif's default wiring: HSPI IO_MUX pins, INT wired, RST not.</summary>
        public static W5500BoardSettings EspressifHspi
        {
            get { return new W5500BoardSettings("Espressif default (HSPI)", IoMuxSpiClockHz, true, false, W5500Device.DefaultBurstBytes, W5500Device.DefaultSendTimeoutUs); }
        }

        /// <summary>M5Stack ATOM PoE: pins through the GPIO matrix, neither INT nor RST: the driver polls.</summary>
        public static W5500BoardSettings M5StackAtomPoe
        {
            get { return new W5500BoardSettings("M5Stack ATOM PoE", GpioMatrixSpiClockHz, false, false, W5500Device.DefaultBurstBytes, W5500Device.DefaultSendTimeoutUs); }
        }

        /// <summary>LilyGO T-ETH-Lite ESP32-S3: pins through the GPIO matrix, INT and RST wired.</summary>
        public static W5500BoardSettings LilyGoTEthLiteS3
        {
            get { return new W5500BoardSettings("LilyGO T-ETH-Lite ESP32-S3", GpioMatrixSpiClockHz, true, true, W5500Device.DefaultBurstBytes, W5500Device.DefaultSendTimeoutUs); }
        }
    }
}
