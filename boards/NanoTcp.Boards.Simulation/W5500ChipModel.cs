using NanoTcp.Boards.W5500;
using NanoTcp.Link;
using NanoTcp.Wire;

namespace NanoTcp.Boards.Simulation
{
    /// <summary>
    /// A register-level WIZnet W5500 behind an ISpiBus (../shared/reference/W5500.md; datasheet v1.0.9), on a
    /// shared clock. SPI frames are decoded (16-bit offset, control byte BSB/RWB/OM, variable-length data), the
    /// registers hold their reset values, socket 0's RX and TX memories wrap their 16-bit pointers, and socket 0
    /// runs MACRAW. Its other side is a cable (any INetworkDevice that hands it frames and takes its own).
    ///
    /// Timing, all on the clock: each SPI transaction takes its bits at SpiClockHz; Sn_CR keeps a command for
    /// CommandUs before it clears and the command takes effect; SEND puts the frame on the cable, and Sn_TX_RD
    /// moves and SEND_OK is set after its bit time (plus SendDelayUs, e.g. collision back-off on 10 Mbit/s
    /// half duplex); the PHY's link comes up AutoNegotiationUs after a reset (RSTn, PHYCFGR.RST, power) or
    /// after the cable is plugged in. Frames are stored between transactions, or, when told, between two data
    /// bytes of one (so a 16-bit register can be read half-updated).
    ///
    /// Where the datasheet is silent, the model assumes (and the drivers it follows):
    /// - a command written while Sn_CR is still busy is ignored (Linux w5100.c and ESP-IDF wait for Sn_CR == 0
    ///   after every command, so they never find out);
    /// - SEND with the link down never completes and sets no SEND_OK (esp-idf #6233); CLOSE frees it;
    /// - MR.RST resets the registers but not the PHY (the PHY has its own reset, PHYCFGR.RST); RSTn resets both;
    /// - Sn_IR.RECV is a latch set when a frame is stored; RECV with data still buffered does not set it again
    ///   (issue 14: ESP-IDF's task keeps reading while RSR is not 0 for this reason);
    /// - a frame that does not fit in the free RX memory is dropped;
    /// - with MISO stuck high (BusStuckHigh) every byte reads 0xFF and writes reach nothing.
    /// </summary>
    public sealed class W5500ChipModel : ISpiBus
    {
        private const int Memory = 16384;
        private const int SocketRegisterBytes = 0x30;
        private const int WireOverheadBytes = 8 + 4 + 12; // preamble + SFD, FCS, inter-frame gap
        private const int EtherTypeIpv6 = 0x86DD;

        private readonly byte[] _common = new byte[0x40];
        private readonly byte[][] _socket = new byte[8][];
        private readonly byte[] _rxMemory = new byte[Memory];
        private readonly byte[] _txMemory = new byte[Memory];
        private readonly byte[] _frame = new byte[EthernetFrame.MaximumLength];
        private readonly INetworkDevice _wire;
        private readonly IBoardClock _clock;
        private readonly ResetLine _resetPin;
        private readonly InterruptLine _interruptPin;
        private uint _random;
        private ushort _txRead, _txWrite, _rxRead, _rxReadCommitted, _rxWrite;

        private int _command;            // Sn_CR while the chip has not taken it yet
        private long _commandDoneUs;
        private bool _sending;
        private long _sendDoneUs;
        private int _sendLength;
        private bool _plugged = true;
        private bool _resetHeld;
        private bool _phyResetHeld;
        private long _linkUpAtUs;
        private long _replugAtUs = -1;
        private bool _interruptWasAsserted;
        private long _spiNanoseconds;
        private int _releaseAfterTransactions = -1;
        private int _releaseAtByte;

        public W5500ChipModel(INetworkDevice wire, IBoardClock clock, uint seed)
        {
            _wire = wire;
            _clock = clock;
            _random = seed == 0 ? 0x2545F491u : seed;
            for (int i = 0; i < 8; i++)
                _socket[i] = new byte[SocketRegisterBytes];
            _resetPin = new ResetLine(this);
            _interruptPin = new InterruptLine(this);
            ResetRegisters();
        }

        // ---- timing knobs ----
        /// <summary>SPI clock: each transaction advances the clock by its bits at this rate; 0 = SPI takes no time.</summary>
        public int SpiClockHz;
        /// <summary>Link-up delay after a reset or a cable plugged in (IEEE 802.3 clause 28 auto-negotiation
        /// takes seconds; 2 s is the figure issue 14's reset loop was found with).</summary>
        public int AutoNegotiationUs = 2000000;
        /// <summary>How long Sn_CR reads back a command before the chip takes it (undocumented; assumed).</summary>
        public int CommandUs = 2;
        /// <summary>The PHY's negotiated speed and duplex (PHYCFGR.SPD, DPX).</summary>
        public bool Speed100 = true;
        public bool FullDuplex = true;
        /// <summary>Extra time before a SEND's frame leaves (collision back-off on half duplex).</summary>
        public int SendDelayUs;
        /// <summary>At most this many frames are stored per transaction (0 = all that are due): a busy wire.</summary>
        public int MaxArrivalsPerTransaction;

        // ---- fault hooks ----
        /// <summary>The next stored frame gets an impossible length header.</summary>
        public bool CorruptNextLengthHeader;
        /// <summary>The RX memory takes no new frame (they are dropped) while set.</summary>
        public bool RxBufferFull;
        /// <summary>SEND is taken but the frame never leaves and Sn_TX_RD does not move.</summary>
        public bool SendNeverCompletes;
        /// <summary>MISO stuck high: every byte read is 0xFF, writes reach nothing (no chip, or a dead bus).</summary>
        public bool BusStuckHigh;
        /// <summary>Frames are stored at a random data byte inside each transaction instead of before it.</summary>
        public bool ArrivalsInsideTransactions;

        // ---- counters ----
        public long Transactions, BytesTransferred, ReadTransactions, WriteTransactions, LongestTransaction;
        public long FramesDelivered, FramesSent, FramesFiltered, FramesDroppedRxFull, FramesLostLinkDown;
        public long HardwareResets, CommandsIgnoredWhileBusy;
        /// <summary>When the last frame was stored in RX memory, and when the last one left on the wire.</summary>
        public long LastArrivalUs, LastSendUs;

        /// <summary>Called on INTn's falling edge, as a GPIO interrupt handler would be.</summary>
        public PinEdge InterruptFell;

        /// <summary>RSTn (active low), for the driver.</summary>
        public IOutputPin ResetPin { get { return _resetPin; } }

        /// <summary>INTn (active low, open drain with the host's pull-up): high while no enabled interrupt is pending.</summary>
        public IInputPin InterruptPin { get { return _interruptPin; } }

        /// <summary>PHYCFGR.LNK as the chip sees it.</summary>
        public bool LinkUp
        {
            get
            {
                Update();
                return PhyLinkUp;
            }
        }

        /// <summary>The cable: unplugging drops the link at once; plugging it in starts auto-negotiation.</summary>
        public bool CablePlugged
        {
            get { return _plugged; }
            set
            {
                if (value && !_plugged)
                    _linkUpAtUs = _clock.NowMicroseconds + AutoNegotiationUs;
                _plugged = value;
                _replugAtUs = -1;
            }
        }

        /// <summary>Unplugs the cable now and plugs it back in after downUs (a flapping link).</summary>
        public void FlapLink(int downUs)
        {
            CablePlugged = false;
            _replugAtUs = _clock.NowMicroseconds + downUs;
        }

        /// <summary>The chip resets by itself (brown-out, ESD): registers to reset values, PHY renegotiates.</summary>
        public void SelfReset()
        {
            ResetRegisters();
            _linkUpAtUs = _clock.NowMicroseconds + AutoNegotiationUs;
            HardwareResets++;
        }

        /// <summary>Frames reaching the chip wait in the PHY until `transactions` more transactions have started
        /// and then `dataByte` data bytes of the next one have been clocked (0, 1: between the two bytes of the
        /// next transaction's first register).</summary>
        public void HoldArrivals(int transactions, int dataByte)
        {
            _releaseAfterTransactions = transactions;
            _releaseAtByte = dataByte;
        }

        /// <summary>Sn_RX_RSR as the chip holds it now.</summary>
        public int ReceivedSize { get { return RxReceived; } }

        /// <summary>The board's driver on this chip: its pins wired as the board wires them, its burst and SEND
        /// timeout, on the chip's clock.</summary>
        public W5500Device CreateDriver(W5500BoardSettings board, byte[] mac)
        {
            return new W5500Device(this, board.ResetWired ? _resetPin : null, board.InterruptWired ? _interruptPin : null, _clock, mac, board.BurstBytes, board.SendTimeoutUs);
        }

        // ---- SPI ----

        public void Transfer(byte[] tx, int txOffset, byte[] rx, int rxOffset, int length)
        {
            Frame(tx, txOffset, rx, rxOffset, length);
        }

        public void Write(byte[] tx, int offset, int length)
        {
            Frame(tx, offset, null, 0, length);
        }

        public void TransferWhole(byte[] tx, byte[] rx)
        {
            Frame(tx, 0, rx, 0, tx.Length);
        }

        public void WriteWhole(byte[] tx)
        {
            Frame(tx, 0, null, 0, tx.Length);
        }

        private void Frame(byte[] tx, int offset, byte[] rx, int rxOffset, int length)
        {
            Transactions++;
            BytesTransferred += length;
            if (length > LongestTransaction)
                LongestTransaction = length;
            int releaseAt = -1; // the data byte before which waiting frames are stored, when not before the frame
            bool storeFirst = true;
            if (_releaseAfterTransactions > 0)
            {
                _releaseAfterTransactions--;
                storeFirst = false;
            }
            else if (_releaseAfterTransactions == 0)
            {
                releaseAt = _releaseAtByte;
                storeFirst = false;
            }
            else if (ArrivalsInsideTransactions && length > 3)
            {
                releaseAt = (int)(NextRandom() % (uint)(length - 3));
                storeFirst = false;
            }
            UpdateTimers();
            if (storeFirst)
                PullFrames();
            if (BusStuckHigh)
            {
                if (rx != null)
                    for (int i = 0; i < length; i++)
                        rx[rxOffset + i] = 0xFF;
            }
            else if (length >= 3)
            {
                int address = (tx[offset] << 8) | tx[offset + 1];
                int control = tx[offset + 2];
                int block = control >> 3;
                bool write = (control & 0x04) != 0;
                if (rx != null)
                {
                    rx[rxOffset] = 0x01; rx[rxOffset + 1] = 0x02; rx[rxOffset + 2] = 0x03; // dummy bytes during the header
                }
                if ((control & 0x03) == 0) // fixed-length modes: used by no driver, not modelled
                {
                    if (write) WriteTransactions++; else ReadTransactions++;
                    for (int i = 0; i < length - 3; i++)
                    {
                        if (i == releaseAt)
                        {
                            Release();
                            releaseAt = -1;
                        }
                        int at = (address + i) & 0xFFFF; // the offset auto-increments across registers and wraps
                        if (write)
                            WriteByte(block, at, tx[offset + 3 + i]);
                        else if (rx != null)
                            rx[rxOffset + 3 + i] = ReadByte(block, at);
                    }
                }
            }
            if (releaseAt >= 0)
                Release();
            CheckInterruptEdge();
            SpendSpiTime(length);
        }

        private void Release()
        {
            _releaseAfterTransactions = -1;
            PullFrames();
        }

        private void SpendSpiTime(int length)
        {
            if (SpiClockHz <= 0)
                return;
            _spiNanoseconds += (long)length * 8 * 1000000000 / SpiClockHz;
            int microseconds = (int)(_spiNanoseconds / 1000);
            _spiNanoseconds -= (long)microseconds * 1000;
            _clock.Delay(microseconds);
        }

        /// <summary>Lets the chip catch up with the clock: commands, sends, the PHY, arriving frames, INTn.</summary>
        public void Update()
        {
            UpdateTimers();
            if (_releaseAfterTransactions < 0)
                PullFrames();
            CheckInterruptEdge();
        }

        // ---- register files ----

        private byte ReadByte(int block, int address)
        {
            if (block == 0)
            {
                if (address >= _common.Length) return 0;
                if (address == W5500Common.PhyConfiguration) return PhyConfiguration();
                if (address == W5500Common.SocketInterrupt) return (byte)SocketInterruptBits();
                return _common[address];
            }
            int socket = (block - 1) / 4, kind = (block - 1) % 4;
            if (socket > 7) return 0;
            if (kind == 1) return socket == 0 ? _txMemory[address & TxMask] : (byte)0;
            if (kind == 2) return socket == 0 ? _rxMemory[address & RxMask] : (byte)0;
            if (address >= SocketRegisterBytes) return 0;
            if (socket == 0)
            {
                switch (address)
                {
                    case W5500Socket.Command: return (byte)_command;
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
                if (address == W5500Common.Mode && (value & W5500Common.ModeReset) != 0) { ResetRegisters(); return; }
                if (address == W5500Common.Interrupt) { _common[address] &= (byte)~value; return; }
                if (address == W5500Common.PhyConfiguration) { WritePhyConfiguration(value); return; }
                if (address == W5500Common.Version || address == W5500Common.SocketInterrupt) return;
                _common[address] = value;
                return;
            }
            int socket = (block - 1) / 4, kind = (block - 1) % 4;
            if (socket > 7) return;
            if (kind == 1) { if (socket == 0) _txMemory[address & TxMask] = value; return; }
            if (kind == 2) return; // RX memory is read-only to the host
            if (address >= SocketRegisterBytes) return;
            byte[] r = _socket[socket];
            switch (address)
            {
                case W5500Socket.Command: if (socket == 0) Accept(value); return;
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
        private int TxSize { get { return _socket[0][W5500Socket.TransmitBufferSize] * 1024; } }
        private int RxSize { get { return _socket[0][W5500Socket.ReceiveBufferSize] * 1024; } }
        private int TxMask { get { return TxSize > 0 ? TxSize - 1 : 0; } }
        private int RxMask { get { return RxSize > 0 ? RxSize - 1 : 0; } }
        private int TxFree { get { return TxSize - (ushort)(_txWrite - _txRead); } }
        private int RxReceived { get { return (ushort)(_rxWrite - _rxReadCommitted); } }
        private bool MacRawOpen { get { return _socket[0][W5500Socket.Status] == W5500Socket.StatusMacRaw; } }

        private bool PhyLinkUp
        {
            get { return _plugged && !_resetHeld && !_phyResetHeld && _clock.NowMicroseconds >= _linkUpAtUs; }
        }

        /// <summary>PHYCFGR: RST=1, OPMD=0, OPMDC=111 (all capable, auto-negotiation), DPX, SPD, LNK.</summary>
        private byte PhyConfiguration()
        {
            int value = _phyResetHeld ? 0x38 : 0xB8;
            if (PhyLinkUp)
                value |= W5500Common.PhyLinkUp | (Speed100 ? 0x02 : 0) | (FullDuplex ? 0x04 : 0);
            return (byte)value;
        }

        private void WritePhyConfiguration(byte value)
        {
            bool hold = (value & 0x80) == 0;
            if (_phyResetHeld && !hold)
                _linkUpAtUs = _clock.NowMicroseconds + AutoNegotiationUs;
            _phyResetHeld = hold;
        }

        // ---- commands, sends, frames ----

        private void Accept(byte command)
        {
            if (_command != 0)
            {
                CommandsIgnoredWhileBusy++;
                return;
            }
            _command = command;
            _commandDoneUs = _clock.NowMicroseconds + (CommandUs > 0 ? CommandUs : 0);
            if (CommandUs <= 0)
                UpdateTimers();
        }

        private void UpdateTimers()
        {
            long now = _clock.NowMicroseconds;
            if (_replugAtUs >= 0 && now >= _replugAtUs)
            {
                _linkUpAtUs = _replugAtUs + AutoNegotiationUs;
                _replugAtUs = -1;
                _plugged = true;
            }
            if (_command != 0 && now >= _commandDoneUs)
            {
                int command = _command;
                _command = 0;
                Execute(command, _commandDoneUs); // at the time it was taken, however late we look
            }
            if (_sending && now >= _sendDoneUs)
                FinishSend();
        }

        private void Execute(int command, long atUs)
        {
            byte[] r = _socket[0];
            switch (command)
            {
                case W5500Socket.CommandOpen:
                    if ((r[W5500Socket.Mode] & W5500Socket.ProtocolMask) == W5500Socket.ProtocolMacRaw)
                    {
                        r[W5500Socket.Status] = W5500Socket.StatusMacRaw;
                        // OPEN sets the pointers; to which value is not documented, so drivers must read them.
                        _txRead = _txWrite = (ushort)NextRandom();
                        _rxRead = _rxReadCommitted = _rxWrite = (ushort)NextRandom();
                        _sending = false;
                    }
                    break;
                case W5500Socket.CommandClose:
                    r[W5500Socket.Status] = W5500Socket.StatusClosed;
                    _sending = false;
                    break;
                case W5500Socket.CommandSend:
                    if (!MacRawOpen || _sending)
                        break;
                    _sending = true;
                    _sendLength = (ushort)(_txWrite - _txRead);
                    if (SendNeverCompletes || !PhyLinkUp)
                    {
                        _sendDoneUs = long.MaxValue; // stranded: only CLOSE frees it
                        break;
                    }
                    // The frame goes on the cable now (the cable adds its bit time); Sn_TX_RD and SEND_OK follow
                    // once it is out, after any back-off.
                    PutOnWire();
                    long wireUs = ((long)(_sendLength + WireOverheadBytes) * 8 + (Speed100 ? 99 : 9)) / (Speed100 ? 100 : 10);
                    _sendDoneUs = atUs + SendDelayUs + wireUs;
                    break;
                case W5500Socket.CommandReceive:
                    _rxReadCommitted = _rxRead;
                    break;
            }
        }

        private void PutOnWire()
        {
            int length = _sendLength;
            if (length < EthernetFrame.HeaderLength || length > EthernetFrame.MaximumLength)
                return;
            for (int i = 0; i < length; i++)
                _frame[i] = _txMemory[(_txRead + i) & TxMask];
            _wire.Transmit(_frame, 0, length);
            FramesSent++;
            LastSendUs = _commandDoneUs;
        }

        private void FinishSend()
        {
            _sending = false;
            _txRead = (ushort)(_txRead + _sendLength);
            _socket[0][W5500Socket.Interrupt] |= W5500Socket.InterruptSendOk;
        }

        /// <summary>Stores the frames the cable has delivered in RX memory, as the chip does on its own time.</summary>
        private void PullFrames()
        {
            int stored = 0;
            int n;
            while ((MaxArrivalsPerTransaction <= 0 || stored < MaxArrivalsPerTransaction) && (n = _wire.Receive(_frame, 0, _frame.Length)) > 0)
            {
                stored++;
                if (!PhyLinkUp) { FramesLostLinkDown++; continue; }
                if (!MacRawOpen) { FramesFiltered++; continue; }
                if (n < EthernetFrame.MinimumLength)
                {
                    // No runt reaches a real chip: the sender's MAC pads every frame to 60 bytes (plus FCS).
                    // A TAP hands over the kernel's 42-byte ARP frames as they are, so pad them here.
                    System.Array.Clear(_frame, n, EthernetFrame.MinimumLength - n);
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
                _socket[0][W5500Socket.Interrupt] |= W5500Socket.InterruptReceive; // the latch
                FramesDelivered++;
                LastArrivalUs = _clock.NowMicroseconds;
            }
        }

        /// <summary>Sn_MR in MACRAW (datasheet v1.0.9 section 4.2; ../shared/reference/W5500.md section 5): with MFEN
        /// the chip passes frames to SHAR, broadcast and IP multicast, and drops other multicast (LLDP); MMB, which
        /// the datasheet applies only when MFEN = 1, blocks IPv4 multicast (01:00:5E); IPv6 multicast (33:33) passes
        /// MFEN (esp-eth-drivers' hardware tests); BCASTB blocks broadcast; MIP6B blocks IPv6 (EtherType 0x86DD).
        /// ESP-IDF's W5500 driver relies on the same: it clears MMB to receive multicast with MFEN set.</summary>
        private bool Accepts(int length)
        {
            byte mode = _socket[0][W5500Socket.Mode];
            if ((mode & W5500Socket.ModeIpv6Block) != 0 && length >= 14 && ((_frame[12] << 8) | _frame[13]) == EtherTypeIpv6)
                return false;
            if (MacAddress.IsBroadcast(_frame, 0))
                return (mode & W5500Socket.ModeBroadcastBlock) == 0;
            if (MacAddress.IsMulticast(_frame, 0))
            {
                if ((mode & W5500Socket.ModeMacFilter) == 0)
                    return true;
                if (_frame[0] == 0x01 && _frame[1] == 0x00 && _frame[2] == 0x5E)
                    return (mode & W5500Socket.ModeMulticastBlock) == 0;
                return _frame[0] == 0x33 && _frame[1] == 0x33;
            }
            return (mode & W5500Socket.ModeMacFilter) == 0 || MacAddress.AreEqual(_frame, 0, _common, W5500Common.SourceHardwareAddress);
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
                Update();
                return Asserted();
            }
        }

        private bool Asserted()
        {
            return (SocketInterruptBits() & _common[W5500Common.SocketInterruptMask]) != 0
                || (_common[W5500Common.Interrupt] & _common[W5500Common.InterruptMask]) != 0;
        }

        private void CheckInterruptEdge()
        {
            bool asserted = Asserted();
            bool fell = asserted && !_interruptWasAsserted;
            _interruptWasAsserted = asserted;
            PinEdge edge = InterruptFell;
            if (fell && edge != null)
                edge();
        }

        private void ResetRegisters()
        {
            System.Array.Clear(_common, 0, _common.Length);
            _common[W5500Common.RetryTime] = 0x07;
            _common[W5500Common.RetryTime + 1] = 0xD0;
            _common[W5500Common.RetryCount] = 0x08;
            _common[0x1C] = 0x28; // PTIMER
            _common[W5500Common.Version] = W5500Common.ChipVersion;
            for (int s = 0; s < 8; s++)
            {
                System.Array.Clear(_socket[s], 0, SocketRegisterBytes);
                _socket[s][W5500Socket.ReceiveBufferSize] = 2;
                _socket[s][W5500Socket.TransmitBufferSize] = 2;
                _socket[s][W5500Socket.InterruptMask] = 0xFF;
            }
            _txRead = _txWrite = _rxRead = _rxReadCommitted = _rxWrite = 0;
            _command = 0;
            _sending = false;
        }

        private void HoldReset(bool held)
        {
            if (held && !_resetHeld)
            {
                ResetRegisters();
                HardwareResets++;
            }
            if (!held && _resetHeld)
                _linkUpAtUs = _clock.NowMicroseconds + AutoNegotiationUs;
            _resetHeld = held;
        }

        private uint NextRandom()
        {
            uint x = _random; // xorshift32
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            _random = x;
            return x;
        }

        private sealed class ResetLine : IOutputPin
        {
            private readonly W5500ChipModel _chip;
            public ResetLine(W5500ChipModel chip) { _chip = chip; }
            public void Write(bool high) { _chip.HoldReset(!high); }
        }

        private sealed class InterruptLine : IInputPin
        {
            private readonly W5500ChipModel _chip;
            public InterruptLine(W5500ChipModel chip) { _chip = chip; }
            public bool IsHigh { get { return !_chip.InterruptAsserted; } }
        }
    }
}
