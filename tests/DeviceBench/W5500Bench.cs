// The W5500 paths of the device cost benchmark: a default stack on the W5500 driver (DevKitC wiring and SPI
// clock) over the portable chip model, the chip's cable to a peer stack; Total bytes one way, lock-step turns.
// Both stacks run their poll loop's own code (QuietPoll.Run), each application reading in its services turn, as
// TransferBench's reader does: so the peer's ACKs follow the same rules on both benches.
// Only the device's turns are measured (its poll loop's turn: Poll and the application read; or the write). Inside them every SPI
// transaction runs the chip model's own code: the SPI bus is wrapped so each transaction is bracketed by
// counter points ("dev" before, "chip" after), and run-cost-benchmark.sh subtracts the chip's share. A turn
// ends with "turn-busy" (frames or bytes moved) or "turn-idle" (a poll with nothing to do: virtual time steps
// 1 ms at a time here, so idle polls depend on time, not on data, and are reported apart).
using System;
using NanoTcp.Boards;
using NanoTcp.Boards.Simulation;
using NanoTcp.Boards.W5500;
using NanoTcp.Firmware.Services;
using NanoTcp.Scenarios;
using NanoTcp.Tcp;
using NanoTcp.Wire;

namespace NanoTcp.DeviceBench
{
    public sealed class W5500Bench
    {
        private const uint DeviceAddress = 0x0A000002, PeerAddress = 0x0A000001;
        private readonly SimulatedClock _clock = new SimulatedClock();
        private readonly W5500ChipModel _chip;
        private readonly CountingSpiBus _spi;
        private readonly NetworkStack _device, _peer;
        private readonly byte[] _data = new byte[1460];
        private readonly byte[] _read = new byte[2048];
        private TcpConnection _deviceSide, _peerSide;
        private readonly AfterPoll _readAll;
        private NetworkStack _readingStack;
        private TcpConnection _reading;
        private int _got;

        public W5500Bench()
        {
            _readAll = ReadAll;
            W5500BoardSettings board = W5500BoardSettings.DevKitC;
            var cable = new SimulatedCable(_clock, "02:00:00:00:55:02", "02:00:00:00:00:01", 100);
            _chip = new W5500ChipModel(cable.A, _clock, 7);
            _chip.SpiClockHz = board.SpiClockHz;
            _spi = new CountingSpiBus(_chip);
            byte[] mac = new byte[6];
            MacAddress.TryParse("02:00:00:00:55:02", mac, 0);
            var driver = new W5500Device(_spi, board.ResetWired ? _chip.ResetPin : null, board.InterruptWired ? new CountingInputPin(_chip.InterruptPin, _spi) : null,
                                         _clock, mac, board.BurstBytes, board.SendTimeoutUs);
            if (!driver.Initialize())
                throw new InvalidOperationException("the driver did not bring the chip up");
            _device = new NetworkStack(driver, new StackConfig(), new SeededRandom(5));
            _peer = new NetworkStack(cable.B, new StackConfig(), new SeededRandom(6));
            _device.Configure(DeviceAddress, 0xFFFFFF00, 0, 0);
            _peer.Configure(PeerAddress, 0xFFFFFF00, 0, 0);
            for (int i = 0; i < _data.Length; i++) _data[i] = (byte)(i * 7 + 3);
            for (int ms = 0; ms < _chip.AutoNegotiationUs / 1000 + 500 && !driver.IsLinkUp; ms++)
                Step(false, null, null);
            TcpListener listener = _device.Tcp.Listen(TransferBench.Port, 1);
            _peerSide = _peer.Tcp.Connect(PeerAddress, DeviceAddress, TransferBench.Port, 0);
            for (int ms = 0; ms < 2000 && (_deviceSide == null || !_peerSide.IsConnected); ms++)
            {
                Step(false, null, null);
                if (_deviceSide == null) _deviceSide = _device.Tcp.Accept(listener);
            }
            if (_deviceSide == null || !_peerSide.IsConnected)
                throw new InvalidOperationException("handshake over the W5500 did not complete");
        }

        public int Segments;

        /// <summary>The writer writes 1460 bytes only when all it sent was acknowledged: full segments only (as
        /// TransferBench.FullSegments).</summary>
        public bool FullSegments;

        /// <summary>Total bytes peer -> device (receive path) or device -> peer (send path); returns bytes read.</summary>
        public int Run(bool deviceReceives, bool marks)
        {
            int sent = 0, received = 0;
            int segmentsBefore = (deviceReceives ? _device : _peer).Tcp.Counters.SegmentsReceived;
            for (int ms = 0; received < TransferBench.Total && ms < 200000; ms++)
            {
                NetworkStack writer = deviceReceives ? _peer : _device;
                TcpConnection wc = deviceReceives ? _peerSide : _deviceSide;
                TcpConnection rc = deviceReceives ? _deviceSide : _peerSide;
                bool markWriter = marks && !deviceReceives;
                if (markWriter) Begin();
                _spi.Marking = markWriter; // an application write can send at once, through the driver
                int wrote = 0;
                if (sent < TransferBench.Total && (!FullSegments || wc.BytesUnacknowledged == 0))
                {
                    wrote = writer.Tcp.Send(wc, _data, 0, TransferBench.Total - sent < _data.Length ? TransferBench.Total - sent : _data.Length);
                    if (wrote > 0) sent += wrote;
                }
                _spi.Marking = false;
                if (markWriter) End(wrote > 0);
                received += Step(marks, deviceReceives ? rc : null, deviceReceives ? null : rc);
            }
            Segments = (deviceReceives ? _device : _peer).Tcp.Counters.SegmentsReceived - segmentsBefore;
            return received;
        }

        /// <summary>One simulated millisecond: the device's turn (measured when marks), chip, the peer's turn (its
        /// loop's QuietPoll.Run, reading <paramref name="peerRead"/> when given), chip. The
        /// device's turn is its poll loop's own code (QuietPoll.Run, as the device's StackRunner calls it): Poll,
        /// then the application's read of <paramref name="read"/> when given, with output held so that the ACK and
        /// the opened window leave in one segment, through the driver, again while frames moved. Returns the bytes
        /// the device read.</summary>
        private int Step(bool marks, TcpConnection read, TcpConnection peerRead)
        {
            long start = _clock.NowMicroseconds;
            int framesIn = _device.Statistics.FramesReceived, segmentsOut = _device.Tcp.Counters.SegmentsSent;
            _readingStack = _device;
            _reading = read;
            _got = 0;
            if (marks) Begin();
            _spi.Marking = marks;
            QuietPoll.Run(_device, _readAll, _clock.NowMilliseconds);
            _spi.Marking = false;
            if (marks) End(_got > 0 || _device.Statistics.FramesReceived != framesIn || _device.Tcp.Counters.SegmentsSent != segmentsOut);
            _clock.AdvanceTo(start + 500);
            _chip.Update();
            _readingStack = _peer;
            _reading = peerRead;
            QuietPoll.Run(_peer, _readAll, _clock.NowMilliseconds);
            _clock.AdvanceTo((start / 1000 + 1) * 1000);
            _chip.Update();
            return _got;
        }

        /// <summary>The application of the stack being polled (the device's, or the peer's as TransferBench's
        /// reader), in its poll loop's services turn: reads what arrived on _reading, when there is one.</summary>
        private void ReadAll()
        {
            if (_reading == null)
                return;
            int r;
            while ((r = _readingStack.Tcp.Receive(_reading, _read, 0, _read.Length)) > 0)
                _got += r;
        }

        private static void Begin() { Console.WriteLine("[[il-mark]]"); }
        /// <summary>Closes a measured turn: "turn busy" when frames or bytes moved, "turn idle" when it only polled.</summary>
        private static void End(bool busy) { Console.WriteLine(busy ? "turn-busy [[il-delta]]" : "turn-idle [[il-delta]]"); }
    }

    /// <summary>The chip model's INTn: reading it runs the model (it updates itself first), so it is bracketed too.</summary>
    public sealed class CountingInputPin : IInputPin
    {
        private readonly IInputPin _pin;
        private readonly CountingSpiBus _bus;

        public CountingInputPin(IInputPin pin, CountingSpiBus bus) { _pin = pin; _bus = bus; }

        public bool IsHigh
        {
            get
            {
                if (_bus.Marking) Console.WriteLine("dev [[il-delta]][[il-mark]]");
                bool high = _pin.IsHigh;
                if (_bus.Marking) Console.WriteLine("chip [[il-delta]][[il-mark]]");
                return high;
            }
        }
    }

    /// <summary>The chip model's SPI entry, with counter points around each transaction while Marking. Before
    /// each transaction it builds the SpanBytes that boards/Esp32/Esp32SpiBus.cs hands to SpiDevice (SpanByte's
    /// constructor is managed code in mscorlib: the range one with its bounds checks, or the whole-array one) and
    /// runs SpiDeviceEntry, SpiDevice's managed code up to its native call, so the device's count includes what the
    /// board's real SPI bus costs.</summary>
    public sealed class CountingSpiBus : ISpiBus
    {
        private readonly ISpiBus _chip;
        private readonly SpiDeviceEntry _device = new SpiDeviceEntry();
        public bool Marking;

        public CountingSpiBus(ISpiBus chip) { _chip = chip; }

        public void Transfer(byte[] tx, int txOffset, byte[] rx, int rxOffset, int length)
        {
            _device.TransferFullDuplex(new SpanByte(tx, txOffset, length), new SpanByte(rx, rxOffset, length));
            if (Marking) Console.WriteLine("dev [[il-delta]][[il-mark]]");
            _chip.Transfer(tx, txOffset, rx, rxOffset, length);
            if (Marking) Console.WriteLine("chip [[il-delta]][[il-mark]]");
        }

        public void Write(byte[] tx, int offset, int length)
        {
            _device.TransferFullDuplex(new SpanByte(tx, offset, length), default(SpanByte));
            if (Marking) Console.WriteLine("dev [[il-delta]][[il-mark]]");
            _chip.Write(tx, offset, length);
            if (Marking) Console.WriteLine("chip [[il-delta]][[il-mark]]");
        }

        public void TransferWhole(byte[] tx, byte[] rx)
        {
            _device.TransferFullDuplex(new SpanByte(tx), new SpanByte(rx));
            if (Marking) Console.WriteLine("dev [[il-delta]][[il-mark]]");
            _chip.TransferWhole(tx, rx);
            if (Marking) Console.WriteLine("chip [[il-delta]][[il-mark]]");
        }

        public void WriteWhole(byte[] tx)
        {
            _device.TransferFullDuplex(new SpanByte(tx), default(SpanByte));
            if (Marking) Console.WriteLine("dev [[il-delta]][[il-mark]]");
            _chip.WriteWhole(tx);
            if (Marking) Console.WriteLine("chip [[il-delta]][[il-mark]]");
        }
    }

    /// <summary>What System.Device.Spi's SpiDevice (nanoframework/System.Device.Spi, SpiDevice.cs) runs in managed code
    /// before its native transfer, so the bench counts it: TransferFullDuplex checks the bus configuration (Esp32SpiBus
    /// writes through it too, with an empty read span). The spans are then dropped.</summary>
    public sealed class SpiDeviceEntry
    {
        private const int FullDuplex = 1; // SpiBusConfiguration.FullDuplex
        private readonly Settings _connectionSettings = new Settings();

        public void TransferFullDuplex(SpanByte writeBuffer, SpanByte readBuffer)
        {
            if (_connectionSettings.Configuration != FullDuplex)
                throw new InvalidOperationException();
            NativeTransfer(writeBuffer, readBuffer, true);
        }

        /// <summary>Native on the device (one call instruction); empty here.</summary>
        private void NativeTransfer(SpanByte writeBuffer, SpanByte readBuffer, bool fullDuplex) { }

        private sealed class Settings
        {
            private int _busConfiguration = FullDuplex;
            public int Configuration { get { return _busConfiguration; } }
        }
    }
}
