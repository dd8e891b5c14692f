using System;
using NanoTcp.Boards.Desktop;
using NanoTcp.Boards.W5500;
using NanoTcp.Link;
using NanoTcp.Firmware.Services;
using NanoTcp.Scenarios;
using NanoTcp.Tcp;
using NanoTcp.Wire;

namespace NanoTcp.Host
{
    /// <summary>`nanotcp demo`: the device (the firmware's services) and a client on a simulated LAN; the
    /// client sends bytes to the echo service, checks what comes back and closes. Every frame is printed
    /// as tcpdump would, with both sides' TCP state changes, until TIME_WAIT runs out.</summary>
    public static class DemoCommand
    {
        public const uint DeviceAddress = 0xC0A80702, ClientAddress = 0xC0A80701, Mask = 0xFFFFFF00;

        public static int Run(Options options)
        {
            int loss = options.Number("--loss", 0, 0, 50);
            int seed = options.Number("--seed", 1, 0, int.MaxValue);
            int bytes = options.Number("--bytes", 4000, 1, 100_000_000);
            string pcapPath = options.Text("--pcap", "nanotcp-demo.pcap");
            bool quiet = options.Has("--quiet");
            bool dhcp = options.Has("--dhcp");
            string deviceKind = options.Text("--device", "w5500");
            if (deviceKind != "w5500" && deviceKind != "nic")
                throw new UsageException($"--device must be w5500 or nic, not '{deviceKind}'");
            Action<string> print = quiet ? _ => { } : Console.WriteLine;

            var lan = new SimulatedSwitch(seed);
            var faults = new LinkFaults { LossPercent = loss };
            SimulatedNic clientNic = lan.AddNic("client", "02:00:00:00:00:01", faults);
            // The device: by default the firmware's real W5500 driver over the register-level simulator
            // ("ESP32 + W5500, simulated"); with --device nic, a plain simulated NIC.
            W5500Simulator chip = null;
            W5500Device driver = null;
            var boardClock = new VirtualBoardClock();
            INetworkDevice deviceNic;
            if (deviceKind == "w5500")
            {
                chip = new W5500Simulator(lan, "02:00:00:00:00:02", boardClock, seed);
                chip.Nic.Faults = faults;
                var mac = new byte[6];
                MacAddress.TryParse("02:00:00:00:00:02", mac, 0);
                driver = chip.CreateDriver(W5500BoardSettings.DevKitC, mac); // wired as the default board
                if (!driver.Initialize())
                {
                    Console.Error.WriteLine("nanotcp: the simulated W5500 did not come up");
                    return 1;
                }
                deviceNic = driver;
            }
            else
            {
                deviceNic = lan.AddNic("device", "02:00:00:00:00:02", faults);
            }
            using var pcap = new PcapWriter(deviceNic, pcapPath, () => lan.Now * 1000);
            var device = new NetworkStack(new TracingDevice(pcap, () => lan.Now, print), new StackConfig(), new SeededRandom((uint)seed * 7 + 1));
            var client = new NetworkStack(new TracingDevice(clientNic, () => lan.Now, print), new StackConfig(), new SeededRandom((uint)seed * 7 + 2));
            Console.WriteLine($"nanoTcp demo: device {Ipv4Address.Format(DeviceAddress)} ({(chip != null ? "ESP32 + W5500, simulated" : "simulated NIC")}; " +
                              $"echo 7, discard 9, chargen 19, http 80) and a client {Ipv4Address.Format(ClientAddress)} on a simulated LAN; " +
                              $"loss {loss}%, seed {seed}, {bytes} bytes to echo");
            client.Configure(ClientAddress, Mask, 0, 0);
            uint deviceAddress = DeviceAddress;
            if (dhcp)
            {
                // The device leases its address from a DHCP server on the simulated LAN (RFC 2131).
                var server = new SimulatedDhcpServer(lan, "02:00:00:00:00:fe", 0xC0A807FE, Mask, 0xC0A807FE, 0, 0xC0A80764, 16, 3600);
                device.StartDhcp();
                while (!device.IsConfigured && lan.Now < 60_000)
                {
                    boardClock.NowMicroseconds = lan.Now * 1000;
                    device.Poll(lan.Now);
                    client.Poll(lan.Now);
                    server.Poll();
                    lan.Now++;
                }
                deviceAddress = device.Address;
                Console.WriteLine($"   DHCP: the device leased {Ipv4Address.Format(deviceAddress)} for {device.Dhcp.LeaseSeconds} s");
            }
            else
            {
                device.Configure(DeviceAddress, Mask, 0, 0);
            }
            var services = new FirmwareServices(device);
            var deviceStates = new StateTracker("device", device.Tcp);
            var clientStates = new StateTracker("client", client.Tcp);

            TcpConnection c = client.Tcp.Connect(ClientAddress, deviceAddress, ServicePorts.Echo, 0);
            var chunk = new byte[1460];
            long sent = 0, echoed = 0, mismatches = 0;
            bool closed = false;
            while (lan.Now < 600_000)
            {
                boardClock.NowMicroseconds = lan.Now * 1000;
                long next = device.Poll(lan.Now);
                services.Poll();
                next = Math.Min(next, client.Poll(lan.Now));
                while (sent < bytes && c.SendSpace > 0)
                {
                    int n = (int)Math.Min(Math.Min(c.SendSpace, chunk.Length), bytes - sent);
                    for (int i = 0; i < n; i++) chunk[i] = Pattern(sent + i);
                    sent += client.Tcp.Send(c, chunk, 0, n);
                }
                int r;
                while ((r = client.Tcp.Receive(c, chunk, 0, chunk.Length)) > 0)
                {
                    for (int i = 0; i < r; i++) if (chunk[i] != Pattern(echoed + i)) mismatches++;
                    echoed += r;
                }
                if (!closed && echoed == bytes)
                {
                    client.Tcp.Close(c);
                    closed = true;
                }
                deviceStates.Report(lan.Now, deviceAddress, print);
                clientStates.Report(lan.Now, ClientAddress, print);
                if ((closed && c.State == TcpState.Closed && device.Tcp.ConnectionsInUse == 0) || (c.State == TcpState.Closed && c.Error != TcpError.None))
                    break;
                next = Math.Min(next, lan.NextDelivery);
                lan.Now = next > lan.Now && next != long.MaxValue ? next : lan.Now + 1;
            }
            pcap.Flush();

            bool ok = echoed == bytes && mismatches == 0 && c.Error == TcpError.None;
            Console.WriteLine();
            Console.WriteLine($"echoed {echoed} of {bytes} bytes, {mismatches} wrong: {(ok ? "verified" : "FAILED")}; connection ended {TcpErrorNames.Name(c.Error)}");
            Console.WriteLine($"client sent {client.Tcp.Counters.SegmentsSent} segments ({client.Tcp.Counters.SegmentsRetransmitted} retransmitted), " +
                              $"device sent {device.Tcp.Counters.SegmentsSent} ({device.Tcp.Counters.SegmentsRetransmitted} retransmitted); " +
                              $"frames lost on the wire: {(chip != null ? chip.Nic.FramesLost : ((SimulatedNic)deviceNic).FramesLost) + clientNic.FramesLost}");
            if (chip != null)
                Console.WriteLine($"W5500: {driver.Counters.FramesReceived} frames in, {driver.Counters.FramesSent} out, {chip.Transactions} SPI transactions, " +
                                  $"{chip.BytesTransferred} SPI bytes ({(double)chip.Transactions / Math.Max(1, driver.Counters.FramesReceived + driver.Counters.FramesSent):F1} per frame, polls included)");
            Console.WriteLine($"virtual time {lan.Now / 1000.0:F3} s; pcap with {pcap.Frames} frames written to {pcapPath} (tshark -r {pcapPath})");
            return ok ? 0 : 1;
        }

        public static byte Pattern(long position) => (byte)('a' + position % 26);
    }
}
