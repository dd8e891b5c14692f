// ISpiBus over nanoFramework's SpiDevice. Each SpiDevice call is one chip-select window, which is
// exactly the ISpiBus contract; SpanByte is a struct, so wrapping the caller's arrays allocates nothing.
// Writes go through TransferFullDuplex with an empty read span: SpiDevice.Write(SpanByte) makes its null read
// buffer a SpanByte in managed code (mscorlib's op_Implicit and constructor, about 20 IL), and the native transfer
// is the same either way: no read buffer means a read size of 0, which the ESP32's cpu_spi.cpp sends as the
// same half-duplex, write-length transaction (nf-interpreter sys_dev_spi_native and cpu_spi.cpp).
using System;
using System.Device.Spi;
using NanoTcp.Boards;

namespace NanoTcp.Boards.Esp32
{
    /// <summary>An SPI bus on an ESP32 (bus 1 = HSPI, bus 2 = VSPI), chip select on a GPIO.</summary>
    public sealed class Esp32SpiBus : ISpiBus
    {
        private readonly SpiDevice _device;

        public Esp32SpiBus(int busId, int chipSelectPin, int clockHz)
        {
            var settings = new SpiConnectionSettings(busId, chipSelectPin);
            settings.ClockFrequency = clockHz;
            settings.Mode = SpiMode.Mode0;
            settings.DataBitLength = 8;
            settings.DataFlow = DataFlow.MsbFirst;
            _device = SpiDevice.Create(settings);
        }

        public void Transfer(byte[] tx, int txOffset, byte[] rx, int rxOffset, int length)
        {
            _device.TransferFullDuplex(new SpanByte(tx, txOffset, length), new SpanByte(rx, rxOffset, length));
        }

        public void Write(byte[] tx, int offset, int length)
        {
            _device.TransferFullDuplex(new SpanByte(tx, offset, length), default(SpanByte));
        }

        public void TransferWhole(byte[] tx, byte[] rx)
        {
            _device.TransferFullDuplex(new SpanByte(tx), new SpanByte(rx));
        }

        public void WriteWhole(byte[] tx)
        {
            _device.TransferFullDuplex(new SpanByte(tx), default(SpanByte));
        }
    }
}
