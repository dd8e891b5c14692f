// The stack's random seam on the ESP32: System.Random there draws from the hardware RNG (esp_random)
// and ignores any seed (NANOFRAMEWORK.md), which is what ISN secrets and DNS ids need.
using System;

namespace NanoTcp.Boards.Esp32
{
    public sealed class Esp32Random : IRandomSource
    {
        private readonly Random _random = new Random();

        public uint NextUInt32()
        {
            // Next() gives 31 bits: take 16 from each of two draws.
            return ((uint)(_random.Next() & 0xFFFF) << 16) | (uint)(_random.Next() & 0xFFFF);
        }
    }
}
