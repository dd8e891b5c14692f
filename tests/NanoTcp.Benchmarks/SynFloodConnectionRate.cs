using System;
using System.Diagnostics;
using NanoTcp.Boards.Desktop;
using NanoTcp.Firmware.Services;
using NanoTcp.Scenarios;
using NanoTcp.Tcp;
using NanoTcp.Wire;

namespace NanoTcp.Benchmarks
{
    /// <summary>Issue 13's row: legitimate connections per second (one client at a time: open, one request to
    /// echo, close) while a spoofed SYN flood of 100,000 frames per second hits the same port, against the rate
    /// without the flood. The device runs the default configuration and the firmware's services; the network is
    /// simulated and time is virtual (the device keeps up with every frame, so the row measures what the flood
    /// costs the protocol: lost SYNs, refused handshakes, ARP it cannot do), plus the wall-clock cost. Under the
    /// flood the half-open entries are the flood's, so the client connects by SYN cookie; without it, through a
    /// half-open entry (one virtual millisecond slower per connection in this loop).</summary>
    public static class SynFloodConnectionRate
    {
        private const uint A = 0x0A000001, B = 0x0A000002;
        private const int FloodPerMs = 100; // 100,000 frames per virtual second
        private const int VirtualSeconds = 20;

        public static void Measure(Action<string, string, string, string> addRow)
        {
            var (quiet, quietWall, _) = Run(false);
            var (flooded, floodedWall, floodFrames) = Run(true);
            double ratio = flooded / quiet;
            addRow("connections per second under a 100,000 SYN/s spoofed flood (virtual time)",
                $"{flooded:F0}/s vs {quiet:F0}/s without = {ratio * 100:F1} %", ">= 90 %", ratio >= 0.9 ? "met" : "missed");
            addRow("  the same runs in wall-clock time (this PC's CPU)",
                $"{floodedWall:F0}/s vs {quietWall:F0}/s", "",
                $"{floodFrames:N0} flood frames in {VirtualSeconds} virtual s, default config");
        }

        /// <summary>Connections completed per virtual second and per wall second, and flood frames sent.</summary>
        private static (double PerVirtualSecond, double PerWallSecond, long FloodFrames) Run(bool flood)
        {
            var lan = new SimulatedSwitch(13);
            var device = new NetworkStack(lan.AddNic("b", "02:00:00:00:00:0b"), new StackConfig(), new SeededRandom(2));
            var client = new NetworkStack(lan.AddNic("a", "02:00:00:00:00:0a"), new StackConfig(), new SeededRandom(1));
            SimulatedNic flooder = lan.AddNic("flood", "02:00:00:00:00:66");
            client.Configure(A, 0xFFFFFF00, 0, 0);
            device.Configure(B, 0xFFFFFF00, 0, 0);
            var services = new FirmwareServices(device);
            var frame = new byte[60];
            var sink = new byte[1514];
            var random = new Random(100_000);
            var request = new byte[] { (byte)'x' };
            var reply = new byte[16];
            long floodFrames = 0, nextFloodMs = 0;
            byte[] deviceMac = new byte[6];
            device.CopyMacAddress(deviceMac, 0);

            void Step()
            {
                if (flood)
                {
                    for (; nextFloodMs <= lan.Now; nextFloodMs++)
                    {
                        for (int k = 0; k < FloodPerMs; k++)
                        {
                            uint source = 0x0A000000u | (uint)random.Next(3, 254);
                            EthernetFrame.Emit(frame, 0, deviceMac, 0, flooder.Mac, 0, EtherType.Ipv4);
                            var tcp = new TcpHeader { SourcePort = 1024 + random.Next(60000), DestinationPort = ServicePorts.Echo, SequenceNumber = (uint)random.Next(), Flags = TcpFlags.Syn, Window = 1024 };
                            tcp.Emit(frame, 34, 0, source, B);
                            Ipv4Packet.Emit(frame, 14, Ipv4Header.Create(source, B, IpProtocol.Tcp, 20, k));
                            flooder.Transmit(frame, 0, 60);
                            floodFrames++;
                        }
                    }
                }
                client.Poll(lan.Now);
                device.Poll(lan.Now);
                services.Poll();
                while (flooder.Receive(sink, 0, sink.Length) > 0)
                {
                    // the flooder ignores what comes back (SYN-ACKs do not reach it: they are for spoofed hosts)
                }
            }

            long endMs = lan.Now + VirtualSeconds * 1000L;
            long startMs = lan.Now;
            int done = 0;
            var watch = Stopwatch.StartNew();
            while (lan.Now < endMs)
            {
                TcpConnection c = client.Tcp.Connect(A, B, ServicePorts.Echo, 0);
                if (c == null)
                    throw new InvalidOperationException("the client found no slot");
                bool sent = false, closed = false;
                while (lan.Now < endMs && c.State != TcpState.TimeWait && c.State != TcpState.Closed)
                {
                    Step();
                    if (c.IsConnected && !sent) sent = client.Tcp.Send(c, request, 0, 1) == 1;
                    if (sent && !closed && client.Tcp.Receive(c, reply, 0, reply.Length) == 1) { client.Tcp.Close(c); closed = true; }
                    if (lan.NextDelivery > lan.Now) lan.Now = Math.Min(lan.NextDelivery, lan.Now + 1);
                }
                if (closed && c.Error == TcpError.None) done++;
            }
            double virtualSeconds = (lan.Now - startMs) / 1000.0;
            return (done / virtualSeconds, done / watch.Elapsed.TotalSeconds, floodFrames);
        }
    }
}
