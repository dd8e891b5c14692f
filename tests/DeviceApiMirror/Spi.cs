// Mirror of nanoFramework.System.Device.Spi 1.3.89 (see System.Device.Spi.txt). Host type-checking only.
using System;
using System.Device.Gpio;

namespace System.Device.Spi
{
    public enum SpiMode { Mode0, Mode1, Mode2, Mode3 }

    public enum DataFlow { MsbFirst, LsbFirst }

    public enum SpiBusConfiguration { FullDuplex, HalfDuplex, Simplex }

    public class SpiConnectionSettings
    {
        public SpiConnectionSettings(int busId, int chipSelectLine) { throw new NotSupportedException(); }
        public int BusId { get { throw new NotSupportedException(); } set { throw new NotSupportedException(); } }
        public int ChipSelectLine { get { throw new NotSupportedException(); } set { throw new NotSupportedException(); } }
        public PinValue ChipSelectLineActiveState { get { throw new NotSupportedException(); } set { throw new NotSupportedException(); } }
        public int ClockFrequency { get { throw new NotSupportedException(); } set { throw new NotSupportedException(); } }
        public SpiBusConfiguration Configuration { get { throw new NotSupportedException(); } set { throw new NotSupportedException(); } }
        public int DataBitLength { get { throw new NotSupportedException(); } set { throw new NotSupportedException(); } }
        public DataFlow DataFlow { get { throw new NotSupportedException(); } set { throw new NotSupportedException(); } }
        public SpiMode Mode { get { throw new NotSupportedException(); } set { throw new NotSupportedException(); } }
    }

    public class SpiDevice : IDisposable
    {
        public SpiDevice(SpiConnectionSettings settings) { throw new NotSupportedException(); }
        public static SpiDevice Create(SpiConnectionSettings settings) { throw new NotSupportedException(); }
        public SpiConnectionSettings ConnectionSettings { get { throw new NotSupportedException(); } }
        public void TransferFullDuplex(SpanByte writeBuffer, SpanByte readBuffer) { throw new NotSupportedException(); }
        public void Write(SpanByte buffer) { throw new NotSupportedException(); }
        public void Read(SpanByte buffer) { throw new NotSupportedException(); }
        public byte ReadByte() { throw new NotSupportedException(); }
        public void WriteByte(byte value) { throw new NotSupportedException(); }
        public void Dispose() { throw new NotSupportedException(); }
    }
}
