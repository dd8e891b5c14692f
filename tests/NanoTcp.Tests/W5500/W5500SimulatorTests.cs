using NanoTcp.Boards.Desktop;
using NanoTcp.Boards.W5500;
using Xunit;

namespace NanoTcp.Tests.W5500
{
    /// <summary>The simulator against the datasheet facts, through raw SPI frames (W5500.md sections 1-4).</summary>
    public sealed class W5500SimulatorTests
    {
        private readonly VirtualBoardClock _clock = new();
        private readonly W5500Simulator _chip;
        public W5500SimulatorTests() => _chip = new(new SimulatedSwitch(1), "02:00:00:00:55:00", _clock);
        private readonly byte[] _tx = new byte[64];
        private readonly byte[] _rx = new byte[64];

        private byte[] Read(int block, int address, int count)
        {
            _tx[0] = (byte)(address >> 8); _tx[1] = (byte)address; _tx[2] = W5500Control.Read(block);
            _chip.Transfer(_tx, 0, _rx, 0, 3 + count);
            return _rx[3..(3 + count)];
        }

        private void Write(int block, int address, params byte[] data)
        {
            _tx[0] = (byte)(address >> 8); _tx[1] = (byte)address; _tx[2] = W5500Control.WriteTo(block);
            data.CopyTo(_tx, 3);
            _chip.Write(_tx, 0, 3 + data.Length);
        }

        private int Read16(int address) { var b = Read(1, address, 2); return (b[0] << 8) | b[1]; }

        [Fact]
        public void RegistersHoldTheirDatasheetResetValues()
        {
            Assert.Equal(new byte[] { 0x04 }, Read(0, W5500Common.Version, 1));
            Assert.Equal(new byte[] { 0x07, 0xD0, 0x08, 0x28 }, Read(0, W5500Common.RetryTime, 4)); // RTR, RCR, PTIMER
            Assert.Equal(new byte[] { 0x02, 0x02 }, Read(1, W5500Socket.ReceiveBufferSize, 2));
            Assert.Equal(new byte[] { 0xFF }, Read(1, W5500Socket.InterruptMask, 1));
            Assert.Equal(0x0800, Read16(W5500Socket.TxFreeSize)); // 2 KB socket buffer after reset
            Assert.Equal(0xBF, Read(0, W5500Common.PhyConfiguration, 1)[0]); // link up, 100M full, all capable
            Assert.Equal(new byte[] { 1, 2, 3 }, _rx[..3]); // dummy bytes while the header clocks out
        }

        [Fact]
        public void SoftResetRestoresDefaultsAndSelfClears()
        {
            Write(0, W5500Common.SourceHardwareAddress, 1, 2, 3, 4, 5, 6);
            Write(0, W5500Common.Mode, 0x80);
            Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0 }, Read(0, W5500Common.SourceHardwareAddress, 6));
            Assert.Equal(0, Read(0, W5500Common.Mode, 1)[0]);
        }

        [Fact]
        public void OneFrameReadsAcrossRegistersAutoIncrementing()
        {
            Write(0, W5500Common.SourceHardwareAddress, 1, 2, 3, 4, 5, 6);
            Assert.Equal(new byte[] { 0, 0, 0, 0, 1, 2, 3, 4, 5, 6 }, Read(0, W5500Common.SubnetMask, 10));
        }

        [Fact]
        public void OpenInMacRawSetsStatusAndCommandSelfClears()
        {
            Write(1, W5500Socket.Mode, 0x84);
            Write(1, W5500Socket.Command, W5500Socket.CommandOpen);
            _clock.Delay(_chip.Chip.CommandUs); // Sn_CR clears once the chip has taken the command
            Assert.Equal(0, Read(1, W5500Socket.Command, 1)[0]);
            Assert.Equal(W5500Socket.StatusMacRaw, Read(1, W5500Socket.Status, 1)[0]);
            Write(1, W5500Socket.Command, W5500Socket.CommandClose);
            _clock.Delay(_chip.Chip.CommandUs);
            Assert.Equal(W5500Socket.StatusClosed, Read(1, W5500Socket.Status, 1)[0]);
        }

        [Fact]
        public void PointersWrapAndSizesFollowTheirArithmetic()
        {
            Write(1, W5500Socket.ReceiveBufferSize, 16, 16); // all of both memories to socket 0
            Write(1, W5500Socket.Mode, 0x04);
            Write(1, W5500Socket.Command, W5500Socket.CommandOpen);
            _clock.Delay(_chip.Chip.CommandUs);
            int txWrite = Read16(W5500Socket.TxWritePointer);
            Assert.Equal(txWrite, Read16(W5500Socket.TxReadPointer));
            Assert.Equal(16384, Read16(W5500Socket.TxFreeSize)); // FSR = size - (TX_WR - TX_RD)
            int advanced = (txWrite + 100) & 0xFFFF;
            Write(1, W5500Socket.TxWritePointer, (byte)(advanced >> 8), (byte)advanced);
            Assert.Equal(16384 - 100, Read16(W5500Socket.TxFreeSize));
            // A write at 0xFFFF runs on at 0x0000 of the same 16 KB memory (the address wraps at 2^16).
            Write(2, 0xFFFF, 0xAB, 0xCD);
            Assert.Equal(new byte[] { 0xAB, 0xCD }, Read(2, 0xFFFF, 2));
            Assert.Equal(new byte[] { 0xCD }, Read(2, 0x0000, 1));
            Assert.Equal(new byte[] { 0xAB }, Read(2, 0x3FFF, 1)); // 0xFFFF maps to 0x3FFF in 16 KB
        }

        [Fact]
        public void ReceivedFramesAreStoredAsLengthPlusTwoThenFrame()
        {
            var lan = new SimulatedSwitch(2);
            var clock = new VirtualBoardClock();
            var chip = new W5500Simulator(lan, "02:00:00:00:55:01", clock);
            var peer = lan.AddNic("peer", "02:00:00:00:00:99");
            // open socket 0 in promiscuous MACRAW on the new chip
            void W(int block, int address, params byte[] d) { var t = new byte[3 + d.Length]; t[0] = (byte)(address >> 8); t[1] = (byte)address; t[2] = W5500Control.WriteTo(block); d.CopyTo(t, 3); chip.Write(t, 0, t.Length); }
            byte[] R(int block, int address, int n) { var t = new byte[3 + n]; var r = new byte[3 + n]; t[0] = (byte)(address >> 8); t[1] = (byte)address; t[2] = W5500Control.Read(block); chip.Transfer(t, 0, r, 0, t.Length); return r[3..]; }
            W(1, W5500Socket.ReceiveBufferSize, 16, 16);
            W(1, W5500Socket.Mode, 0x04);
            W(1, W5500Socket.Command, W5500Socket.CommandOpen);
            clock.Delay(chip.Chip.CommandUs);
            var frame = new byte[60];
            for (int i = 0; i < 6; i++) frame[i] = 0xFF;
            frame[59] = 0x5A;
            peer.Transmit(frame, 0, 60);
            lan.Now += 5;
            byte[] sizes = R(1, W5500Socket.RxReceivedSize, 4);
            int rsr = (sizes[0] << 8) | sizes[1], rd = (sizes[2] << 8) | sizes[3];
            Assert.Equal(62, rsr);
            byte[] record = R(3, rd, 62);
            Assert.Equal(0, record[0]);
            Assert.Equal(62, record[1]); // the length includes its own two bytes
            Assert.Equal(0x5A, record[61]);
            Assert.Equal(W5500Socket.InterruptReceive, R(1, W5500Socket.Interrupt, 1)[0] & W5500Socket.InterruptReceive);
            Assert.False(chip.Chip.InterruptAsserted); // SIMR is 0: INTn stays high
        }
    }
}
