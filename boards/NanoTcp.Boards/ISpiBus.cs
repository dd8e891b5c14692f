namespace NanoTcp.Boards
{
    /// <summary>
    /// An SPI bus with the chip already selected per call: each call is exactly one chip-select window,
    /// as each nanoFramework SpiDevice call is. Implementations must not allocate.
    /// </summary>
    public interface ISpiBus
    {
        /// <summary>Clocks out tx[txOffset..+length] while clocking in rx[rxOffset..+length], in one CS window.</summary>
        void Transfer(byte[] tx, int txOffset, byte[] rx, int rxOffset, int length);

        /// <summary>Clocks out tx[offset..+length] in one CS window, discarding what comes in.</summary>
        void Write(byte[] tx, int offset, int length);
    }
}
