using System;
using NanoTcp.Boards.W5500;
using NanoTcp.DriverScenarios;
using NanoTcp.Firmware.Services;
using NanoTcp.Tcp;
using Xunit;
using Xunit.Abstractions;

namespace NanoTcp.Tests.W5500
{
    /// <summary>The MACRAW driver against the chip model (W5500Rig), for what needs the host: allocation
    /// measured by the runtime, and printed SPI figures. The shipped board (DevKitC) and the polling variant.</summary>
    public sealed class W5500DeviceTests
    {
        private readonly ITestOutputHelper _output;

        public W5500DeviceTests(ITestOutputHelper output) => _output = output;

        public static TheoryData<string> Boards() => new() { "DevKitC", "Polling" };

        private static W5500BoardSettings Board(string name) => name == "DevKitC" ? W5500BoardSettings.DevKitC : W5500BoardSettings.M5StackAtomPoe;

        [Theory]
        [MemberData(nameof(Boards))]
        public void PingsAndATcpEchoGoThroughTheDriverWithoutAllocating(string board)
        {
            var rig = new W5500Rig(Board(board));
            Assert.Equal(3, rig.Pings(3));
            var services = new FirmwareServices(rig.Device);
            TcpConnection c = rig.Peer.Tcp.Connect(W5500Rig.PeerAddress, W5500Rig.DeviceAddress, ServicePorts.Echo, 0);
            var data = new byte[200_000];
            new Random(1).NextBytes(data);
            var chunk = new byte[4096];
            int sent = 0, got = 0, wrong = 0;
            long before = 0;
            for (int step = 0; step < 200_000 && got < data.Length; step++)
            {
                rig.Run(1);
                services.Poll();
                while (c.IsConnected && sent < data.Length && c.SendSpace > 0)
                    sent += rig.Peer.Tcp.Send(c, data, sent, Math.Min(c.SendSpace, data.Length - sent));
                int n;
                while ((n = rig.Peer.Tcp.Receive(c, chunk, 0, chunk.Length)) > 0)
                {
                    for (int i = 0; i < n; i++) if (chunk[i] != data[got + i]) wrong++;
                    got += n;
                }
                if (got > 20_000 && before == 0)
                    before = ThreadAllocations.Start();
            }
            long allocated = ThreadAllocations.Since(before);
            Assert.Equal(data.Length, got);
            Assert.Equal(0, wrong);
            Assert.Equal(0, allocated);
            Assert.Equal(0, rig.Driver.Counters.CorruptHeaders);
            Assert.True(rig.Chip.LongestTransaction <= W5500Device.MaxTransactionBytes);
        }

        /// <summary>Issue 7's targets, counted by the chip model with the board's settings: at most 2 SPI
        /// transactions per received frame with 8 waiting, 5 for a lone frame (today 2: status and burst, RSR read
        /// again only when the status read's RSR and Sn_RX_WR - Sn_RX_RD disagree, Sn_RX_RD and RECV once per 4 KB
        /// read; 6 with INT wired: the Sn_IR clear),
        /// 4 per transmitted frame; payload at least 97% of the SPI bytes at full-sized frames.</summary>
        [Theory]
        [MemberData(nameof(Boards))]
        public void SpiTransactionsPerFrameMeetTheTargets(string board)
        {
            W5500BoardSettings settings = Board(board);
            var rig = new W5500Rig(settings);
            SpiFigures f = SpiFigures.Measure(rig);
            _output.WriteLine($"{settings.Name}: lone frame received: {f.LoneTransactions} transactions; 8 waiting: {f.PerFrameReceived:F2} per frame, " +
                              $"payload {f.ReceivePayloadShare:P1}; transmit: {f.PerFrameSent:F2} per frame, payload {f.SendPayloadShare:P1}");
            Assert.InRange(f.LoneTransactions, 1, settings.InterruptWired ? 6 : 5);
            Assert.True(f.PerFrameReceived <= 2, $"{f.PerFrameReceived} transactions per received frame");
            Assert.True(f.PerFrameSent <= 4, $"{f.PerFrameSent} transactions per sent frame");
            Assert.True(f.ReceivePayloadShare >= 0.97, $"receive payload share {f.ReceivePayloadShare}");
            Assert.True(f.SendPayloadShare >= 0.97, $"transmit payload share {f.SendPayloadShare}");
        }
    }
}
