using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.Json;
using NanoTcp.Boards.Desktop;
using NanoTcp.Boards.W5500;
using NanoTcp.Firmware.Services;
using NanoTcp.Link;
using NanoTcp.Scenarios;
using NanoTcp.Tcp;
using NanoTcp.Wire;

namespace NanoTcp.Benchmarks
{
    /// <summary>Prints the table of issue 8 and writes it as JSON. Wall-clock figures are for this machine.</summary>
    public static class Program
    {
        private const uint A = 0x0A000001, B = 0x0A000002;
        private static readonly byte[] Pattern = Enumerable.Range(0, 8192).Select(i => (byte)(i * 31 + (i >> 7))).ToArray();
        private static readonly List<Row> Rows = new();

        private sealed record Row(string Measure, string Value, string Target, string Verdict);

        public static int Main(string[] args)
        {
            if (SpeedRows.Handles(args, out int speedCode))
                return speedCode;
            if (args.Length > 0 && args[0] == AppFootprint.Flag)
                return AppFootprint.Run();
            if (MqttRows.Handles(args, out int mqttCode))
                return mqttCode;
            if (args.Length > 0 && args[0] == LinuxComparison.PeerFlag)
                return LinuxComparison.RunPeer();
            if (args.Length > 1 && args[0] == LinuxComparison.InnerFlag)
                return LinuxComparison.RunInner(long.Parse(args[1]));
            string json = args.Length > 0 ? args[0] : Path.Combine("TestResults", "benchmarks.json");
            long megabytes = Environment.GetEnvironmentVariable("NANOTCP_BENCH_MB") is string mb ? long.Parse(mb) : 256;
            Console.WriteLine($"nanoTcp benchmarks ({Environment.ProcessorCount} cores, .NET {Environment.Version}, {megabytes} MB per bulk run)");

            // Warm-up: the first run of each path costs the runtime a few KB once (JIT, type loading);
            // it is not the stack's and is kept out of the figures.
            Bulk("warm-up", 4, true, true);
            Rows.Clear();
            Bulk("bulk TCP A->B, simulated switch, 64 KB rings", megabytes, true, false);
            Bulk("bulk TCP B->A, simulated switch, 64 KB rings", megabytes, false, true);
            Bulk("bulk TCP both ways at once (sum)", megabytes / 2, true, true);
            BulkW5500(Math.Min(megabytes, 32));
            Footprint();
            ConnectionsPerSecond();
            SynFloodConnectionRate.Measure((measure, value, target, verdict) => Rows.Add(new Row(measure, value, target, verdict)));
            IlSizes();
            LinuxRatio(Math.Min(megabytes, 64));
            Rows.AddRange(SpeedRows.Measure().Select(r => new Row(r.Measure, r.Value, r.Target, r.Verdict)));
            Rows.AddRange(MqttRows.Measure().Select(r => new Row(r.Measure, r.Value, r.Target, r.Verdict)));

            int width = Rows.Max(r => r.Measure.Length);
            Console.WriteLine();
            Console.WriteLine($"{"measure".PadRight(width)}  {"value",-28}  {"target",-26}  verdict");
            foreach (Row r in Rows)
                Console.WriteLine($"{r.Measure.PadRight(width)}  {r.Value,-28}  {r.Target,-26}  {r.Verdict}");
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(json)));
            File.WriteAllText(json, JsonSerializer.Serialize(Rows, new JsonSerializerOptions { WriteIndented = true }));
            Console.WriteLine($"\nwritten to {json}");
            return 0;
        }

        private static (NetworkStack A, NetworkStack B, SimulatedSwitch Lan) Pair(int ring)
        {
            var lan = new SimulatedSwitch(1);
            StackConfig Config()
            {
                var c = new StackConfig();
                c.Tcp.SendBufferSize = ring;
                c.Tcp.ReceiveBufferSize = ring;
                return c;
            }
            var a = new NetworkStack(lan.AddNic("a", "02:00:00:00:00:0a"), Config(), new SeededRandom(1));
            var b = new NetworkStack(lan.AddNic("b", "02:00:00:00:00:0b"), Config(), new SeededRandom(2));
            a.Configure(A, 0xFFFFFF00, 0, 0);
            b.Configure(B, 0xFFFFFF00, 0, 0);
            return (a, b, lan);
        }

        /// <summary>Moves bytes over TCP between two stacks; every received byte is checked against the pattern.</summary>
        private static void Bulk(string name, long megabytes, bool aToB, bool bToA)
        {
            var (a, b, lan) = Pair(65535);
            TcpListener listener = b.Tcp.Listen(5001, 1);
            TcpConnection ca = a.Tcp.Connect(A, B, 5001, 0), cb = null;
            long total = megabytes << 20;
            var flowAB = new Flow(total * (aToB ? 1 : 0));
            var flowBA = new Flow(total * (bToA ? 1 : 0));
            var sink = new byte[65536];
            long segmentsBefore = 0, allocatedBefore = 0;
            var watch = new Stopwatch();
            while (!(flowAB.Done && flowBA.Done))
            {
                bool moved = false;
                a.Poll(lan.Now);
                b.Poll(lan.Now);
                cb ??= b.Tcp.Accept(listener);
                if (cb == null || !ca.IsConnected) { lan.Now++; continue; }
                if (!watch.IsRunning)
                {
                    watch.Start();
                    segmentsBefore = a.Tcp.Counters.SegmentsSent + b.Tcp.Counters.SegmentsSent;
                    allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
                }
                moved |= flowAB.Pump(a, ca, b, cb, sink);
                moved |= flowBA.Pump(b, cb, a, ca, sink);
                if (!moved && lan.NextDelivery > lan.Now)
                    lan.Now = Math.Min(lan.NextDelivery, lan.Now + 1);
            }
            watch.Stop();
            long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
            long segments = a.Tcp.Counters.SegmentsSent + b.Tcp.Counters.SegmentsSent - segmentsBefore;
            long bytes = flowAB.Received + flowBA.Received;
            if (flowAB.Wrong + flowBA.Wrong != 0)
                throw new Exception("payload corrupted");
            double mbps = bytes / watch.Elapsed.TotalSeconds / 1e6;
            Rows.Add(new Row(name, $"{mbps:F0} MB/s ({mbps * 8 / 1000:F2} Gbit/s)", ">= 2 Gbit/s one way", mbps * 8 >= 2000 ? "met" : $"missed by {(2000 - mbps * 8) / 1000:F2} Gbit/s"));
            if (aToB && !bToA)
                Rows.Add(new Row("bytes allocated per segment (steady state)", $"{(double)allocated / segments:F3} ({allocated} B over {segments} segments)", "0", allocated == 0 ? "met" : "missed"));
        }

        private sealed class Flow
        {
            public readonly long Total;
            public long Sent, Received, Wrong;
            public Flow(long total) => Total = total;
            public bool Done => Received >= Total;

            public bool Pump(NetworkStack from, TcpConnection sender, NetworkStack to, TcpConnection receiver, byte[] sink)
            {
                bool moved = false;
                while (Sent < Total && sender.SendSpace > 0)
                {
                    int offset = (int)(Sent % Pattern.Length);
                    int n = (int)Math.Min(Math.Min(sender.SendSpace, Pattern.Length - offset), Total - Sent);
                    int taken = from.Tcp.Send(sender, Pattern, offset, n);
                    if (taken <= 0) break;
                    Sent += taken;
                    moved = true;
                }
                int r;
                while ((r = to.Tcp.Receive(receiver, sink, 0, sink.Length)) > 0)
                {
                    int checkedBytes = 0;
                    while (checkedBytes < r)
                    {
                        int offset = (int)((Received + checkedBytes) % Pattern.Length);
                        int n = Math.Min(r - checkedBytes, Pattern.Length - offset);
                        if (!sink.AsSpan(checkedBytes, n).SequenceEqual(Pattern.AsSpan(offset, n)))
                            Wrong++;
                        checkedBytes += n;
                    }
                    Received += r;
                    moved = true;
                }
                return moved;
            }
        }

        /// <summary>The device on the W5500 driver and simulator, the peer a plain stack: SPI cost per frame.</summary>
        private static void BulkW5500(long megabytes)
        {
            var lan = new SimulatedSwitch(2);
            var clock = new VirtualBoardClock();
            var chip = new W5500Simulator(lan, "02:00:00:00:55:02", clock);
            var mac = new byte[6];
            MacAddress.TryParse("02:00:00:00:55:02", mac, 0);
            var driver = chip.CreateDriver(W5500BoardSettings.DevKitC, mac);
            driver.Initialize();
            var device = new NetworkStack(driver, new StackConfig(), new SeededRandom(3));
            var peer = new NetworkStack(lan.AddNic("peer", "02:00:00:00:00:01"), new StackConfig(), new SeededRandom(4));
            device.Configure(B, 0xFFFFFF00, 0, 0);
            peer.Configure(A, 0xFFFFFF00, 0, 0);
            var services = new FirmwareServices(device);
            TcpConnection c = peer.Tcp.Connect(A, B, ServicePorts.Discard, 0);
            long total = megabytes << 20, sent = 0;
            var watch = new Stopwatch();
            while (services.DiscardedBytes < total && lan.Now < 10_000_000)
            {
                clock.NowMicroseconds = lan.Now * 1000;
                device.Poll(lan.Now);
                services.Poll();
                peer.Poll(lan.Now);
                if (c.IsConnected && !watch.IsRunning)
                    watch.Start();
                bool moved = false;
                while (c.IsConnected && sent < total && c.SendSpace > 0)
                {
                    int offset = (int)(sent % Pattern.Length);
                    int n = (int)Math.Min(Math.Min(c.SendSpace, Pattern.Length - offset), total - sent);
                    sent += peer.Tcp.Send(c, Pattern, offset, n);
                    moved = true;
                }
                if (!moved && lan.NextDelivery > lan.Now)
                    lan.Now = Math.Min(lan.NextDelivery, lan.Now + 1);
            }
            watch.Stop();
            Rows.Add(new Row("W5500 path: host throughput through driver + simulator", $"{services.DiscardedBytes / watch.Elapsed.TotalSeconds / 1e6:F0} MB/s", "", "simulator bound"));
            W5500Timing.Run((measure, value, target, verdict) => Rows.Add(new Row(measure, value, target, verdict)));
        }

        private static void Footprint()
        {
            var lan = new SimulatedSwitch(3);
            INetworkDevice nic = lan.AddNic("x", "02:00:00:00:00:0c");
            var random = new SeededRandom(1);
            _ = new NetworkStack(nic, new StackConfig(), random); // warm up type loading
            long before = GC.GetAllocatedBytesForCurrentThread();
            var config = new StackConfig();
            _ = new NetworkStack(nic, config, random);
            long stack = GC.GetAllocatedBytesForCurrentThread() - before;
            var five = new StackConfig();
            five.Tcp.MaxConnections = 5;
            before = GC.GetAllocatedBytesForCurrentThread();
            _ = new NetworkStack(nic, five, random);
            long withFive = GC.GetAllocatedBytesForCurrentThread() - before;
            long perConnection = withFive - stack;
            long overhead = perConnection - five.Tcp.SendBufferSize - five.Tcp.ReceiveBufferSize;
            Rows.Add(new Row("bytes to build the stack, default configuration", $"{stack} B ({stack / 1024.0:F1} KB)", "<= 24 KB", stack <= 24 * 1024 ? "met" : $"missed by {(stack - 24 * 1024) / 1024.0:F1} KB"));
            Rows.Add(new Row("bytes per extra TCP connection", $"{perConnection} B = rings + {overhead} B", "rings + <= 256 B", overhead <= 256 ? "met" : $"missed by {overhead - 256} B"));
        }

        private static void ConnectionsPerSecond()
        {
            var (a, b, lan) = Pair(2048);
            var services = new FirmwareServices(b);
            var request = new byte[] { (byte)'x' };
            var reply = new byte[16];
            int done = 0;
            long segmentsBefore = a.Tcp.Counters.SegmentsSent + b.Tcp.Counters.SegmentsSent;
            var watch = Stopwatch.StartNew();
            while (watch.ElapsedMilliseconds < 2000)
            {
                TcpConnection c = a.Tcp.Connect(A, B, ServicePorts.Echo, 0);
                if (c == null) { lan.Now += 1000; a.Poll(lan.Now); continue; }
                bool sent = false, closed = false;
                for (int guard = 0; guard < 100000 && c.State != TcpState.TimeWait && c.State != TcpState.Closed; guard++)
                {
                    a.Poll(lan.Now); b.Poll(lan.Now); services.Poll();
                    if (c.IsConnected && !sent) sent = a.Tcp.Send(c, request, 0, 1) == 1;
                    if (sent && !closed && a.Tcp.Receive(c, reply, 0, reply.Length) == 1) { a.Tcp.Close(c); closed = true; }
                    if (lan.NextDelivery > lan.Now) lan.Now = Math.Min(lan.NextDelivery, lan.Now + 1);
                }
                if (closed) done++;
            }
            long segments = a.Tcp.Counters.SegmentsSent + b.Tcp.Counters.SegmentsSent - segmentsBefore;
            Rows.Add(new Row("connections per second (open, one request, close)", $"{done / watch.Elapsed.TotalSeconds:F0}/s",
                "", $"echo service, virtual time, {(double)segments / Math.Max(1, done):F0} segments each"));
        }

        /// <summary>Item 7: the kernel talking to our stack over TAP against the kernel talking to itself over veth.</summary>
        private static void LinuxRatio(long megabytes)
        {
            string[] results = LinuxComparison.Measure(megabytes, out string whyNot);
            if (results == null)
            {
                Rows.Add(new Row("Linux over TAP to nanoTcp vs Linux over veth", "not measured", "ratio", whyNot));
                return;
            }
            double Rate(string path, string direction)
            {
                string[] f = results.Select(r => r.Split(' ')).First(r => r[0] == path && r[1] == direction);
                return long.Parse(f[2]) / double.Parse(f[3], System.Globalization.CultureInfo.InvariantCulture) / 1e6;
            }
            foreach (string direction in new[] { "upload", "download" })
            {
                double ours = Rate("nanotcp-tap", direction), kernel = Rate("kernel-veth", direction);
                string what = direction == "upload" ? "Linux -> stack" : "stack -> Linux";
                Rows.Add(new Row($"{what}: nanoTcp over TAP / Linux over veth", $"{ours:F0} / {kernel:F0} MB/s = {ours / kernel:F3}", "ratio",
                    $"{megabytes} MB; chargen checked byte by byte, discard counted; our rings 64 KB"));
            }
        }

        private static void IlSizes()
        {
            foreach (string assembly in new[] { "NanoTcp.Stack", "NanoTcp.Boards", "NanoTcp.Firmware", "NanoTcp.Scenarios" })
            {
                using var pe = new PEReader(File.OpenRead(Path.Combine(AppContext.BaseDirectory, assembly + ".dll")));
                MetadataReader md = pe.GetMetadataReader();
                long il = md.MethodDefinitions.Select(h => md.GetMethodDefinition(h)).Where(m => m.RelativeVirtualAddress != 0)
                    .Sum(m => (long)pe.GetMethodBody(m.RelativeVirtualAddress).GetILBytes().Length);
                Rows.Add(new Row($"IL bytes, {assembly}", $"{il} B ({il / 1024.0:F1} KB)", "< 60 KB", il < 60 * 1024 ? "met" : "missed"));
            }
        }
    }
}
