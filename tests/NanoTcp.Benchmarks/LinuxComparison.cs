using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using NanoTcp.Boards.Desktop;
using NanoTcp.Firmware.Services;
using NanoTcp.Wire;

namespace NanoTcp.Benchmarks
{
    /// <summary>
    /// Our stack against the Linux kernel over a TAP device, compared in the same run with the kernel against
    /// itself over a veth pair. One client (this program, on the kernel's side) talks to a discard and a chargen
    /// server on both paths, so only the server side differs. Needs root; every address lives in network
    /// namespaces this program makes (unshare --net), so no traffic leaves them.
    /// </summary>
    internal static class LinuxComparison
    {
        public const string InnerFlag = "--linux-inner", PeerFlag = "--linux-peer";
        private const string Result = "RESULT";
        private const string VethLocal = "10.78.0.1", VethPeer = "10.78.0.2";
        private const uint TapLinux = 0x0A4E0101; // 10.78.1.1; our stack is .2

        /// <summary>One chargen cycle (RFC 864 as FirmwareServices sends it), repeated to fill a send buffer.</summary>
        private static readonly byte[] Chargen = Enumerable.Range(0, FirmwareServices.ChargenCycle * 9)
            .Select(i => FirmwareServices.ChargenByte(i % FirmwareServices.ChargenCycle)).ToArray();

        /// <summary>Runs the comparison in a fresh namespace; returns lines "path direction bytes seconds", or why not.</summary>
        public static string[] Measure(long megabytes, out string whyNot)
        {
            whyNot = null;
            if (!OperatingSystem.IsLinux() || !Environment.IsPrivilegedProcess)
                whyNot = "needs root on Linux (run as .ci/run does)";
            else if (!File.Exists("/dev/net/tun"))
                whyNot = "needs /dev/net/tun";
            if (whyNot != null)
                return null;
            var (code, output) = HostCommand.Run("unshare", "--net -- " + Self(InnerFlag + " " + megabytes), 300_000);
            string[] results = output.Split('\n').Where(l => l.StartsWith(Result + " ")).Select(l => l.Substring(Result.Length + 1)).ToArray();
            if (code != 0 || results.Length != 4)
                whyNot = "the namespace run failed: " + output.Trim().Replace('\n', ' ');
            return whyNot == null ? results : null;
        }

        /// <summary>Inside the private namespace: sets up both paths, measures, prints RESULT lines.</summary>
        public static int RunInner(long megabytes)
        {
            Must("ip", "link set lo up");
            long total = megabytes << 20;

            // The kernel against itself: a veth pair whose far end sits in the peer's own namespace.
            using var peer = Process.Start(new ProcessStartInfo("unshare", "--net -- " + Self(PeerFlag)) { RedirectStandardOutput = true });
            if (peer.StandardOutput.ReadLine() != "listening")
                throw new Exception("the veth peer did not start");
            int pid = peer.Id;
            Must("ip", $"link add nb0 type veth peer name nb1 netns {pid}");
            Must("ip", $"addr add {VethLocal}/24 dev nb0");
            Must("ip", "link set nb0 up");
            Must("nsenter", $"-t {pid} -n ip link set lo up");
            Must("nsenter", $"-t {pid} -n ip addr add {VethPeer}/24 dev nb1");
            Must("nsenter", $"-t {pid} -n ip link set nb1 up");
            Print("kernel-veth", "upload", total, Upload(VethPeer, total));
            Print("kernel-veth", "download", total, Download(VethPeer, total));
            peer.Kill();

            // Our stack on a TAP, the kernel on the other side, with the rings the bulk rows use.
            var mac = new byte[6];
            MacAddress.TryParse("02:4e:54:00:00:02", mac, 0);
            using var tap = new TapDevice("nt0", mac);
            Must("ip", $"addr add {Ipv4Address.Format(TapLinux)}/24 dev nt0");
            Must("ip", "link set nt0 up");
            var config = new StackConfig();
            config.Tcp.SendBufferSize = 65535;
            config.Tcp.ReceiveBufferSize = 65535;
            var stack = new NetworkStack(tap, config, new HostRandom());
            stack.Configure(TapLinux + 1, 0xFFFFFF00, 0, 0);
            var services = new FirmwareServices(stack);
            var runner = new StackRunner(stack, new HostClock()) { WaitForFrames = tap.WaitReadable, OnPolled = services.Poll };
            runner.Start();
            try
            {
                string ours = Ipv4Address.Format(TapLinux + 1);
                Print("nanotcp-tap", "upload", total, Upload(ours, total));
                if (services.DiscardedBytes != total)
                    throw new Exception($"discard took {services.DiscardedBytes} of {total} bytes");
                Print("nanotcp-tap", "download", total, Download(ours, total));
            }
            finally
            {
                runner.Stop();
            }
            return 0;
        }

        /// <summary>In the veth peer's namespace: discard and chargen servers like the firmware's.</summary>
        public static int RunPeer()
        {
            var discard = new System.Net.Sockets.TcpListener(IPAddress.Any, ServicePorts.Discard);
            var chargen = new System.Net.Sockets.TcpListener(IPAddress.Any, ServicePorts.Chargen);
            discard.Start();
            chargen.Start();
            Console.WriteLine("listening");
            Console.Out.Flush();
            new Thread(() =>
            {
                while (true)
                    using (Socket s = discard.AcceptSocket())
                    {
                        var sink = new byte[65536];
                        try { while (s.Receive(sink) > 0) { } }
                        catch (SocketException) { } // reset by the client: next connection
                    }
            }) { IsBackground = true }.Start();
            while (true)
                using (Socket s = chargen.AcceptSocket())
                {
                    try { while (true) s.Send(Chargen); }
                    catch (SocketException) { } // the client closed: done
                }
        }

        /// <summary>Sends the bytes to discard; the clock stops when the server has closed after taking them all.</summary>
        private static double Upload(string address, long total)
        {
            using Socket s = Connect(address, ServicePorts.Discard);
            var watch = Stopwatch.StartNew();
            for (long sent = 0; sent < total;)
                sent += s.Send(Chargen, 0, (int)Math.Min(Chargen.Length, total - sent), SocketFlags.None);
            s.Shutdown(SocketShutdown.Send);
            while (s.Receive(new byte[16]) > 0) { }
            return watch.Elapsed.TotalSeconds;
        }

        /// <summary>Reads that many chargen bytes, each checked against RFC 864's pattern.</summary>
        private static double Download(string address, long total)
        {
            using Socket s = Connect(address, ServicePorts.Chargen);
            var buffer = new byte[65536];
            var watch = Stopwatch.StartNew();
            long received = 0;
            while (received < total)
            {
                int n = s.Receive(buffer, 0, (int)Math.Min(buffer.Length, total - received), SocketFlags.None);
                if (n == 0)
                    throw new Exception("chargen closed early");
                for (int k = 0; k < n;)
                {
                    int at = (int)((received + k) % FirmwareServices.ChargenCycle);
                    int run = Math.Min(n - k, Chargen.Length - at);
                    if (!buffer.AsSpan(k, run).SequenceEqual(Chargen.AsSpan(at, run)))
                        throw new Exception("chargen bytes differ from the pattern");
                    k += run;
                }
                received += n;
            }
            return watch.Elapsed.TotalSeconds;
        }

        private static Socket Connect(string address, int port)
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 30000, SendTimeout = 30000 };
            s.Connect(IPAddress.Parse(address), port);
            return s;
        }

        private static void Print(string path, string direction, long bytes, double seconds) =>
            Console.WriteLine($"{Result} {path} {direction} {bytes} {seconds:R}");

        /// <summary>The command line that starts this program again with other arguments.</summary>
        internal static string Self(string arguments)
        {
            string host = Environment.ProcessPath;
            bool viaDotnet = Path.GetFileNameWithoutExtension(host) == "dotnet";
            return $"\"{host}\" " + (viaDotnet ? $"\"{typeof(LinuxComparison).Assembly.Location}\" " : "") + arguments;
        }

        internal static void Must(string file, string arguments)
        {
            var (code, output) = HostCommand.Run(file, arguments);
            if (code != 0)
                throw new Exception($"{file} {arguments}: {output}");
        }
    }
}
