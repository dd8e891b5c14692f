// WIZnet W5500 in MACRAW mode as an INetworkDevice (W5500.md section 4): socket 0 moves raw Ethernet
// frames; the stack above does everything else. One ISpiBus call is one chip-select window, so every
// SPI frame (address, control byte, data) is built whole in a buffer allocated once.
//
// Receive: one read of Sn_RX_RSR and Sn_RX_RD (adjacent), read again until RSR is stable when it is not
// zero; one burst for everything waiting (up to the burst buffer); frames parsed in memory, each length
// header checked against 60..1514 and RSR; Sn_RX_RD advanced past whole frames and one RECV for all.
// A corrupt header drains the buffer (Sn_RX_RD = Sn_RX_WR, RECV).
// Transmit: one SEND at a time. Before writing a frame, the previous one must be gone (Sn_TX_RD ==
// our Sn_TX_WR), which also makes reading Sn_TX_FSR unnecessary; then the frame, Sn_TX_WR, SEND.
// SEND_OK is masked and never waited for; a SEND that does not finish times out, and gives up at once
// when PHYCFGR says the link is down (esp-idf #6233). Repeated failures reset and reopen the chip.
using NanoTcp.Link;

namespace NanoTcp.Boards.W5500
{
    public sealed class W5500Device : INetworkDevice
    {
        private const int Header = 3;
        private const int MaxFrame = 1514;
        private const int MinFrame = 60;
        private const int BufferSize = 16384;
        private const int CommandTimeoutUs = 100000;
        private const int FailuresBeforeRecovery = 3;

        private readonly ISpiBus _spi;
        private readonly IOutputPin _reset;
        private readonly IInputPin _interrupt;
        private readonly IBoardClock _clock;
        private readonly byte[] _mac = new byte[6];
        private readonly byte[] _tx;
        private readonly byte[] _rx;
        private readonly byte[] _small = new byte[Header + 16];
        private readonly byte[] _smallRx = new byte[Header + 16];
        private readonly int _sendTimeoutUs;

        private ushort _txWrite;         // Sn_TX_WR as we last wrote it
        private bool _sendOutstanding;
        private long _sentAtUs;
        private int _burstStart;         // frames waiting in _rx, already committed to the chip
        private int _burstEnd;
        private long _lastInterruptCheckUs;
        private long _linkCheckedAtUs = long.MinValue / 2;
        private bool _linkUp;
        private int _failures;
        private bool _reopenOnLinkUp;   // a SEND was stranded by a link loss: reopen once the link is back

        public readonly W5500Counters Counters = new W5500Counters();

        /// <summary>reset and interrupt may be null (boards such as the M5Stack Atom PoE wire neither).
        /// burstBytes bounds one receive burst (2 + 1514 per full frame; 4096 takes two full frames).</summary>
        public W5500Device(ISpiBus spi, IOutputPin reset, IInputPin interrupt, IBoardClock clock, byte[] mac, int burstBytes, int sendTimeoutUs)
        {
            _spi = spi;
            _reset = reset;
            _interrupt = interrupt;
            _clock = clock;
            System.Array.Copy(mac, 0, _mac, 0, 6);
            if (burstBytes < 2 + MaxFrame) burstBytes = 2 + MaxFrame;
            _tx = new byte[Header + burstBytes];
            _rx = new byte[Header + burstBytes];
            _sendTimeoutUs = sendTimeoutUs;
        }

        public int Mtu { get { return 1500; } }

        public void CopyMacAddress(byte[] destination, int offset)
        {
            System.Array.Copy(_mac, 0, destination, offset, 6);
        }

        /// <summary>PHYCFGR.LNK, read at most every 100 ms.</summary>
        public bool IsLinkUp
        {
            get
            {
                long now = _clock.NowMicroseconds;
                if (now - _linkCheckedAtUs >= 100000)
                {
                    _linkUp = (ReadCommon(W5500Common.PhyConfiguration) & W5500Common.PhyLinkUp) != 0;
                    _linkCheckedAtUs = now;
                }
                return _linkUp;
            }
        }

        /// <summary>Resets the chip and opens socket 0 in MACRAW (W5500.md section 4, steps 1-9). False when
        /// the chip does not answer as a W5500 or the socket does not reach SOCK_MACRAW.</summary>
        public bool Initialize()
        {
            _burstStart = _burstEnd = 0;
            _sendOutstanding = false;
            if (_reset != null)
            {
                _reset.Write(false);
                _clock.Delay(500);   // RSTn low at least 500 us
                _reset.Write(true);
                _clock.Delay(1000);  // PLL lock
            }
            WriteCommon(W5500Common.Mode, W5500Common.ModeReset);
            if (!WaitCommon(W5500Common.Mode, W5500Common.ModeReset, 0))
                return false;
            if (!WaitCommon(W5500Common.Version, 0xFF, W5500Common.ChipVersion)) // some units read 0 at first
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
            if (!Command(W5500Socket.CommandOpen))
                return false;
            if (!WaitSocket(W5500Socket.Status, 0xFF, W5500Socket.StatusMacRaw))
                return false;
            _txWrite = ReadSocket16(W5500Socket.TxWritePointer); // never assume where OPEN put it
            _failures = 0;
            return true;
        }

        public int Receive(byte[] buffer, int offset, int capacity)
        {
            if (_burstStart < _burstEnd)
                return NextFrame(buffer, offset, capacity);
            if (_sendOutstanding && _clock.NowMicroseconds - _sentAtUs > _sendTimeoutUs)
                CheckStuckSend(); // found here, the next Transmit need not wait and drop
            if (_interrupt != null)
            {
                // INTn is active low; still look every 100 ms, since fast re-assertion can be missed.
                long now = _clock.NowMicroseconds;
                if (_interrupt.IsHigh && now - _lastInterruptCheckUs < 100000)
                    return 0;
                _lastInterruptCheckUs = now;
                WriteSocket(0, W5500Socket.Interrupt, W5500Socket.InterruptReceive); // clear before reading
            }
            if (!ReadBurst())
                return 0;
            return _burstStart < _burstEnd ? NextFrame(buffer, offset, capacity) : 0;
        }

        /// <summary>Reads what is waiting into _rx and commits it; false when nothing was waiting.</summary>
        private bool ReadBurst()
        {
            // Sn_RX_RSR and Sn_RX_RD in one read; again until RSR is stable (it may change mid-read).
            ReadSocketInto(W5500Socket.RxReceivedSize, 4);
            int size = (_smallRx[Header] << 8) | _smallRx[Header + 1];
            if (size == 0)
                return false;
            int pointer;
            while (true)
            {
                pointer = (_smallRx[Header + 2] << 8) | _smallRx[Header + 3];
                ReadSocketInto(W5500Socket.RxReceivedSize, 4);
                int again = (_smallRx[Header] << 8) | _smallRx[Header + 1];
                if (again == size)
                    break;
                size = again;
            }
            if (size > BufferSize)
            {
                Drain();
                return false;
            }
            int burst = size < _rx.Length - Header ? size : _rx.Length - Header;
            Frame(_tx, pointer, W5500Control.Read(W5500Control.SocketRxBuffer(0)));
            _spi.Transfer(_tx, 0, _rx, 0, Header + burst); // the chip wraps the address itself
            Counters.Bursts++;

            // Whole frames in this burst: [2-byte length including itself][frame].
            int p = Header;
            int end = Header + burst;
            while (p + 2 <= end)
            {
                int length = ((_rx[p] << 8) | _rx[p + 1]) - 2;
                if (length < MinFrame || length > MaxFrame || p - Header + 2 + length > size)
                {
                    Counters.CorruptHeaders++;
                    if (p == Header)
                    {
                        Drain(); // the first header is impossible: nothing here can be trusted
                        return false;
                    }
                    break; // keep the good frames before it; the next burst starts at the bad header
                }
                if (p + 2 + length > end)
                    break; // continues past this burst: read it next time
                p += 2 + length;
            }
            _burstStart = Header;
            _burstEnd = p;
            int consumed = p - Header;
            if (consumed > 0)
            {
                WriteSocket16(W5500Socket.RxReadPointer, (pointer + consumed) & 0xFFFF);
                Command(W5500Socket.CommandReceive);
            }
            return consumed > 0;
        }

        private int NextFrame(byte[] buffer, int offset, int capacity)
        {
            int length = ((_rx[_burstStart] << 8) | _rx[_burstStart + 1]) - 2;
            int at = _burstStart + 2;
            _burstStart = at + length;
            if (length > capacity)
            {
                Counters.FramesTooLargeForCaller++;
                return 0;
            }
            System.Array.Copy(_rx, at, buffer, offset, length);
            Counters.FramesReceived++;
            return length;
        }

        /// <summary>Throws away everything the chip holds: Sn_RX_RD = Sn_RX_WR, RECV (esp-eth-drivers).</summary>
        private void Drain()
        {
            Counters.Drains++;
            ushort write = ReadSocket16(W5500Socket.RxWritePointer);
            WriteSocket16(W5500Socket.RxReadPointer, write);
            Command(W5500Socket.CommandReceive);
            Failed();
        }

        public bool Transmit(byte[] buffer, int offset, int length)
        {
            if (length > MaxFrame)
            {
                Counters.FramesTooLargeToSend++;
                return false;
            }
            if (_reopenOnLinkUp)
            {
                if (!IsLinkUp)
                {
                    Counters.SendsWhileLinkDown++;
                    return false;
                }
                _reopenOnLinkUp = false;
                Recover();
            }
            if (_sendOutstanding && !PreviousSendDone())
                return false;
            int padded = length < MinFrame ? MinFrame : length;
            Frame(_tx, _txWrite, W5500Control.WriteTo(W5500Control.SocketTxBuffer(0)));
            System.Array.Copy(buffer, offset, _tx, Header, length);
            if (padded > length)
                System.Array.Clear(_tx, Header + length, padded - length); // no FCS: the chip appends it
            _spi.Write(_tx, 0, Header + padded);
            _txWrite = (ushort)(_txWrite + padded);
            WriteSocket16(W5500Socket.TxWritePointer, _txWrite);
            WriteSocket(0, W5500Socket.Command, W5500Socket.CommandSend);
            _sendOutstanding = true;
            _sentAtUs = _clock.NowMicroseconds;
            Counters.FramesSent++;
            return true;
        }

        /// <summary>Waits (bounded) until Sn_TX_RD reaches our Sn_TX_WR; gives up when the link is down.</summary>
        private bool PreviousSendDone()
        {
            long deadline = _clock.NowMicroseconds + _sendTimeoutUs;
            while (true)
            {
                if (ReadSocket16(W5500Socket.TxReadPointer) == _txWrite)
                {
                    _sendOutstanding = false;
                    _failures = 0;
                    return true;
                }
                if (!IsLinkUp)
                {
                    Counters.SendsWhileLinkDown++;
                    _reopenOnLinkUp = true; // SEND_OK never comes after a cable unplug (esp-idf #6233)
                    return false;
                }
                if (_clock.NowMicroseconds >= deadline)
                {
                    // With the link up, a SEND that never finishes stays stuck: only reopening frees it.
                    Counters.SendTimeouts++;
                    Recover();
                    return false;
                }
                _clock.Delay(20); // a full frame takes 120 us at 100 Mbit/s, 1.2 ms at 10
            }
        }

        /// <summary>A SEND older than the timeout: finished after all, stranded by a link loss, or stuck.</summary>
        private void CheckStuckSend()
        {
            if (ReadSocket16(W5500Socket.TxReadPointer) == _txWrite)
            {
                _sendOutstanding = false;
            }
            else if (!IsLinkUp)
            {
                _reopenOnLinkUp = true;
            }
            else
            {
                Counters.SendTimeouts++;
                Recover();
            }
        }

        private void Failed()
        {
            if (++_failures >= FailuresBeforeRecovery)
                Recover();
        }

        private void Recover()
        {
            Counters.Recoveries++;
            Initialize();
        }

        // ---- SPI frames ---------------------------------------------------------------------------

        private static void Frame(byte[] frame, int address, byte control)
        {
            frame[0] = (byte)(address >> 8);
            frame[1] = (byte)address;
            frame[2] = control;
        }

        private bool Command(int command)
        {
            // The previous command must have been taken (Sn_CR back to 0) before the next one.
            if (!WaitSocket(W5500Socket.Command, 0xFF, 0))
                return false;
            WriteSocket(0, W5500Socket.Command, command);
            return true;
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
            Frame(_small, address, W5500Control.Read(W5500Control.SocketRegisters(0)));
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
            Frame(_small, address, W5500Control.WriteTo(W5500Control.SocketRegisters(socket)));
            _small[Header] = (byte)value;
            _spi.Write(_small, 0, Header + 1);
        }

        private void WriteSocket16(int address, int value)
        {
            Frame(_small, address, W5500Control.WriteTo(W5500Control.SocketRegisters(0)));
            _small[Header] = (byte)(value >> 8);
            _small[Header + 1] = (byte)value;
            _spi.Write(_small, 0, Header + 2);
        }

        private bool WaitCommon(int address, int mask, int value)
        {
            long deadline = _clock.NowMicroseconds + CommandTimeoutUs;
            while ((ReadCommon(address) & mask) != value)
            {
                if (_clock.NowMicroseconds >= deadline)
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
