using System;
using NanoTcp.Boards.W5500;
using NanoTcp.Wire;

namespace NanoTcp.Boards.Desktop
{
    /// <summary>
    /// A register-level WIZnet W5500 behind an ISpiBus (W5500.md): SPI frames are decoded (16-bit address,
    /// control byte BSB/RWB/OM, data in variable-length mode), common and socket registers hold their
    /// datasheet reset values, each socket's 16 KB RX and TX memories wrap their 16-bit pointers, and
    /// socket 0 runs MACRAW: OPEN/CLOSE/SEND/RECV with Sn_CR self-clearing, received frames stored as
    /// [2-byte length including itself][frame], Sn_IR/SIR/INTn, PHYCFGR link, the MAC filter. It is a NIC
    /// on a SimulatedSwitch. Fault hooks: corrupt a length header, a full RX buffer, link down, a SEND that
    /// never completes. It counts SPI transactions and bytes.
    /// </summary>
    public sealed class W5500Simulator : ISpiBus
    {
        private const int Memory = 16384;
        private readonly byte[] _common = new byte[0x40];
        private readonly byte[][] _socket = new byte[8][];
        private readonly byte[] _rxMemory = new byte[Memory];
        private readonly byte[] _txMemory = new byte[Memory];
        private readonly SimulatedNic _nic;
        private readonly byte[] _frame = new byte[1514];
        private readonly Random _random;
        private ushort _txRead, _txWrite, _rxRead, _rxReadCommitted, _rxWrite;

        public W5500Simulator(SimulatedSwitch lan, string mac, int seed = 1)
        {
            _nic = lan.AddNic("w5500", mac);
            _random = new Random(seed);
            for (int i = 0; i < 8; i++)
                _socket[i] = new byte[0x30];
            HardwareReset();
        }

        // ---- counters and fault hooks ----
        public long Transactions, BytesTransferred, ReadTransactions, WriteTransactions;
        public long FramesDelivered, FramesSent, FramesFiltered, FramesDroppedRxFull;
        public bool LinkUp { get => _linkUp; set { _linkUp = value; _nic.IsLinkUp = value; } }
        private bool _linkUp = true;
        /// <summary>The next received frame gets an impossible length header.</summary>
        public bool CorruptNextLengthHeader;
        /// <summary>The RX memory takes no new frame (they are dropped) while set.</summary>
        public bool RxBufferFull;
        /// <summary>SEND is accepted but the frame never leaves and Sn_TX_RD does not move.</summary>
        public bool SendNeverCompletes;
        /// <summary>The chip's reset pin (active low), for the driver.</summary>
        public IOutputPin ResetPin => new Pin(this);
        /// <summary>INTn (active low): high while no enabled interrupt is pending.</summary>
        public IInputPin InterruptPin => new Interrupt(this);

        public SimulatedNic Nic => _nic;

        public void Transfer(byte[] tx, int txOffset, byte[] rx, int rxOffset, int length) => Frame(tx, txOffset, rx, rxOffset, length);

        public void Write(byte[] tx, int offset, int length) => Frame(tx, offset, null, 0, length);

        private void Frame(byte[] tx, int offset, byte[] rx, int rxOffset, int length)
        {
            Transactions++;
            BytesTransferred += length;
            if (length < 3)
                return;
            PullFrames();
            int address = (tx[offset] << 8) | tx[offset + 1];
            int control = tx[offset + 2];
            int block = control >> 3;
            bool write = (control & 0x04) != 0;
            if ((control & 0x03) != 0)
                return; // fixed-length modes: not used by any driver, not modelled
            if (rx != null)
            {
                rx[rxOffset] = 0x01; rx[rxOffset + 1] = 0x02; rx[rxOffset + 2] = 0x03; // dummy bytes during the header
            }
            if (write) WriteTransactions++; else ReadTransactions++;
            for (int i = 0; i < length - 3; i++)
            {
                int at = (address + i) & 0xFFFF; // the offset auto-increments across registers and wraps
                if (write)
                    WriteByte(block, at, tx[offset + 3 + i]);
                else if (rx != null)
                    rx[rxOffset + 3 + i] = ReadByte(block, at);
            }
        }

        // ---- register files ----

        private byte ReadByte(int block, int address)
        {
            if (block == 0)
            {
                if (address >= _common.Length) return 0;
                if (address == W5500Common.PhyConfiguration) return (byte)(LinkUp ? 0xBF : 0xB8);
                if (address == W5500Common.SocketInterrupt) return (byte)SocketInterruptBits();
                return _common[address];
            }
            int socket = (block - 1) / 4, kind = (block - 1) % 4;
            if (socket > 7) return 0;
            if (kind == 1) return socket == 0 ? _txMemory[address & TxMask] : (byte)0;
            if (kind == 2) return socket == 0 ? _rxMemory[address & RxMask] : (byte)0;
            if (address >= 0x30) return 0;
            if (socket == 0)
            {
                switch (address)
                {
                    case W5500Socket.TxFreeSize: return (byte)(TxFree >> 8);
                    case W5500Socket.TxFreeSize + 1: return (byte)TxFree;
                    case W5500Socket.TxReadPointer: return (byte)(_txRead >> 8);
                    case W5500Socket.TxReadPointer + 1: return (byte)_txRead;
                    case W5500Socket.TxWritePointer: return (byte)(_txWrite >> 8);
                    case W5500Socket.TxWritePointer + 1: return (byte)_txWrite;
                    case W5500Socket.RxReceivedSize: return (byte)(RxReceived >> 8);
                    case W5500Socket.RxReceivedSize + 1: return (byte)RxReceived;
                    case W5500Socket.RxReadPointer: return (byte)(_rxRead >> 8);
                    case W5500Socket.RxReadPointer + 1: return (byte)_rxRead;
                    case W5500Socket.RxWritePointer: return (byte)(_rxWrite >> 8);
                    case W5500Socket.RxWritePointer + 1: return (byte)_rxWrite;
                }
            }
            return _socket[socket][address];
        }

        private void WriteByte(int block, int address, byte value)
        {
            if (block == 0)
            {
                if (address >= _common.Length) return;
                if (address == W5500Common.Mode && (value & W5500Common.ModeReset) != 0) { SoftReset(); return; }
                if (address == W5500Common.Interrupt) { _common[address] &= (byte)~value; return; }
                if (address == W5500Common.Version || address == W5500Common.SocketInterrupt || address == W5500Common.PhyConfiguration) return;
                _common[address] = value;
                return;
            }
            int socket = (block - 1) / 4, kind = (block - 1) % 4;
            if (socket > 7) return;
            if (kind == 1) { if (socket == 0) _txMemory[address & TxMask] = value; return; }
            if (kind == 2) return; // RX memory is read-only to the host
            if (address >= 0x30) return;
            byte[] r = _socket[socket];
            switch (address)
            {
                case W5500Socket.Command: if (socket == 0) Execute(value); return;
                case W5500Socket.Interrupt: r[address] &= (byte)~value; return;
                case W5500Socket.Status: return;
            }
            if (socket == 0)
            {
                switch (address)
                {
                    case W5500Socket.TxWritePointer: _txWrite = (ushort)((value << 8) | (_txWrite & 0xFF)); return;
                    case W5500Socket.TxWritePointer + 1: _txWrite = (ushort)((_txWrite & 0xFF00) | value); return;
                    case W5500Socket.RxReadPointer: _rxRead = (ushort)((value << 8) | (_rxRead & 0xFF)); return;
                    case W5500Socket.RxReadPointer + 1: _rxRead = (ushort)((_rxRead & 0xFF00) | value); return;
                    case W5500Socket.TxFreeSize: case W5500Socket.TxFreeSize + 1:
                    case W5500Socket.TxReadPointer: case W5500Socket.TxReadPointer + 1:
                    case W5500Socket.RxReceivedSize: case W5500Socket.RxReceivedSize + 1:
                    case W5500Socket.RxWritePointer: case W5500Socket.RxWritePointer + 1:
                        return; // read-only
                }
            }
            r[address] = value;
        }

        // Socket 0's share of each 16 KB memory, in KB, from Sn_TXBUF_SIZE / Sn_RXBUF_SIZE (reset value 2).
        private int TxSize => _socket[0][W5500Socket.TransmitBufferSize] * 1024;
        private int RxSize => _socket[0][W5500Socket.ReceiveBufferSize] * 1024;
        private int TxMask => TxSize > 0 ? TxSize - 1 : 0;
        private int RxMask => RxSize > 0 ? RxSize - 1 : 0;
        private int TxFree => TxSize - (ushort)(_txWrite - _txRead);
        private int RxReceived => (ushort)(_rxWrite - _rxReadCommitted);
        private bool MacRawOpen => _socket[0][W5500Socket.Status] == W5500Socket.StatusMacRaw;

        private void Execute(byte command)
        {
            byte[] r = _socket[0];
            switch (command)
            {
                case W5500Socket.CommandOpen:
                    if ((r[W5500Socket.Mode] & W5500Socket.ProtocolMask) == W5500Socket.ProtocolMacRaw)
                    {
                        r[W5500Socket.Status] = W5500Socket.StatusMacRaw;
                        // OPEN sets the pointers; which value is not documented, so drivers must read them.
                        _txRead = _txWrite = (ushort)_random.Next(0x10000);
                        _rxRead = _rxReadCommitted = _rxWrite = (ushort)_random.Next(0x10000);
                    }
                    break;
                case W5500Socket.CommandClose:
                    r[W5500Socket.Status] = W5500Socket.StatusClosed;
                    break;
                case W5500Socket.CommandSend:
                    if (!MacRawOpen || SendNeverCompletes || !LinkUp)
                        break;
                    int length = (ushort)(_txWrite - _txRead);
                    if (length >= EthernetFrame.HeaderLength && length <= 1514)
                    {
                        for (int i = 0; i < length; i++)
                            _frame[i] = _txMemory[(_txRead + i) & TxMask];
                        _nic.Transmit(_frame, 0, length);
                        FramesSent++;
                    }
                    _txRead = _txWrite;
                    r[W5500Socket.Interrupt] |= W5500Socket.InterruptSendOk;
                    break;
                case W5500Socket.CommandReceive:
                    _rxReadCommitted = _rxRead;
                    break;
            }
            r[W5500Socket.Command] = 0; // accepted at once: Sn_CR reads 0 again
        }

        /// <summary>Moves frames the switch has delivered into RX memory, as the chip does between SPI frames.</summary>
        private void PullFrames()
        {
            int n;
            while (MacRawOpen && (n = _nic.Receive(_frame, 0, _frame.Length)) > 0)
            {
                if (n < EthernetFrame.MinimumLength)
                {
                    // No runt reaches a real chip: the sender's MAC pads every frame to 60 bytes (plus FCS).
                    // A TAP hands over the kernel's 42-byte ARP frames as they are, so pad them here.
                    Array.Clear(_frame, n, EthernetFrame.MinimumLength - n);
                    n = EthernetFrame.MinimumLength;
                }
                if (!Accepts(n)) { FramesFiltered++; continue; }
                int free = RxSize - RxReceived;
                if (RxBufferFull || free < n + 2) { FramesDroppedRxFull++; continue; }
                int header = CorruptNextLengthHeader ? 0xCEEF : n + 2;
                CorruptNextLengthHeader = false;
                _rxMemory[_rxWrite & RxMask] = (byte)(header >> 8);
                _rxMemory[(_rxWrite + 1) & RxMask] = (byte)header;
                for (int i = 0; i < n; i++)
                    _rxMemory[(_rxWrite + 2 + i) & RxMask] = _frame[i];
                _rxWrite = (ushort)(_rxWrite + n + 2);
                _socket[0][W5500Socket.Interrupt] |= W5500Socket.InterruptReceive;
                FramesDelivered++;
            }
        }

        /// <summary>Sn_MR.MFEN: unicast to SHAR, broadcast, multicast (IPv4 multicast unless MMB).</summary>
        private bool Accepts(int length)
        {
            byte mode = _socket[0][W5500Socket.Mode];
            if ((mode & W5500Socket.ModeMacFilter) == 0 || length < 6)
                return true;
            if (MacAddress.IsBroadcast(_frame, 0))
                return (mode & W5500Socket.ModeBroadcastBlock) == 0;
            if (MacAddress.IsMulticast(_frame, 0))
                return !(_frame[0] == 0x01 && _frame[1] == 0x00 && _frame[2] == 0x5E && (mode & W5500Socket.ModeMulticastBlock) != 0);
            return MacAddress.AreEqual(_frame, 0, _common, W5500Common.SourceHardwareAddress);
        }

        private int SocketInterruptBits()
        {
            int bits = 0;
            for (int s = 0; s < 8; s++)
                if ((_socket[s][W5500Socket.Interrupt] & _socket[s][W5500Socket.InterruptMask]) != 0)
                    bits |= 1 << s;
            return bits;
        }

        /// <summary>INTn low: (SIR &amp; SIMR) != 0 or (IR &amp; IMR) != 0 (W5500.md section 4).</summary>
        public bool InterruptAsserted
        {
            get
            {
                PullFrames();
                return (SocketInterruptBits() & _common[W5500Common.SocketInterruptMask]) != 0
                    || (_common[W5500Common.Interrupt] & _common[W5500Common.InterruptMask]) != 0;
            }
        }

        private void HardwareReset() => SoftReset();

        private void SoftReset()
        {
            Array.Clear(_common);
            _common[W5500Common.RetryTime] = 0x07;
            _common[W5500Common.RetryTime + 1] = 0xD0;
            _common[W5500Common.RetryCount] = 0x08;
            _common[0x1C] = 0x28; // PTIMER
            _common[W5500Common.Version] = W5500Common.ChipVersion;
            for (int s = 0; s < 8; s++)
            {
                Array.Clear(_socket[s]);
                _socket[s][W5500Socket.ReceiveBufferSize] = 2;
                _socket[s][W5500Socket.TransmitBufferSize] = 2;
                _socket[s][W5500Socket.InterruptMask] = 0xFF;
            }
            _txRead = _txWrite = _rxRead = _rxReadCommitted = _rxWrite = 0;
        }

        private sealed class Pin : IOutputPin
        {
            private readonly W5500Simulator _chip;
            public Pin(W5500Simulator chip) => _chip = chip;
            public void Write(bool high) { if (!high) _chip.HardwareReset(); }
        }

        private sealed class Interrupt : IInputPin
        {
            private readonly W5500Simulator _chip;
            public Interrupt(W5500Simulator chip) => _chip = chip;
            public bool IsHigh => !_chip.InterruptAsserted;
        }
    }

    /// <summary>A board clock that only moves when told to (Delay advances it): drivers' waits cost no real time.</summary>
    public sealed class VirtualBoardClock : IBoardClock
    {
        public long NowMicroseconds { get; set; }
        public void Delay(int microseconds) => NowMicroseconds += microseconds;
    }
}
