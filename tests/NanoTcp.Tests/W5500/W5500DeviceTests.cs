using System;
using NanoTcp.Boards.Desktop;
using NanoTcp.Boards.W5500;
using NanoTcp.Firmware.Services;
using NanoTcp.Scenarios;
using NanoTcp.Tcp;
using NanoTcp.Wire;
using Xunit;
using Xunit.Abstractions;

namespace NanoTcp.Tests.W5500
{
    /// <summary>The MACRAW driver against the register-level simulator, on a simulated LAN with a plain peer stack.</summary>
    public sealed class W5500DeviceTests
    {
        private const uint DeviceAddress = 0x0A000002, PeerAddress = 0x0A000001;
        private readonly ITestOutputHelper _output;

        private readonly SimulatedSwitch _lan = new(3);
        private readonly W5500Simulator _chip;
        private readonly VirtualBoardClock _clock = new();
        private readonly W5500Device _driver;
        private readonly NetworkStack _device, _peer;
        private readonly SimulatedNic _peerNic;

        public W5500DeviceTests(ITestOutputHelper output)
        {
            _output = output;
            var mac = new byte[6];
            MacAddress.TryParse("02:00:00:00:55:02", mac, 0);
            _chip = new W5500Simulator(_lan, "02:00:00:00:55:02");
            _driver = new W5500Device(_chip, _chip.ResetPin, null, _clock, mac, 16384, 2000);
            Assert.True(_driver.Initialize());
            _device = new NetworkStack(_driver, new StackConfig(), new SeededRandom(5));
            _peerNic = _lan.AddNic("peer", "02:00:00:00:00:01");
            _peer = new NetworkStack(_peerNic, new StackConfig(), new SeededRandom(6));
            _device.Configure(DeviceAddress, 0xFFFFFF00, 0, 0);
            _peer.Configure(PeerAddress, 0xFFFFFF00, 0, 0);
            Run(20);
        }

        private void Run(int ms, FirmwareServices services = null)
        {
            for (int i = 0; i < ms; i++)
            {
                _device.Poll(_lan.Now);
                services?.Poll();
                _peer.Poll(_lan.Now);
                _lan.Now++;
                _clock.NowMicroseconds = _lan.Now * 1000;
            }
        }

        private int Pings(int count)
        {
            int before = _peer.Statistics.IcmpEchoRepliesReceived;
            for (int i = 0; i < count; i++)
            {
                _peer.SendPing(DeviceAddress, 7, i, 32);
                Run(5);
            }
            return _peer.Statistics.IcmpEchoRepliesReceived - before;
        }

        [Fact]
        public void InitializesTheChipInMacRaw()
        {
            Assert.Equal(W5500Socket.StatusMacRaw, ReadSocket(W5500Socket.Status));
            Assert.Equal(0x84, ReadSocket(W5500Socket.Mode));
            Assert.Equal(16, ReadSocket(W5500Socket.ReceiveBufferSize));
            Assert.True(_driver.IsLinkUp);
        }

        private int ReadSocket(int address)
        {
            var tx = new byte[4] { 0, (byte)address, W5500Control.Read(1), 0 };
            var rx = new byte[4];
            _chip.Transfer(tx, 0, rx, 0, 4);
            return rx[3];
        }

        [Fact]
        public void PingsAndATcpEchoGoThroughTheDriverWithoutAllocating()
        {
            Assert.Equal(3, Pings(3));
            var services = new FirmwareServices(_device);
            TcpConnection c = _peer.Tcp.Connect(PeerAddress, DeviceAddress, 7, 0);
            var data = new byte[200_000];
            new Random(1).NextBytes(data);
            var chunk = new byte[4096];
            int sent = 0, got = 0, wrong = 0;
            long before = 0;
            for (int step = 0; step < 200_000 && got < data.Length; step++)
            {
                Run(1, services);
                while (c.IsConnected && sent < data.Length && c.SendSpace > 0)
                    sent += _peer.Tcp.Send(c, data, sent, Math.Min(c.SendSpace, data.Length - sent));
                int n;
                while ((n = _peer.Tcp.Receive(c, chunk, 0, chunk.Length)) > 0)
                {
                    for (int i = 0; i < n; i++) if (chunk[i] != data[got + i]) wrong++;
                    got += n;
                }
                if (got > 20_000 && before == 0)
                    before = GC.GetAllocatedBytesForCurrentThread();
            }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(data.Length, got);
            Assert.Equal(0, wrong);
            Assert.Equal(0, allocated);
            Assert.Equal(0, _driver.Counters.CorruptHeaders);
        }

        [Fact]
        public void ACorruptLengthHeaderIsDrainedAndTrafficGoesOn()
        {
            Assert.Equal(2, Pings(2));
            _chip.CorruptNextLengthHeader = true;
            Assert.Equal(0, Pings(1));
            Assert.Equal(1, _driver.Counters.CorruptHeaders);
            Assert.Equal(1, _driver.Counters.Drains);
            Assert.Equal(3, Pings(3));
        }

        [Fact]
        public void AFullReceiveBufferDropsFramesUntilItEmpties()
        {
            Assert.Equal(1, Pings(1)); // ARP resolved first: then each ping is one frame
            _chip.RxBufferFull = true;
            Assert.Equal(0, Pings(2));
            Assert.True(_chip.FramesDroppedRxFull >= 2);
            _chip.RxBufferFull = false;
            Assert.Equal(2, Pings(2));
        }

        [Fact]
        public void SendsGiveUpWhileTheLinkIsDownAndResumeAfter()
        {
            Assert.Equal(1, Pings(1));
            _chip.LinkUp = false;
            _device.SendPing(PeerAddress, 1, 1, 8);  // stranded in the chip
            Run(200);
            _device.SendPing(PeerAddress, 1, 2, 8);  // finds the link down: dropped, no hang
            Run(200);
            Assert.True(_driver.Counters.SendsWhileLinkDown >= 1);
            Assert.False(_driver.IsLinkUp);
            _chip.LinkUp = true;
            Run(200);
            _device.SendPing(PeerAddress, 1, 3, 8); // reopens the chip, then sends
            Run(20);
            Assert.True(_driver.Counters.Recoveries >= 1);
            Assert.Equal(2, Pings(2));
        }

        [Fact]
        public void ASendThatNeverCompletesTimesOutAndTheChipIsReopened()
        {
            Assert.Equal(1, Pings(1));
            _chip.SendNeverCompletes = true;
            for (int i = 0; i < 5; i++)
            {
                _device.SendPing(PeerAddress, 1, i, 8);
                Run(10);
            }
            Assert.True(_driver.Counters.SendTimeouts >= 1);
            Assert.Equal(_driver.Counters.SendTimeouts, _driver.Counters.Recoveries); // each stuck SEND reopens the chip
            _chip.SendNeverCompletes = false;
            Run(10);
            Assert.Equal(2, Pings(2));
        }

        /// <summary>Issue 7's targets, counted by the simulator: at most 2 SPI transactions per received frame
        /// with 4 or more waiting, 6 for a lone frame, 4 per transmitted frame; payload at least 97% of the
        /// SPI bytes at full-sized frames.</summary>
        [Fact]
        public void SpiTransactionsPerFrameMeetTheTargets()
        {
            var frame = new byte[1514];
            var sink = new byte[1514];
            _driver.CopyMacAddress(frame, 0);
            for (int i = 6; i < 12; i++) frame[i] = 0x02;
            frame[12] = 0x88; frame[13] = 0xB5; // local experimental EtherType: the stack ignores it
            while (_driver.Receive(sink, 0, sink.Length) > 0) { }

            // A lone full-sized frame.
            _peerNic.Transmit(frame, 0, 1514);
            _lan.Now += 2;
            long t0 = _chip.Transactions, b0 = _chip.BytesTransferred;
            Assert.Equal(1514, _driver.Receive(sink, 0, sink.Length));
            long loneTransactions = _chip.Transactions - t0, loneBytes = _chip.BytesTransferred - b0;

            // Eight waiting.
            for (int i = 0; i < 8; i++) _peerNic.Transmit(frame, 0, 1514);
            _lan.Now += 2;
            t0 = _chip.Transactions; b0 = _chip.BytesTransferred;
            int frames = 0;
            while (frames < 8 && _driver.Receive(sink, 0, sink.Length) == 1514) frames++;
            Assert.Equal(8, frames);
            double perFrameRx = (_chip.Transactions - t0) / 8.0;
            double rxShare = 8.0 * 1514 / (_chip.BytesTransferred - b0);

            // Transmitting full-sized frames back to back.
            t0 = _chip.Transactions; b0 = _chip.BytesTransferred;
            for (int i = 0; i < 16; i++) Assert.True(_driver.Transmit(frame, 0, 1514));
            double perFrameTx = (_chip.Transactions - t0) / 16.0;
            double txShare = 16.0 * 1514 / (_chip.BytesTransferred - b0);

            _output.WriteLine($"lone frame received: {loneTransactions} transactions, {loneBytes} SPI bytes");
            _output.WriteLine($"8 waiting frames: {perFrameRx:F2} transactions per frame, payload {rxShare:P1} of SPI bytes");
            _output.WriteLine($"transmit: {perFrameTx:F2} transactions per frame, payload {txShare:P1} of SPI bytes");
            foreach (int mhz in new[] { 20, 40, 80 })
            {
                double rxFrames = mhz * 1e6 / 8 / (1514 / rxShare);
                double txFrames = mhz * 1e6 / 8 / (1514 / txShare);
                _output.WriteLine($"{mhz} MHz SPI bound: receive {rxFrames:F0} frames/s = {rxFrames * 1460 * 8 / 1e6:F1} Mbit/s of TCP payload, " +
                                  $"transmit {txFrames:F0} frames/s = {txFrames * 1460 * 8 / 1e6:F1} Mbit/s");
            }
            Assert.InRange(loneTransactions, 1, 6);
            Assert.True(perFrameRx <= 2, $"{perFrameRx} transactions per received frame");
            Assert.True(perFrameTx <= 4, $"{perFrameTx} transactions per sent frame");
            Assert.True(rxShare >= 0.97, $"receive payload share {rxShare}");
            Assert.True(txShare >= 0.97, $"transmit payload share {txShare}");
        }
    }
}
