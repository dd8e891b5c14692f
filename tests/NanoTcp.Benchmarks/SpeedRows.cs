using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using NanoTcp.Boards.Desktop;
using NanoTcp.Firmware.Services;
using NanoTcp.Scenarios;
using NanoTcp.Tcp;
using NanoTcp.Wire;

namespace NanoTcp.Benchmarks
{
    /// <summary>
    /// Issue 12 point 5: the configuration that ships, measured against anchors in the same run. One Linux
    /// client (SpeedClient) talks over a TAP to our services run by `serve`'s loop and by the device's
    /// StackRunner, and over a veth pair to the same services served by the kernel (KernelServers); all inside
    /// namespaces this program makes (unshare --net), and over a third TAP to the same services served by lwIP
    /// 2.1.3 (LwipAnchor) at ESP-IDF's windows and at 64 KB; where lwIP cannot run, issue 12's table stands in.
    /// Plus the simulated LAN in virtual time. Figures are medians of 3 with min and max; the servers take turns
    /// within each of the 3 runs, so a change in the shared machine's load shows in every server's spread.
    /// </summary>
    internal static class SpeedRows
    {
        public const string InnerFlag = "--speed-inner", OnlyFlag = "--speed-only";
        private const string RowTag = "ROW|", TableTag = "TABLE|";
        private const uint TapLinux = 0x0A4E0101; // 10.78.1.1, our stack .2, the client's other sources .11-.18
        private const string VethPeer = "10.78.0.2";
        private const uint LwipLinux = 0x0A4E0201; // 10.78.2.1, lwIP .2, the client's other sources .11-.18
        private const int Runs = 3;

        public sealed record Result(string Measure, string Value, string Target, string Verdict);

        private static readonly string[] Columns = { "echo MB/s each way", "chargen MB/s", "discard MB/s", "connections/s" };
        // Issue 12's table, lwIP 2.1 over the same kind of TAP with the same client.
        private static readonly double[] LwipEspIdf = { 67.2, 105, 75.2, 7391 };
        private static readonly double[] Lwip64K = { 148, 385, 204, 8430 };

        /// <summary>Main's dispatch for this file's processes; false when args are not ours.</summary>
        public static bool Handles(string[] args, out int code)
        {
            code = 0;
            if (args.Length > 0 && args[0] == KernelServers.PeerFlag)
                code = KernelServers.Run();
            else if (args.Length > 1 && args[0] == InnerFlag)
                code = RunInner(long.Parse(args[1]));
            else if (args.Length > 0 && args[0] == OnlyFlag)
            {
                foreach (Result r in Measure())
                    Console.WriteLine($"{r.Measure} | {r.Value} | {r.Target} | {r.Verdict}");
            }
            else
                return false;
            return true;
        }

        public static List<Result> Measure()
        {
            var rows = new List<Result>();
            rows.Add(SimulatedLanEcho());
            long megabytes = Environment.GetEnvironmentVariable("NANOTCP_SPEED_MB") is string mb ? long.Parse(mb) : 32;
            string whyNot = !OperatingSystem.IsLinux() || !Environment.IsPrivilegedProcess ? "needs root on Linux (run as .ci/run does)"
                : !File.Exists("/dev/net/tun") ? "needs /dev/net/tun" : null;
            if (whyNot != null)
            {
                rows.Add(new Result("issue 12 speed rows over TAP and veth", "not measured", "", whyNot));
                return rows;
            }
            Console.WriteLine($"speed rows: Linux over TAP and veth, {megabytes} MB per transfer, medians of {Runs} ...");
            string loadBefore = LoadAverage(), startedAt = DateTime.UtcNow.ToString("HH:mm:ss");
            var (code, output) = HostCommand.Run("unshare", "--net -- " + LinuxComparison.Self(InnerFlag + " " + megabytes), 1_200_000);
            // On a shared machine the figures follow the load: print it beside them.
            rows.Add(new Result($"speed rows: load average (1, 5, 15 min) at the start ({startedAt} UTC) / at the end ({DateTime.UtcNow:HH:mm:ss} UTC)",
                $"{loadBefore} / {LoadAverage()}", "", ""));
            foreach (string line in output.Split('\n'))
            {
                if (line.StartsWith(RowTag))
                {
                    string[] f = line.Substring(RowTag.Length).Split('|');
                    rows.Add(new Result(f[0], f[1], f[2], f[3]));
                }
                else if (line.StartsWith(TableTag))
                    Console.WriteLine(line.Substring(TableTag.Length));
            }
            if (code != 0)
                rows.Add(new Result("issue 12 speed rows", "incomplete", "", "the namespace run failed: " + output.Trim().Replace('\n', ' ')));
            return rows;
        }

        private static string LoadAverage()
        {
            try { return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
            catch (IOException) { return "unknown"; }
        }

        private readonly struct Figure
        {
            public readonly double Median, Min, Max;
            public readonly string Error;
            public Figure(double[] runs, string error)
            {
                Array.Sort(runs);
                Median = runs.Length > 0 ? runs[runs.Length / 2] : double.NaN;
                Min = runs.Length > 0 ? runs[0] : double.NaN;
                Max = runs.Length > 0 ? runs[^1] : double.NaN;
                Error = error;
            }
            public bool Ok => Error == null;
            public override string ToString() => Ok ? $"{Format(Median)} ({Format(Min)}-{Format(Max)})" : Error == NotMeasured ? "-" : "failed: " + Error;
        }

        private const string NotMeasured = "not measured";

        /// <summary>Three significant figures without exponents: 0.875, 15.3, 1480.</summary>
        private static string Format(double v) => v >= 100 ? v.ToString("F0") : v >= 10 ? v.ToString("F1") : v.ToString("F2");

        /// <summary>One server of the comparison: where it listens, and how to bring it up for one run (null:
        /// always up). Its figures gather run by run.</summary>
        private sealed class Server
        {
            public string Name; // for NANOTCP_SPEED_SERVERS
            public string Address;
            public int PortOffset;
            public IPAddress[] Sources; // null: no connection rate
            public Func<IDisposable> Start;
            public readonly List<double>[] Runs = { new(), new(), new(), new() };
            public readonly string[] Errors = new string[4];

            public Figure[] Figures() => Enumerable.Range(0, 4).Select(i => Errors[i] != null ? new Figure(Array.Empty<double>(), Errors[i])
                : Runs[i].Count == 0 ? new Figure(Array.Empty<double>(), NotMeasured) : new Figure(Runs[i].ToArray(), null)).ToArray();
        }

        /// <summary>Run by run, every server in turn (so that each run's figures share the machine's load of
        /// that moment): echo, chargen, discard in MB/s (each way for echo), then connections/s unless skipped.
        /// A server whose measure failed once is not measured on that column again.</summary>
        private static void MeasureInTurns(Server[] servers, long total)
        {
            // NANOTCP_SPEED_SERVERS=serve-64k,lwip-64k measures only those (for comparing a change quickly).
            string[] only = Environment.GetEnvironmentVariable("NANOTCP_SPEED_SERVERS")?.Split(',');
            foreach (Server s in servers)
                if (only != null && Array.IndexOf(only, s.Name) < 0)
                    Array.Fill(s.Errors, NotMeasured);
            // NANOTCP_SPEED_COLUMNS=1,3: only chargen and connections/s (0 echo, 1 chargen, 2 discard, 3 connections/s).
            string[] columns = Environment.GetEnvironmentVariable("NANOTCP_SPEED_COLUMNS")?.Split(',');
            for (int run = 0; run < Runs; run++)
                foreach (Server s in servers)
                {
                    if (Array.TrueForAll(s.Errors, e => e != null))
                        continue;
                    IDisposable up;
                    try { up = s.Start?.Invoke(); }
                    catch (Exception e)
                    {
                        for (int i = 0; i < 4; i++) s.Errors[i] ??= e.Message;
                        continue;
                    }
                    using (up)
                        for (int i = 0; i < 4; i++)
                        {
                            if (s.Errors[i] != null || (i == 3 && s.Sources == null) || (columns != null && Array.IndexOf(columns, i.ToString()) < 0))
                                continue;
                            try
                            {
                                s.Runs[i].Add(i switch
                                {
                                    0 => total / SpeedClient.Echo(s.Address, ServicePorts.Echo + s.PortOffset, total) / 1e6,
                                    1 => total / SpeedClient.Chargen(s.Address, ServicePorts.Chargen + s.PortOffset, total) / 1e6,
                                    2 => total / SpeedClient.Discard(s.Address, ServicePorts.Discard + s.PortOffset, total) / 1e6,
                                    _ => SpeedClient.ConnectionsPerSecond(s.Address, ServicePorts.Echo + s.PortOffset, s.Sources, 2.0),
                                });
                            }
                            catch (Exception e) { s.Errors[i] = e.Message; }
                        }
                }
        }

        private static void Row(string measure, string value, string target, string verdict) =>
            Console.WriteLine($"{RowTag}{measure}|{value}|{target}|{verdict}");

        private static string Ratio(Figure ours, Figure anchor, double bar, out double ratio)
        {
            ratio = ours.Median / anchor.Median;
            if (!ours.Ok || !anchor.Ok)
                return "not measured";
            return ratio >= bar ? "met" : "missed";
        }

        /// <summary>Inside the private namespace: both paths, every measure, ROW and TABLE lines.</summary>
        private static int RunInner(long megabytes)
        {
            LinuxComparison.Must("ip", "link set lo up");
            long total = megabytes << 20;

            // The kernel's servers in the veth peer's namespace.
            using var peer = Process.Start(new ProcessStartInfo("unshare", "--net -- " + LinuxComparison.Self(KernelServers.PeerFlag)) { RedirectStandardOutput = true });
            string[] listening = (peer.StandardOutput.ReadLine() ?? "").Split(' ');
            if (listening[0] != "listening")
                throw new Exception("the veth peer did not start");
            string buffers = $"SO_RCVBUF/SO_SNDBUF set to 2048, read back {listening[1]}/{listening[2]}";
            int pid = peer.Id;
            LinuxComparison.Must("ip", $"link add nb0 type veth peer name nb1 netns {pid}");
            LinuxComparison.Must("ip", "addr add 10.78.0.1/24 dev nb0");
            LinuxComparison.Must("ip", "link set nb0 up");
            LinuxComparison.Must("nsenter", $"-t {pid} -n ip link set lo up");
            LinuxComparison.Must("nsenter", $"-t {pid} -n ip addr add {VethPeer}/24 dev nb1");
            LinuxComparison.Must("nsenter", $"-t {pid} -n ip link set nb1 up");
            var kernelSmallServer = new Server { Name = "linux-2k", Address = VethPeer };
            var kernelDefaultServer = new Server { Name = "linux-auto", Address = VethPeer, PortOffset = KernelServers.DefaultOffset };
            // The same 2 KB servers with the veth's segmentation offloads off (ethtool -K: no TSO/GSO super-segments
            // from the server, no GRO at the client), so each skb carries at most one MSS, as each of our TAP writes does.
            var kernelSmallNoGsoServer = new Server { Name = "linux-2k-nogso", Address = VethPeer, Start = () => new VethOffloads(pid) };

            // Ours on a TAP: serve's loop and the device's StackRunner at the default configuration, serve's loop with 64 KB rings.
            uint[] extra = Enumerable.Range(11, 8).Select(i => (TapLinux & 0xFFFFFF00) | (uint)i).ToArray();
            IPAddress[] sources = new[] { TapLinux }.Concat(extra).Select(a => IPAddress.Parse(Ipv4Address.Format(a))).ToArray();
            var large = new StackConfig();
            large.Tcp.SendBufferSize = large.Tcp.ReceiveBufferSize = 65535;
            var tapCounts = new Dictionary<string, TapServer.TapCounts>();
            Server Ours(string name, bool serveLoop, Func<StackConfig> config)
            {
                var counts = tapCounts[name] = new TapServer.TapCounts();
                return new Server
                {
                    Name = name, Address = Ipv4Address.Format(TapLinux + 1), Sources = sources,
                    Start = () => new TapServer(serveLoop, config(), TapLinux, extra, counts),
                };
            }
            Server serveDefaultServer = Ours("serve-default", true, () => new StackConfig());
            Server runnerDefaultServer = Ours("runner-default", false, () => new StackConfig());
            Server serveLargeServer = Ours("serve-64k", true, () => large);

            // lwIP on its own TAP, the same client and sources.
            string lwipProgram = LwipAnchor.Build(out string lwipWhyNot);
            uint[] lwipExtra = Enumerable.Range(11, 8).Select(i => (LwipLinux & 0xFFFFFF00) | (uint)i).ToArray();
            IPAddress[] lwipSources = new[] { LwipLinux }.Concat(lwipExtra).Select(a => IPAddress.Parse(Ipv4Address.Format(a))).ToArray();
            Server Lwip(string name, int window, int mss) => new Server
            {
                Name = name, Address = Ipv4Address.Format(LwipLinux + 1), Sources = lwipSources,
                Start = () => lwipProgram == null ? throw new Exception(lwipWhyNot) : new LwipAnchor(lwipProgram, window, mss, LwipLinux, lwipExtra),
            };
            Server lwipIdfServer = Lwip("lwip-idf", LwipAnchor.EspIdfWindow, LwipAnchor.EspIdfMss);
            Server lwipLargeServer = Lwip("lwip-64k", LwipAnchor.LargeWindow, LwipAnchor.LargeMss);

            MeasureInTurns(new[] { serveDefaultServer, runnerDefaultServer, serveLargeServer, lwipIdfServer, lwipLargeServer, kernelSmallServer, kernelSmallNoGsoServer, kernelDefaultServer }, total);
            peer.Kill();
            Figure[] serveDefault = serveDefaultServer.Figures(), runnerDefault = runnerDefaultServer.Figures(), serveLarge = serveLargeServer.Figures();
            Figure[] lwipIdf = lwipIdfServer.Figures(), lwipLarge = lwipLargeServer.Figures();
            Figure[] kernelSmall = kernelSmallServer.Figures(), kernelDefault = kernelDefaultServer.Figures();
            Figure[] kernelSmallNoGso = kernelSmallNoGsoServer.Figures();
            string noGso = $"Linux over veth, {buffers}, TSO/GSO/GRO off";

            string[] service = { "echo (each way)", "chargen", "discard" };
            for (int i = 0; i < 3; i++)
            {
                Row($"default config, Linux over TAP, {service[i]}: serve's loop", $"{serveDefault[i]} MB/s", ">= 10 MB/s",
                    serveDefault[i].Ok ? (serveDefault[i].Median >= 10 ? "met" : "missed") : "not measured");
                Row($"default config, Linux over TAP, {service[i]}: StackRunner (the device's loop)", $"{runnerDefault[i]} MB/s", ">= 10 MB/s",
                    runnerDefault[i].Ok ? (runnerDefault[i].Median >= 10 ? "met" : "missed") : "not measured");
            }
            for (int i = 0; i < 3; i++)
            {
                string verdict = Ratio(serveDefault[i], kernelSmall[i], 0.5, out double r);
                Row($"{service[i]}: serve default / Linux over veth, {buffers}", $"{Format(serveDefault[i].Median)} / {kernelSmall[i]} MB/s = {r:F2}x", ">= 0.5x", verdict);
            }
            for (int i = 0; i < 3; i++)
            {
                string verdict = Ratio(serveDefault[i], kernelSmallNoGso[i], 0.5, out double r);
                Row($"{service[i]}: serve default / {noGso}", $"{Format(serveDefault[i].Median)} / {kernelSmallNoGso[i]} MB/s = {r:F2}x", ">= 0.5x (an extra row: one MSS per skb)", verdict);
            }
            // Against lwIP run here when it ran, else against issue 12's table (another machine).
            Figure LwipOrTable(Figure live, double table, out string source)
            {
                source = live.Ok ? "live, this run" : "issue 12's table; live: " + live;
                return live.Ok ? live : new Figure(new[] { table }, null);
            }
            for (int i = 0; i < 4; i++)
            {
                Figure idf = LwipOrTable(lwipIdf[i], LwipEspIdf[i], out string idfSource);
                Figure big = LwipOrTable(lwipLarge[i], Lwip64K[i], out string bigSource);
                string v1 = Ratio(serveDefault[i], idf, 0.5, out double r1);
                Row($"{Columns[i]}: serve default / lwIP, ESP-IDF windows ({idfSource})", $"{serveDefault[i]} / {idf} = {r1:F2}x", ">= 0.5x", v1);
                string v2 = Ratio(serveLarge[i], big, 1.0, out double r2);
                Row($"{Columns[i]}: serve 64 KB rings / lwIP, 64 KB windows ({bigSource})", $"{serveLarge[i]} / {big} = {r2:F2}x", ">= 1.0x", v2);
            }
            for (int i = 0; i < 3; i++)
            {
                string verdict = Ratio(serveLarge[i], kernelDefault[i], 0, out double r);
                Row($"{service[i]}: serve 64 KB rings / Linux over veth, autotuned buffers", $"{Format(serveLarge[i].Median)} / {kernelDefault[i]} MB/s = {r:F2}x", "ratio", verdict == "met" ? "" : verdict);
            }
            foreach (var (name, counts) in tapCounts)
                Row($"TAP system calls, {name}, all its runs (GSO writes and reads join segments: TapDevice)", counts.ToString(), "", "");
            Row($"connections/s from Linux over TAP, default config (100 B echoed, client closes first, 9 source addresses; {ConnectRateClient.Name})",
                $"{serveDefault[3]}/s serve, {runnerDefault[3]}/s StackRunner", ">= 7,391/s (lwIP)",
                serveDefault[3].Ok ? (serveDefault[3].Median >= 7391 ? "met" : "missed") : "not measured");

            // The issue's table shape, for the README.
            Console.WriteLine($"{TableTag}| server | {string.Join(" | ", Columns)} |");
            Console.WriteLine($"{TableTag}|---|---|---|---|---|");
            void Line(string name, Figure[] f) => Console.WriteLine($"{TableTag}| {name} | {string.Join(" | ", f.Select(x => x.ToString()))} |");
            Line("`nanotcp serve`'s loop, default", serveDefault);
            Line("StackRunner (the device's loop), default", runnerDefault);
            Line("`nanotcp serve`'s loop, 64 KB rings", serveLarge);
            Line($"Linux over veth, {buffers}", kernelSmall);
            Line(noGso, kernelSmallNoGso);
            Line("Linux over veth, autotuned buffers", kernelDefault);
            Line($"lwIP 2.1.3 (Debian), ESP-IDF windows ({LwipAnchor.EspIdfWindow} B, MSS {LwipAnchor.EspIdfMss})", lwipIdf);
            Line($"lwIP 2.1.3 (Debian), 64 KB windows ({LwipAnchor.LargeWindow} B, MSS {LwipAnchor.LargeMss})", lwipLarge);
            return 0;
        }

        /// <summary>1 MB echoed between two stacks at the default configuration on a simulated LAN, virtual time:
        /// against window / RTT (the link model delivers each frame LatencyMs after it was sent, whatever its
        /// size: no rate limit, so the window is the bound).</summary>
        private static Result SimulatedLanEcho()
        {
            const int LatencyMs = 1, Total = 1 << 20;
            var lan = new SimulatedSwitch(12);
            var link = new LinkFaults { DelayMs = LatencyMs };
            var device = new NetworkStack(lan.AddNic("device", "02:00:00:00:00:02", link), new StackConfig(), new SeededRandom(5));
            var client = new NetworkStack(lan.AddNic("client", "02:00:00:00:00:01", link), new StackConfig(), new SeededRandom(6));
            device.Configure(0x0A000002, 0xFFFFFF00, 0, 0);
            client.Configure(0x0A000001, 0xFFFFFF00, 0, 0);
            var services = new FirmwareServices(device);
            TcpConnection c = client.Tcp.Connect(0x0A000001, 0x0A000002, ServicePorts.Echo, 0);
            byte[] pattern = LinuxComparison.Chargen;
            var sink = new byte[4096];
            long sent = 0, received = 0, wrong = 0, startedAt = -1;
            while (received < Total && lan.Now < 600_000)
            {
                long next = QuietPoll.Run(device, services.Poll, lan.Now);
                next = Math.Min(next, client.Poll(lan.Now));
                if (c.IsConnected && startedAt < 0)
                    startedAt = lan.Now;
                while (c.IsConnected && sent < Total && c.SendSpace > 0)
                {
                    int at = (int)(sent % FirmwareServices.ChargenCycle);
                    sent += client.Tcp.Send(c, pattern, at, (int)Math.Min(Math.Min(c.SendSpace, pattern.Length - at), Total - sent));
                }
                int n;
                bool read = false;
                while ((n = client.Tcp.Receive(c, sink, 0, sink.Length)) > 0)
                {
                    for (int k = 0; k < n; k++)
                        if (sink[k] != pattern[(received + k) % FirmwareServices.ChargenCycle]) wrong++;
                    received += n;
                    read = true;
                }
                if (read)
                    continue; // the read may have opened the window: poll again before time moves
                next = Math.Min(next, lan.NextDelivery);
                lan.Now = next > lan.Now && next != long.MaxValue ? next : lan.Now + 1;
            }
            double seconds = (lan.Now - startedAt) / 1000.0;
            double rate = received / seconds;
            int window = new StackConfig().Tcp.ReceiveBufferSize;
            double bound = window / (2 * LatencyMs / 1000.0);
            string verdict = wrong != 0 || received < Total ? "FAILED: " + (wrong != 0 ? $"{wrong} bytes wrong" : $"{received} of {Total} echoed")
                : rate >= 0.8 * bound ? "met" : "missed";
            return new Result($"simulated LAN, virtual time, default config: 1 MB echoed (one-way latency {LatencyMs} ms, no rate limit, bound = {window} B window / {2 * LatencyMs} ms RTT)",
                $"{rate / 1e6:F3} MB/s = {rate / bound:P0} of {bound / 1e6:F3} MB/s", ">= 80 % of the bound", verdict);
        }
    }
}
