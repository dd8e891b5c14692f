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

        /// <summary>Clocks out all of tx while clocking all of rx (as long as tx) in, in one CS window: for transactions
        /// held in buffers of their exact length, which a board hands on whole (nanoFramework: SpanByte(byte[]),
        /// about half the IL of the range constructor, whose bounds checks are managed code).</summary>
        void TransferWhole(byte[] tx, byte[] rx);

        /// <summary>Clocks out all of tx in one CS window, discarding what comes in.</summary>
        void WriteWhole(byte[] tx);
    }
}
