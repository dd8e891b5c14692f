// WIZnet W5500 in MACRAW mode as an INetworkDevice (W5500.md section 4): socket 0 moves raw Ethernet
// frames; the stack above does everything else. One ISpiBus call is one chip-select window, so every
// SPI frame (address, control byte, data) is built whole in a buffer allocated once, and no frame is longer
// than MaxTransactionBytes (nanoFramework's ESP32 SPI driver sets max_transfer_sz = 16384, cpu_spi.cpp).
//
// Receive: a status read (Sn_TX_RD through Sn_RX_WR); RSR is stable when it equals Sn_RX_WR - Sn_RX_RD from the
// same read (the same count four bytes later: equal only when neither was torn), else RSR is read again until two
// reads agree (at most 4 reads).
// What a stable RSR counted is read in bursts of up to the burst buffer from Sn_RX_RD, which the driver tracks
// itself (read after OPEN; only the driver moves it), without reading RSR again; frames are parsed in memory,
// each length header checked against 60..1514 and RSR. Sn_RX_RD and one RECV give the frames read back to the
// chip once they hold 4 KB (a quarter of its RX memory) and at the 100 ms supervision: RSR counts from the last RECV.
// A corrupt first header drains the buffer (Sn_RX_RD = Sn_RX_WR, RECV). Sn_IR.RECV is a latch that is not raised
// again for data already buffered, so the interrupt pin only gates reading when nothing is known to be waiting
// (ESP-IDF's task keeps reading while RSR is not 0).
// Transmit: dropped while PHYCFGR says the link is down (ESP-IDF). The frame is written behind the one on the
// wire, then the previous SEND must be done (Sn_TX_RD == our Sn_TX_WR, seen by a status read; waited for until
// the SEND timeout, else this frame is dropped, as ESP-IDF does), then Sn_TX_WR and SEND.
// Commands: each command's clearing (Sn_CR == 0) is confirmed before the next command is written; a SEND's
// also by Sn_TX_RD reaching Sn_TX_WR, which the chip moves only after taking it (Linux w5100.c and ESP-IDF
// wait after every command; waiting before the next one costs a read only when one is still unconfirmed). While
// a RECV, OPEN or CLOSE is unconfirmed the status read starts at Sn_CR, so the same read confirms it.
// The hot path's transactions (status, RSR, Sn_IR clear, Sn_RX_RD, Sn_TX_WR, Sn_CR) use buffers whose 3-byte
// headers are written once; only their data bytes change.
// Supervision, every 100 ms: PHYCFGR and VERSIONR in one read, and Sn_SR. VERSIONR != 0x04: the chip is absent
// (or MISO reads 0xFF); nothing is sent or read and the check backs off to 1.6 s. Sn_SR != SOCK_MACRAW: the chip
// reset itself; it is initialised again. Link back up: socket 0 is closed and opened again, which frees a SEND
// the link loss stranded (ESP-IDF closes and reopens on link changes; esp-idf #6233). RSTn is pulsed only by
// Initialize, never because of the link: a reset restarts auto-negotiation and takes the link down again.
using NanoTcp.Link;

namespace NanoTcp.Boards.W5500
{
    public sealed class W5500Device : INetworkDevice
    {
        /// <summary>Longest SPI transaction, 3-byte header included (nanoFramework ESP32: max_transfer_sz).</summary>
        public const int MaxTransactionBytes = 16384;
        /// <summary>The boards' receive burst: two full frames per burst.</summary>
        public const int DefaultBurstBytes = 4096;
        /// <summary>How long a frame waits for the previous SEND before it is dropped.</summary>
        public const int DefaultSendTimeoutUs = 2000;

        private const int Header = 3;
        private const int MaxFrame = 1514;
        private const int MinFrame = 60;
        private const int RxMemory = 16384;
        private const int CommandTimeoutUs = 100000;
        private const int SuperviseEveryUs = 100000;
        private const int LinkDownRecheckUs = 10000;
        private const int SuperviseAbsentMaxUs = 1600000;
        private const int StuckSendUs = 500000;
        private const int SizeReads = 4;
        private const int FailuresBeforeReopen = 3;
        // Frames read are committed (Sn_RX_RD, RECV) once they hold a quarter of the RX memory, and at the 100 ms
        // supervision: the chip keeps at least 12 KB free for arrivals (it has no overflow flag and drops what does
        // not fit), and a commit costs two transactions per 4 KB, not per burst.
        private const int CommitBytes = RxMemory / 4;
        // Socket 0's control bytes (W5500Control), worked out once: every SPI frame of a packet carries one.
        private const byte ReadSocket0Registers = (1 << 3); // block 1: socket 0 registers (W5500Control.SocketRegisters(0))
        private const byte WriteSocket0Registers = (1 << 3) | W5500Control.Write;
        private const byte WriteSocket0TxBuffer = (2 << 3) | W5500Control.Write;
        private const byte ReadSocket0RxBuffer = (3 << 3); // block 3: its RX buffer; block 2: its TX buffer
        // The status read: Sn_CR (0x01) through Sn_RX_WR (0x2B) while a command other than a SEND is unconfirmed
        // (Sn_CR is then needed), else Sn_TX_RD through Sn_RX_WR only; each lands in its own buffer.
        private const int StatusWideBytes = W5500Socket.RxWritePointer + 2 - W5500Socket.Command;
        private const int StatusNarrowBytes = W5500Socket.RxWritePointer + 2 - W5500Socket.TxReadPointer;
        private const int StatusCommandAt = Header;
        private const int StatusTxReadAt = Header + W5500Socket.TxReadPointer - W5500Socket.Command;
        private const int StatusSizeAfterTxRead = W5500Socket.RxReceivedSize - W5500Socket.TxReadPointer;
        private const int StatusRxWriteAfterTxRead = W5500Socket.RxWritePointer - W5500Socket.TxReadPointer;

        private readonly ISpiBus _spi;
        private readonly IOutputPin _reset;
        private readonly IInputPin _interrupt;
        private readonly IBoardClock _clock;
        private readonly byte[] _mac = new byte[6];
        private readonly byte[] _tx;
        private readonly byte[] _rx;
        private readonly byte[] _small = new byte[Header + 16];
        private readonly byte[] _smallRx = new byte[Header + 16];
        // The hot path's transactions, headers written once (only data bytes change per frame), each in buffers of
        // its exact length (ISpiBus.TransferWhole / WriteWhole).
        private readonly byte[] _statusWide = Held(W5500Socket.Command, ReadSocket0Registers, StatusWideBytes);
        private readonly byte[] _statusNarrow = Held(W5500Socket.TxReadPointer, ReadSocket0Registers, StatusNarrowBytes);
        private readonly byte[] _sizeAgain = Held(W5500Socket.RxReceivedSize, ReadSocket0Registers, 2);
        private readonly byte[] _statusWideRx = new byte[Header + StatusWideBytes];
        private readonly byte[] _statusNarrowRx = new byte[Header + StatusNarrowBytes];
        private readonly byte[] _sizeAgainRx = new byte[Header + 2];
        private readonly byte[] _clearReceive = Held(W5500Socket.Interrupt, WriteSocket0Registers, 1);
        private readonly byte[] _command = Held(W5500Socket.Command, WriteSocket0Registers, 1);
        private readonly byte[] _sendCommand = Held(W5500Socket.Command, WriteSocket0Registers, 1);
        private readonly bool _interruptWired;
        private readonly int _burstRoom; // the burst buffer's bytes after the SPI header
        private readonly byte[] _rxReadWrite = Held(W5500Socket.RxReadPointer, WriteSocket0Registers, 2);
        private readonly byte[] _txWriteWrite = Held(W5500Socket.TxWritePointer, WriteSocket0Registers, 2);
        private readonly int _sendTimeoutUs;

        private ushort _txWrite;         // Sn_TX_WR as we last wrote it
        private bool _sendOutstanding;
        private long _sentAtUs;
        private bool _commandUnconfirmed; // a command was written and Sn_CR has not been seen back at 0 since
        private int _lastCommand;
        private int _burstStart;         // frames waiting in _rx, already counted as read
        private int _burstEnd;
        private int _known;              // bytes a stable RSR counted that are not read yet
        private int _readPointer;        // Sn_RX_RD as far as whole frames were read (read after OPEN; only we move it)
        private int _pending;            // bytes of whole frames read since the last RECV: RSR still counts them
        private int _committed;          // Sn_RX_RD as the last RECV took it (_readPointer - _pending): RSR counts from here
        private int _statusRxWrite;      // Sn_RX_WR as the last status read saw it, a few bytes after Sn_RX_RSR
        private int _carry;              // bytes of a frame cut by the last burst, kept in _rx at _burstEnd
        private bool _gateOnInterrupt;   // INTn wired, the last size read stable, no look due: INTn high means nothing new
        private long _supervisedAtUs;
        private int _superviseIntervalUs = SuperviseEveryUs;
        private long _superviseDueUs = SuperviseEveryUs; // _supervisedAtUs + _superviseIntervalUs, kept for the per-frame test
        private bool _present;
        private bool _linkUp;
        private int _failures;
        private bool _initialized;
        private bool _initializing;

        public readonly W5500Counters Counters = new W5500Counters();

        /// <summary>reset and interrupt may be null (boards such as the M5Stack Atom PoE wire neither).
        /// burstBytes bounds one receive burst (2 + 1514 per full frame; 4096 takes two full frames); it is
        /// raised to one full frame and capped so that no transaction exceeds MaxTransactionBytes.</summary>
        public W5500Device(ISpiBus spi, IOutputPin reset, IInputPin interrupt, IBoardClock clock, byte[] mac, int burstBytes, int sendTimeoutUs)
        {
            _spi = spi;
            _reset = reset;
            _interrupt = interrupt;
            _clock = clock;
            System.Array.Copy(mac, 0, _mac, 0, 6);
            if (burstBytes < 2 + MaxFrame) burstBytes = 2 + MaxFrame;
            if (burstBytes > MaxTransactionBytes - Header) burstBytes = MaxTransactionBytes - Header;
            _tx = new byte[Header + burstBytes];
            _rx = new byte[Header + burstBytes];
            _burstRoom = burstBytes;
            _sendTimeoutUs = sendTimeoutUs;
            _interruptWired = interrupt != null;
            _gateOnInterrupt = _interruptWired;
            _sendCommand[Header] = W5500Socket.CommandSend;
            _clearReceive[Header] = W5500Socket.InterruptReceive; // write 1 to clear
        }

        public int Mtu { get { return 1500; } }

        public void CopyMacAddress(byte[] destination, int offset)
        {
            System.Array.Copy(_mac, 0, destination, offset, 6);
        }

        /// <summary>PHYCFGR.LNK of a chip that answers, checked at most every 100 ms.</summary>
        public bool IsLinkUp
        {
            get
            {
                Supervise();
                return _present && _linkUp;
            }
        }

        /// <summary>False while VERSIONR does not read 0x04.</summary>
        public bool IsChipPresent { get { return _present; } }

        /// <summary>Resets the chip and opens socket 0 in MACRAW (W5500.md section 4, steps 1-9). False when
        /// the chip does not answer as a W5500 or the socket does not reach SOCK_MACRAW.</summary>
        public bool Initialize()
        {
            _initializing = true;
            bool up = InitializeChip();
            _initializing = false;
            return up;
        }

        private bool InitializeChip()
        {
            if (_initialized)
                Counters.Recoveries++;
            _initialized = true;
            _burstStart = _burstEnd = 0;
            _known = 0;
            _carry = 0;
            _sendOutstanding = false;
            _commandUnconfirmed = false;
            _present = false;
            _supervisedAtUs = _clock.NowMicroseconds;
            SuperviseAgainAfterInterval();
            if (_reset != null)
            {
                _reset.Write(false);
                _clock.Delay(500);   // RSTn low at least 500 us
                _reset.Write(true);
                _clock.Delay(1000);  // PLL lock
            }
            // VERSIONR first: some units read 0 right after reset (esp-idf #11331); anything else is no W5500.
            if (!WaitCommon(W5500Common.Version, 0xFF, W5500Common.ChipVersion, true))
                return false;
            WriteCommon(W5500Common.Mode, W5500Common.ModeReset);
            if (!WaitCommon(W5500Common.Mode, W5500Common.ModeReset, 0, false))
                return false;
            for (int socket = 0; socket < 8; socket++)
            {
                int size = socket == 0 ? 16 : 0; // all 16 KB of each memory to socket 0
                WriteSocket(socket, W5500Socket.ReceiveBufferSize, size);
                WriteSocket(socket, W5500Socket.TransmitBufferSize, size);
            }
            WriteCommon(W5500Common.Mode, W5500Common.ModePingBlock);
            for (int i = 0; i < 6; i++)
                WriteCommon(W5500Common.SourceHardwareAddress + i, _mac[i]);
            WriteSocket(0, W5500Socket.Mode, W5500Socket.ModeMacRawFiltered);
            WriteSocket(0, W5500Socket.InterruptMask, W5500Socket.InterruptReceive); // SEND_OK masked
            WriteCommon(W5500Common.SocketInterruptMask, 0x01);
            if (!OpenSocket())
                return false;
            _present = true;
            _superviseIntervalUs = SuperviseEveryUs;
            SuperviseAgainAfterInterval();
            _linkUp = (ReadCommon(W5500Common.PhyConfiguration) & W5500Common.PhyLinkUp) != 0;
            _failures = 0;
            return true;
        }

        /// <summary>OPEN, Sn_SR == SOCK_MACRAW, and Sn_TX_WR read back (never assume where OPEN put it).</summary>
        private bool OpenSocket()
        {
            if (!Command(W5500Socket.CommandOpen))
                return false;
            if (!WaitSocket(W5500Socket.Status, 0xFF, W5500Socket.StatusMacRaw))
                return false;
            _commandUnconfirmed = false; // the socket is open: OPEN was taken
            _txWrite = ReadSocket16(W5500Socket.TxWritePointer);
            _readPointer = _committed = ReadSocket16(W5500Socket.RxReadPointer);
            _pending = 0;
            return true;
        }

        /// <summary>CLOSE and OPEN: frees a stranded SEND and empties both buffers, without touching the PHY.</summary>
        private void ReopenSocket()
        {
            Counters.SocketReopens++;
            _burstStart = _burstEnd = 0;
            _known = 0;
            _carry = 0;
            _sendOutstanding = false;
            _failures = 0;
            if (!Command(W5500Socket.CommandClose) || !WaitSocket(W5500Socket.Status, 0xFF, W5500Socket.StatusClosed) || !OpenSocket())
                CheckChipNow();
        }

        // ---- supervision ----------------------------------------------------------------------

        private void Supervise()
        {
            long now = _clock.NowMicroseconds;
            if (now < _superviseDueUs)
                return;
            _supervisedAtUs = now;
            SuperviseAgainAfterInterval();
            _gateOnInterrupt = false; // INTn is looked past every 100 ms (fast re-assertion can be missed): one read
            // PHYCFGR (0x2E) through VERSIONR (0x39) in one read.
            Frame(_small, W5500Common.PhyConfiguration, W5500Control.Read(W5500Control.CommonRegisters));
            int span = W5500Common.Version - W5500Common.PhyConfiguration + 1;
            _spi.Transfer(_small, 0, _smallRx, 0, Header + span);
            int phy = _smallRx[Header];
            int version = _smallRx[Header + span - 1];
            if (version != W5500Common.ChipVersion)
            {
                if (_present)
                    Counters.ChipLost++;
                _present = false;
                _linkUp = false;
                _burstStart = _burstEnd = 0;
                _known = 0;
                _carry = 0;
                if (_superviseIntervalUs < SuperviseAbsentMaxUs)
                    _superviseIntervalUs *= 2; // back off while nothing answers
                SuperviseAgainAfterInterval();
                return;
            }
            if (!_present)
            {
                // Answers again: it may have lost power, so start from a reset; keep backing off if that fails.
                if (!Initialize() && _superviseIntervalUs < SuperviseAbsentMaxUs)
                    _superviseIntervalUs *= 2;
                SuperviseAgainAfterInterval();
                return;
            }
            if (ReadSocket(W5500Socket.Status) != W5500Socket.StatusMacRaw)
            {
                Counters.ChipResetsDetected++;
                Initialize();
                return;
            }
            bool link = (phy & W5500Common.PhyLinkUp) != 0;
            bool cameBack = link && !_linkUp;
            _linkUp = link;
            if (cameBack)
            {
                ReopenSocket();
                return;
            }
            if (_sendOutstanding && now - _sentAtUs > StuckSendUs)
                CheckStuckSend(); // looked at here, not per frame: within 100 ms of StuckSendUs
            if (_pending != 0)
            {
                // Frames read since the last commit: their memory back to the chip within 100 ms. Only when no
                // command waits in Sn_CR: Command's wait could end in a chip check, which supervises again.
                if (_commandUnconfirmed)
                    ReadStatus(true);
                if (!_commandUnconfirmed)
                    Commit();
            }
        }

        /// <summary>Something read impossibly (RSR above 16 KB, a command that never clears): check VERSIONR now.</summary>
        private void CheckChipNow()
        {
            if (_initializing)
                return; // Initialize reports its own failure
            _supervisedAtUs = _clock.NowMicroseconds - _superviseIntervalUs;
            SuperviseAgainAfterInterval();
            Supervise();
        }

        private void SuperviseAgainAfterInterval()
        {
            _superviseDueUs = _supervisedAtUs + _superviseIntervalUs;
        }

        // ---- receive --------------------------------------------------------------------------

        public int Receive(byte[] buffer, int offset, int capacity)
        {
            if (_burstStart >= _burstEnd)
            {
                if (_clock.NowMicroseconds >= _superviseDueUs)
                    Supervise();
                if (!_present)
                    return 0;
                if (_known == 0)
                {
                    if (_gateOnInterrupt)
                    {
                        // INTn is active low. The gate is off for one read after each supervision (a look past
                        // INTn: fast re-assertion can be missed) and after an unstable size read; that read skips
                        // this clear (with INTn high the latch is clear already; one set meanwhile stays for the next).
                        if (_interrupt.IsHigh)
                            return 0;
                        _spi.WriteWhole(_clearReceive); // Sn_IR.RECV cleared before reading
                    }
                    else
                        _gateOnInterrupt = _interruptWired; // trusted again after this read
                    if (!ReadReceivedSize())
                        return 0;
                }
                if (!ReadBurst())
                    return 0;
            }
            // The next whole frame of the burst, its length header checked by ReadBurst.
            byte[] rx = _rx;
            int at = _burstStart + 2;
            int length = ((rx[at - 2] << 8) | rx[at - 1]) - 2;
            _burstStart = at + length;
            if (length > capacity)
            {
                Counters.FramesTooLargeForCaller++;
                return 0;
            }
            System.Array.Copy(rx, at, buffer, offset, length);
            Counters.FramesReceived++;
            return length;
        }

        /// <summary>Sn_RX_RSR (in the status read), stable once two readings agree (W5500.md section 3: it can change
        /// during a read): the status read's RSR and its Sn_RX_WR - Sn_RX_RD (the same count, read a few bytes later:
        /// they agree only when neither was torn mid-update), else RSR read again until two reads agree (bounded).
        /// False when nothing new is waiting.</summary>
        private bool ReadReceivedSize()
        {
            int size = ReadStatus(false);
            if (_commandUnconfirmed && _lastCommand != W5500Socket.CommandSend)
            {
                // A RECV not taken yet: this RSR may still count what it frees. Waited for as Command waits (bounded),
                // then read on the next poll.
                if (!WaitSocket(W5500Socket.Command, 0xFF, 0))
                {
                    Counters.CommandTimeouts++;
                    CheckChipNow();
                    return false;
                }
                _commandUnconfirmed = false;
                _gateOnInterrupt = false;
                return false;
            }
            // Sn_RX_RD is ours: only the driver writes it, and the last RECV was taken.
            if (size != ((_statusRxWrite - _committed) & 0xFFFF))
            {
                byte[] againRx = _sizeAgainRx;
                int reads = 1;
                while (true)
                {
                    _spi.TransferWhole(_sizeAgain, againRx);
                    int again = (againRx[Header] << 8) | againRx[Header + 1];
                    if (again == size)
                        break;
                    if (++reads >= SizeReads)
                    {
                        Counters.UnstableSizeReads++;
                        _gateOnInterrupt = false; // frames are streaming in: read on the next poll
                        return false;
                    }
                    size = again;
                }
            }
            int pending = _pending;
            if (size == pending)
                return false;
            if (size > RxMemory || size < pending)
            {
                CheckChipNow(); // no W5500 counts more than its memory, or less than we read: a dead bus, or a chip gone
                if (_present)
                    Drain();
                return false;
            }
            _known = size - pending;
            return true;
        }

        /// <summary>Reads up to one burst of what RSR counted; commits once 4 KB were read since the last RECV. False
        /// when no whole frame came out of it. A frame cut by the end of a burst is kept (moved to the front of the
        /// buffer) and only its rest is read by the next burst, so no byte crosses the bus twice.</summary>
        private bool ReadBurst()
        {
            byte[] rx = _rx;
            int carry = _carry;
            int known = _known;
            int readPointer = _readPointer;
            if (carry > 0)
            {
                System.Array.Copy(rx, _burstEnd, rx, Header, carry);
                // The transfer lands at rx[carry..]: its 3 dummy header bytes would overwrite the kept bytes there.
                rx[0] = rx[carry]; rx[1] = rx[carry + 1]; rx[2] = rx[carry + 2];
            }
            int burst = known - carry;
            int room = _burstRoom - carry;
            if (burst > room)
                burst = room;
            byte[] tx = _tx;
            int from = readPointer + carry; // the chip wraps the address itself; the casts keep its 16 bits
            tx[0] = (byte)(from >> 8);
            tx[1] = (byte)from;
            tx[2] = ReadSocket0RxBuffer;
            _spi.Transfer(tx, 0, rx, carry, Header + burst);
            if (carry > 0)
            {
                rx[carry] = rx[0]; rx[carry + 1] = rx[1]; rx[carry + 2] = rx[2];
            }

            // Whole frames in [Header, end): [2-byte length including itself][frame].
            int p = Header;
            int end = Header + carry + burst;
            while (p + 2 <= end)
            {
                int stored = (rx[p] << 8) | rx[p + 1];
                if (p + stored <= end && stored >= MinFrame + 2 && stored <= MaxFrame + 2)
                {
                    p += stored; // whole in this burst, so also within what RSR counted
                    continue;
                }
                if (stored < MinFrame + 2 || stored > MaxFrame + 2 || p - Header + stored > known) // past what RSR counted
                {
                    Counters.CorruptHeaders++;
                    if (p == Header)
                    {
                        _carry = 0;
                        Drain(); // the first header is impossible: nothing here can be trusted
                        return false;
                    }
                    end = p; // keep the good frames before it; the next burst starts at the bad header
                    break;
                }
                break; // continues past this burst: its rest comes with the next one
            }
            int consumed = p - Header;
            _burstStart = Header;
            _burstEnd = p;
            _carry = end - p;
            _known = known - consumed;
            if (consumed == 0)
            {
                _known = 0;
                _carry = 0;
                Commit();
                return false;
            }
            _readPointer = (readPointer + consumed) & 0xFFFF;
            int pending = _pending + consumed;
            _pending = pending;
            if (pending >= CommitBytes)
            {
                Commit();
                return _burstStart < _burstEnd; // a RECV that timed out checks the chip, which may drop the burst
            }
            return true;
        }

        /// <summary>Sn_RX_RD, then RECV (W5500.md section 4, receive steps 5 and 6) for every whole frame read since
        /// the last commit: RECV only frees memory, and several frames may be read before one.</summary>
        private void Commit()
        {
            int readPointer = _readPointer;
            _rxReadWrite[Header] = (byte)(readPointer >> 8);
            _rxReadWrite[Header + 1] = (byte)readPointer;
            _spi.WriteWhole(_rxReadWrite);
            if (Command(W5500Socket.CommandReceive))
            {
                _committed = readPointer;
                _pending = 0;
            }
        }

        /// <summary>Throws away everything the chip holds: Sn_RX_RD = Sn_RX_WR, RECV (esp-eth-drivers).</summary>
        private void Drain()
        {
            Counters.Drains++;
            _known = 0;
            _carry = 0;
            ushort write = ReadSocket16(W5500Socket.RxWritePointer);
            WriteSocket16(W5500Socket.RxReadPointer, write);
            _readPointer = _committed = write;
            _pending = 0;
            Command(W5500Socket.CommandReceive);
            if (++_failures >= FailuresBeforeReopen)
                ReopenSocket();
        }

        // ---- transmit -------------------------------------------------------------------------

        public bool Transmit(byte[] buffer, int offset, int length)
        {
            if (length > MaxFrame)
            {
                Counters.FramesTooLargeToSend++;
                return false;
            }
            long now = _clock.NowMicroseconds;
            if (now >= _superviseDueUs)
                Supervise();
            if (!_present)
            {
                Counters.SendsWhileChipAbsent++;
                return false;
            }
            if (!_linkUp)
            {
                if (now - _supervisedAtUs >= LinkDownRecheckUs)
                    CheckChipNow(); // while down, a frame to send looks again after 10 ms: the first one out is not late
                if (!_linkUp)
                {
                    Counters.SendsWhileLinkDown++; // a SEND now would never finish (esp-idf #6233)
                    return false;
                }
            }
            int padded = length < MinFrame ? MinFrame : length;
            // Behind the frame on the wire (16 KB of TX memory holds both): its SPI time overlaps that SEND.
            byte[] tx = _tx;
            int txWrite = _txWrite;
            tx[0] = (byte)(txWrite >> 8);
            tx[1] = (byte)txWrite;
            tx[2] = WriteSocket0TxBuffer;
            System.Array.Copy(buffer, offset, tx, Header, length);
            if (padded > length)
                System.Array.Clear(tx, Header + length, padded - length); // no FCS: the chip appends it
            _spi.Write(tx, 0, Header + padded);
            if (_sendOutstanding)
            {
                ReadStatus(false); // the previous SEND is done once Sn_TX_RD reaches our Sn_TX_WR
                if (_sendOutstanding && !PreviousSendDone())
                    return false;
            }
            txWrite += padded;
            _txWrite = (ushort)txWrite;
            byte[] pointer = _txWriteWrite;
            pointer[Header] = (byte)(txWrite >> 8);
            pointer[Header + 1] = (byte)txWrite;
            _spi.WriteWhole(pointer);
            if (_commandUnconfirmed)
            {
                if (!Command(W5500Socket.CommandSend))
                    return false;
            }
            else
            {
                _spi.WriteWhole(_sendCommand); // Command's work, without its wait: nothing is unconfirmed
                _commandUnconfirmed = true;
                _lastCommand = W5500Socket.CommandSend;
            }
            _sendOutstanding = true;
            _sentAtUs = _clock.NowMicroseconds;
            Counters.FramesSent++;
            return true;
        }

        /// <summary>After a status read that found the previous SEND still going: waits until Sn_TX_RD reaches our
        /// Sn_TX_WR, at most until the SEND timeout after that SEND; false (this frame is dropped) when it has not, or
        /// when the link went down meanwhile.</summary>
        private bool PreviousSendDone()
        {
            long deadline = _sentAtUs + _sendTimeoutUs;
            while (true)
            {
                if ((ReadCommon(W5500Common.PhyConfiguration) & W5500Common.PhyLinkUp) == 0)
                {
                    _linkUp = false; // SEND_OK never comes after a cable unplug; the link's return reopens
                    Counters.SendsWhileLinkDown++;
                    return false;
                }
                if (_clock.NowMicroseconds >= deadline)
                {
                    // Still on the wire (collisions on half duplex) or stuck: drop this frame, never reset.
                    Counters.SendTimeouts++;
                    return false;
                }
                _clock.Delay(20); // a full frame takes 120 us at 100 Mbit/s, 1.2 ms at 10
                ReadStatus(false);
                if (!_sendOutstanding)
                    return true;
            }
        }

        /// <summary>A SEND older than StuckSendUs: finished after all, stranded by a link loss, or stuck.</summary>
        private void CheckStuckSend()
        {
            if (ReadSocket16(W5500Socket.TxReadPointer) == _txWrite)
                _sendOutstanding = false;
            else if (_linkUp)
                ReopenSocket(); // stuck with the link up: only CLOSE frees it
        }

        // ---- SPI frames ---------------------------------------------------------------------------

        private static void Frame(byte[] frame, int address, byte control)
        {
            frame[0] = (byte)(address >> 8);
            frame[1] = (byte)address;
            frame[2] = control;
        }

        /// <summary>Sn_TX_RD through Sn_RX_WR in one read (returns RSR), from Sn_CR on when wide or when a command other than
        /// a SEND is unconfirmed: a SEND is done (and was taken) once Sn_TX_RD reaches our Sn_TX_WR; any command
        /// was taken once Sn_CR reads 0 again.</summary>
        private int ReadStatus(bool wide)
        {
            if (wide || (_commandUnconfirmed && _lastCommand != W5500Socket.CommandSend))
                return ReadStatusWide();
            // The narrow read, its offsets constant (it runs for nearly every frame).
            byte[] status = _statusNarrowRx;
            _spi.TransferWhole(_statusNarrow, status);
            if (_sendOutstanding && ((status[Header] << 8) | status[Header + 1]) == _txWrite)
            {
                _sendOutstanding = false; // SendTaken's work, written out here
                if (_lastCommand == W5500Socket.CommandSend)
                    _commandUnconfirmed = false;
            }
            _statusRxWrite = (status[Header + StatusRxWriteAfterTxRead] << 8) | status[Header + StatusRxWriteAfterTxRead + 1];
            return (status[Header + StatusSizeAfterTxRead] << 8) | status[Header + StatusSizeAfterTxRead + 1];
        }

        /// <summary>The status read from Sn_CR on: any command was taken once Sn_CR reads 0 again.</summary>
        private int ReadStatusWide()
        {
            byte[] status = _statusWideRx;
            _spi.TransferWhole(_statusWide, status);
            if (status[StatusCommandAt] == 0)
                _commandUnconfirmed = false;
            const int TxRead = StatusTxReadAt;
            if (_sendOutstanding && ((status[TxRead] << 8) | status[TxRead + 1]) == _txWrite)
                SendTaken();
            _statusRxWrite = (status[TxRead + StatusRxWriteAfterTxRead] << 8) | status[TxRead + StatusRxWriteAfterTxRead + 1];
            return (status[TxRead + StatusSizeAfterTxRead] << 8) | status[TxRead + StatusSizeAfterTxRead + 1];
        }

        /// <summary>Sn_TX_RD reached our Sn_TX_WR: the frame of the last SEND is out.</summary>
        private void SendTaken()
        {
            _sendOutstanding = false;
            if (_lastCommand == W5500Socket.CommandSend)
                _commandUnconfirmed = false; // TX_RD moved: SEND, the last command, was taken
        }

        private bool Command(int command)
        {
            // The previous command must have been taken (Sn_CR back to 0) before the next one is written: one
            // status read usually shows it, else Sn_CR is polled until the command timeout.
            if (_commandUnconfirmed)
            {
                ReadStatus(true);
                if (_commandUnconfirmed && !WaitSocket(W5500Socket.Command, 0xFF, 0))
                {
                    Counters.CommandTimeouts++;
                    CheckChipNow();
                    return false;
                }
                _commandUnconfirmed = false;
            }
            _command[Header] = (byte)command;
            _spi.WriteWhole(_command);
            _commandUnconfirmed = true;
            _lastCommand = command;
            return true;
        }

        private static byte[] Held(int address, byte control, int dataBytes)
        {
            byte[] frame = new byte[Header + dataBytes];
            Frame(frame, address, control);
            return frame;
        }

        private int ReadCommon(int address)
        {
            Frame(_small, address, W5500Control.Read(W5500Control.CommonRegisters));
            _spi.Transfer(_small, 0, _smallRx, 0, Header + 1);
            return _smallRx[Header];
        }

        private void WriteCommon(int address, int value)
        {
            Frame(_small, address, W5500Control.WriteTo(W5500Control.CommonRegisters));
            _small[Header] = (byte)value;
            _spi.Write(_small, 0, Header + 1);
        }

        private void ReadSocketInto(int address, int count)
        {
            Frame(_small, address, ReadSocket0Registers);
            _spi.Transfer(_small, 0, _smallRx, 0, Header + count);
        }

        private int ReadSocket(int address)
        {
            ReadSocketInto(address, 1);
            return _smallRx[Header];
        }

        private ushort ReadSocket16(int address)
        {
            ReadSocketInto(address, 2);
            return (ushort)((_smallRx[Header] << 8) | _smallRx[Header + 1]);
        }

        private void WriteSocket(int socket, int address, int value)
        {
            Frame(_small, address, socket == 0 ? WriteSocket0Registers : W5500Control.WriteTo(W5500Control.SocketRegisters(socket)));
            _small[Header] = (byte)value;
            _spi.Write(_small, 0, Header + 1);
        }

        private void WriteSocket16(int address, int value)
        {
            Frame(_small, address, WriteSocket0Registers);
            _small[Header] = (byte)(value >> 8);
            _small[Header + 1] = (byte)value;
            _spi.Write(_small, 0, Header + 2);
        }

        /// <summary>Polls a common register until (value &amp; mask) == expected; with whileZero, only a 0 is
        /// waited out and any other wrong value fails at once (a chip that is not there does not get better).</summary>
        private bool WaitCommon(int address, int mask, int expected, bool whileZero)
        {
            long deadline = _clock.NowMicroseconds + CommandTimeoutUs;
            int value;
            while ((value = ReadCommon(address) & mask) != expected)
            {
                if ((whileZero && value != 0) || _clock.NowMicroseconds >= deadline)
                    return false;
                _clock.Delay(100);
            }
            return true;
        }

        private bool WaitSocket(int address, int mask, int value)
        {
            long deadline = _clock.NowMicroseconds + CommandTimeoutUs;
            while ((ReadSocket(address) & mask) != value)
            {
                if (_clock.NowMicroseconds >= deadline)
                    return false;
                _clock.Delay(10);
            }
            return true;
        }
    }
}
