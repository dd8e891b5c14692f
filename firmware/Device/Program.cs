// Device entry point (nanoFramework only). Thin on purpose: pick a board, hand it to portable code.
using System.Diagnostics;
using System.Threading;
using NanoTcp.Boards.Esp32;

namespace NanoTcp.Firmware.Device
{
    public static class Program
    {
        private static Esp32SpiBus s_spi;

        public static void Main()
        {
            Debug.WriteLine("nanoTcp firmware starting");
            // ESP32-DevKitC VSPI wiring (boards/Esp32/README.md): bus 2, CS on GPIO 5, 20 MHz.
            s_spi = new Esp32SpiBus(2, 5, 20000000);
            var clock = new Esp32Clock();
            Debug.WriteLine("SPI bus ready at " + clock.NowMicroseconds.ToString() + " us; W5500 bring-up is not implemented yet");
            Thread.Sleep(Timeout.Infinite);
        }
    }
}
