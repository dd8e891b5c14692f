using System;
using System.Security.Cryptography;
using NanoTcp.Boards.Desktop;
using NanoTcp.Boards.W5500;
using NanoTcp.Firmware.Services;
using NanoTcp.Scenarios;
using NanoTcp.Tcp;
using NanoTcp.Tests.Stack;
using NanoTcp.Wire;
using Xunit;
using Xunit.Abstractions;

namespace NanoTcp.Tests.Robustness
{
    /// <summary>Issue 8's robustness suite (b-e): seeded, virtual time, within CI's budget.</summary>
    public sealed class RobustnessTests
    {
        private readonly ITestOutputHelper _output;
        public RobustnessTests(ITestOutputHelper output) => _output = output;

        /// <summary>Transfers bytes A to B over TCP while everyStep runs; returns the SHA-256 match and whether it ended in time.</summary>
        private static (bool Intact, TcpError Error, long Ms) Transfer(StackPair pair, int port, byte[] data, int limitMs, Action everyStep = null, NetworkStack server = null, FirmwareServices services = null)
        {
            server ??= pair.B;
            var sinkHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            TcpListener listener = server.Tcp.Listen(port, 1); // a port nobody else serves: this helper accepts
            Assert.NotNull(listener);
            TcpConnection c = pair.A.Tcp.Connect(pair.A.Address, server.Address, port, 0);
            TcpConnection s = null;
            int sent = 0;
            long received = 0;
            var buffer = new byte[4096];
            bool shut = false;
            long start = pair.Switch.Now;
            pair.RunUntil(() => (s != null && s.IsReceiveFinished) || (c.State == TcpState.Closed && c.Error != TcpError.None), limitMs, () =>
            {
                services?.Poll();
                s ??= server.Tcp.Accept(listener);
                while (c.IsConnected && sent < data.Length && c.SendSpace > 0)
                    sent += Math.Max(0, pair.A.Tcp.Send(c, data, sent, Math.Min(c.SendSpace, data.Length - sent)));
                if (sent == data.Length && !shut && c.IsConnected) { pair.A.Tcp.Close(c); shut = true; }
                int n;
                while (s != null && (n = server.Tcp.Receive(s, buffer, 0, buffer.Length)) > 0)
                {
                    sinkHash.AppendData(buffer, 0, n);
                    received += n;
                }
                everyStep?.Invoke();
            });
            if (s != null) server.Tcp.Close(s);
            bool intact = received == data.Length && sinkHash.GetHashAndReset().AsSpan().SequenceEqual(SHA256.HashData(data));
            return (intact, c.Error, pair.Switch.Now - start);
        }

        [Fact]
        public void FiftyTransfersThroughLossDuplicationReorderingAndCorruptionAllEndInBoundedTime()
        {
            var random = new Random(2026);
            int intact = 0, failedCleanly = 0;
            long longest = 0;
            for (int i = 0; i < 50; i++)
            {
                var faults = new LinkFaults
                {
                    LossPercent = 10 + random.Next(11), DuplicatePercent = 10 + random.Next(11),
                    ReorderPercent = 10 + random.Next(11), CorruptPerMille = 10,
                };
                var pair = new StackPair(seed: 100 + i);
                pair.NicA.Faults = faults;
                pair.NicB.Faults = faults;
                var data = new byte[1000 + random.Next(100_000)];
                random.NextBytes(data);
                var (ok, error, ms) = Transfer(pair, 7000, data, 30 * 60 * 1000);
                longest = Math.Max(longest, ms);
                if (ok) intact++;
                else
                {
                    Assert.NotEqual(TcpError.None, error); // never silently short
                    failedCleanly++;
                }
            }
            _output.WriteLine($"50 transfers: {intact} intact, {failedCleanly} ended with an error; longest {longest / 1000.0:F0} s virtual");
            Assert.Equal(50, intact + failedCleanly);
            Assert.True(intact >= 45, $"only {intact} of 50 transfers completed");
        }

        [Fact]
        public void ASynFloodOfTenThousandASecondLeavesATransferAndNewClientsAlone()
        {
            var configB = new StackConfig();
            configB.Tcp.MaxListeners = 6; // the four services, and this test's own
            var pair = new StackPair(seed: 4987, configB: configB);
            var services = new FirmwareServices(pair.B);
            var flooder = new RawPeer(pair.Switch, "02:00:00:00:00:66", 0);
            var frame = new byte[60];
            var random = new Random(1);
            var data = new byte[300_000];
            random.NextBytes(data);
            long before = 0, last = 0;
            int floods = 0;
            // 10 spoofed SYNs per virtual millisecond to the echo port, from random addresses on the subnet,
            // while the transfer runs to a port of its own (the services' listeners are the flood's target).
            var (ok, error, ms) = Transfer(pair, 7002, data, 120_000, () =>
            {
                if (floods == 100) before = ThreadAllocations.Start(); // after the first paths ran once
                for (int k = 0; k < 10; k++)
                {
                    uint source = 0x0A000000u | (uint)random.Next(3, 250);
                    EthernetFrame.Emit(frame, 0, pair.NicB.Mac, 0, flooder.Nic.Mac, 0, EtherType.Ipv4);
                    var tcp = new TcpHeader { SourcePort = 1024 + random.Next(60000), DestinationPort = ServicePorts.Echo, SequenceNumber = (uint)random.Next(), Flags = TcpFlags.Syn, Window = 1024 };
                    tcp.Emit(frame, 34, 0, source, StackPair.AddressB);
                    Ipv4Packet.Emit(frame, 14, Ipv4Header.Create(source, StackPair.AddressB, IpProtocol.Tcp, 20, k));
                    flooder.SendFrame(frame, 60);
                }
                floods++;
                last = GC.GetAllocatedBytesForCurrentThread(); // the window closes at the last flood step, before the test's hashing
            }, pair.B, services);
            long allocatedDuringFlood = last - before;
            Assert.True(ok, $"transfer under flood: error {error}");
            Assert.True(floods > 200, "the flood ran alongside the transfer");
            Assert.True(pair.B.Tcp.Counters.SynCookiesSent > 1000, "cookies answered the flood: " + pair.B.Tcp.Counters.SynCookiesSent);
            Assert.True(pair.B.Tcp.ConnectionsInUse <= pair.B.Config.Tcp.MaxConnections);
            // A legitimate client still gets in (the SYN queue is full of flood; it connects by cookie or slot).
            TcpConnection legit = pair.A.Tcp.Connect(pair.A.Address, StackPair.AddressB, ServicePorts.Echo, 0);
            Assert.True(pair.RunUntil(() => legit.IsConnected, 5000, services.Poll), "legitimate client under flood: " + legit.State);
            _output.WriteLine($"flood: {floods * 10} SYNs, {pair.B.Tcp.Counters.SynCookiesSent} cookies, transfer {ms} ms virtual, allocated while flooded: {allocatedDuringFlood} B");
            Assert.Equal(0, allocatedDuringFlood); // memory does not grow: cookies keep no state, the tables are fixed
        }

        [Fact]
        public void ArpAndIcmpFloodsDuringATransferAreRateLimitedAndHarmless()
        {
            var pair = new StackPair(seed: 826);
            var flooder = new RawPeer(pair.Switch, "02:00:00:00:00:67", 0x0A000067);
            var frame = new byte[98];
            var random = new Random(2);
            var data = new byte[300_000];
            random.NextBytes(data);
            var broadcast = new byte[] { 255, 255, 255, 255, 255, 255 };
            int steps = 0;
            var (ok, error, ms) = Transfer(pair, 7001, data, 120_000, () =>
            {
                steps++;
                for (int k = 0; k < 5; k++)
                {
                    // ARP requests for B from ever new senders, and pings to B.
                    EthernetFrame.Emit(frame, 0, broadcast, 0, flooder.Nic.Mac, 0, EtherType.Arp);
                    ArpPacket.Emit(frame, 14, ArpPacket.OperationRequest, flooder.Nic.Mac, 0, 0x0A000000u | (uint)random.Next(3, 250), new byte[6], 0, StackPair.AddressB);
                    flooder.SendFrame(frame, 60);
                    EthernetFrame.Emit(frame, 0, pair.NicB.Mac, 0, flooder.Nic.Mac, 0, EtherType.Ipv4);
                    IcmpV4Message.EmitEcho(frame, 34, IcmpV4Message.TypeEchoRequest, 1, steps * 5 + k, 56);
                    Ipv4Packet.Emit(frame, 14, Ipv4Header.Create(flooder.Address, StackPair.AddressB, IpProtocol.Icmp, 64, k));
                    flooder.SendFrame(frame, 98);
                }
            });
            Assert.True(ok, $"transfer under ARP and ICMP floods: {error}");
            long seconds = Math.Max(1, ms / 1000 + 1);
            Assert.True(pair.B.Statistics.IcmpEchoRepliesSent <= pair.B.Config.IcmpEchoRepliesPerSecond * seconds, "echo replies rate limited");
            Assert.True(pair.B.Statistics.IcmpRateLimited > 0);
            Assert.True(pair.B.Statistics.ArpRequestsReceived > 1000);
            _output.WriteLine($"{pair.B.Statistics.ArpRequestsReceived} ARP requests, {pair.B.Statistics.IcmpEchoRequestsReceived} pings, {pair.B.Statistics.IcmpEchoRepliesSent} replies, {ms} ms virtual");
        }

        [Fact]
        public void W5500FaultsUnderLoadAreRecoveredOrFailCleanly()
        {
            var pair = new StackPair(seed: 5500, configure: false);
            // Replace B's NIC with a W5500 on the same switch: the peer is A.
            var clock = new VirtualBoardClock();
            var chip = new W5500Simulator(pair.Switch, "02:00:00:00:55:0b", clock, 9);
            var mac = new byte[6];
            MacAddress.TryParse("02:00:00:00:55:0b", mac, 0);
            var driver = chip.CreateDriver(W5500BoardSettings.DevKitC, mac);
            chip.Chip.AutoNegotiationUs = 0; // the link flaps every 1.5 s below; auto-negotiation's time is the W5500 scenarios' business
            Assert.True(driver.Initialize());
            var deviceConfig = new StackConfig();
            deviceConfig.Tcp.MaxListeners = 6;
            var device = new NetworkStack(driver, deviceConfig, new SeededRandom(12));
            var wrapped = new StackPair.External(pair, device, clock);
            pair.A.Configure(StackPair.AddressA, StackPair.Mask, 0, 0);
            device.Configure(0x0A000003, StackPair.Mask, 0, 0);
            var services = new FirmwareServices(device);
            var random = new Random(3);
            var data = new byte[400_000];
            random.NextBytes(data);
            long corruptAt = 50;
            long pingedInWindow = -1;
            var (ok, error, ms) = Transfer(pair, 7003, data, 600_000, () =>
            {
                wrapped.Step();
                // Faults in proportion to traffic and time: one corrupt length header every 50 frames the chip
                // takes, the RX buffer full for 2 ms every 400 ms, the link down for 40 ms every 1.5 s.
                if (chip.FramesDelivered >= corruptAt) { chip.Chip.CorruptNextLengthHeader = true; corruptAt += 50; }
                long t = pair.Switch.Now;
                chip.Chip.RxBufferFull = t % 400 < 2;
                chip.Chip.CablePlugged = (t + 750) % 1500 >= 40;
                // A receiver whose ACKs answer arriving data sends nothing while the link is down; the device's
                // application does (one ping per outage), so that the link-down send path is always exercised.
                if (!chip.Chip.CablePlugged && pingedInWindow != (t + 750) / 1500) { pingedInWindow = (t + 750) / 1500; device.SendPing(pair.A.Address, 1, (int)(t & 0xFFFF), 8); }
            }, device, services);
            _output.WriteLine($"W5500 under faults: intact {ok}, error {error}, {ms} ms virtual; corrupt headers {driver.Counters.CorruptHeaders}, drains {driver.Counters.Drains}, " +
                              $"recoveries {driver.Counters.Recoveries}, socket reopens {driver.Counters.SocketReopens}, sends while link down {driver.Counters.SendsWhileLinkDown}");
            Assert.True(ok || error != TcpError.None, "ended silently short");
            Assert.True(driver.Counters.CorruptHeaders > 0 && driver.Counters.SendsWhileLinkDown + driver.Counters.SocketReopens > 0, "faults were exercised");
            Assert.True(ok, $"the transfer should survive these faults: {error}");
        }
    }
}
