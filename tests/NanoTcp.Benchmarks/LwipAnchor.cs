using System;
using System.Diagnostics;
using System.IO;
using NanoTcp.Boards.Desktop;
using NanoTcp.Wire;

namespace NanoTcp.Benchmarks
{
    /// <summary>The speed rows' live lwIP anchor (issue 12 point 5): tests/LwipAnchor/lwip_anchor.c, built here
    /// with gcc against Debian's liblwip-dev (lwIP 2.1.3, tapif), serving echo, discard and chargen on its own
    /// TAP inside the speed rows' namespace. One instance per window configuration.</summary>
    internal sealed class LwipAnchor : IDisposable
    {
        private const string Tap = "lw0";
        private const string WindowScaling = "/proc/sys/net/ipv4/tcp_window_scaling";
        private readonly Process _process;
        private readonly string _scalingBefore;

        /// <summary>ESP-IDF's defaults as the Arduino-ESP32 sdkconfig sets them (CONFIG_LWIP_TCP_MSS 1436,
        /// TCP_WND and TCP_SND_BUF 5744), and the library's own 64 KB (TCP_WND = TCP_SND_BUF = 65535).</summary>
        public const int EspIdfWindow = 5744, EspIdfMss = 1436, LargeWindow = 65535, LargeMss = 1460;

        /// <summary>The program, built into the benchmark's output folder; null with the reason when it cannot be.</summary>
        public static string Build(out string whyNot)
        {
            whyNot = null;
            string source = RepoFile.Find(Path.Combine("tests", "LwipAnchor", "lwip_anchor.c"));
            if (source == null)
                whyNot = "tests/LwipAnchor/lwip_anchor.c not found above " + AppContext.BaseDirectory;
            else if (!File.Exists("/usr/include/lwip/lwipopts.h"))
                whyNot = "liblwip-dev is not installed (apt-get install liblwip-dev)";
            if (whyNot != null)
                return null;
            string program = Path.Combine(AppContext.BaseDirectory, "lwip_anchor");
            var (code, output) = HostCommand.Run("gcc", $"-O2 -Wall -I/usr/include/lwip -rdynamic -o \"{program}\" \"{source}\" -llwip -ldl -lpthread", 120_000);
            if (code != 0)
            {
                whyNot = "gcc failed: " + output.Trim().Replace('\n', ' ');
                return null;
            }
            return program;
        }

        /// <summary>Starts lwIP at lwipAddress on a new TAP whose kernel side gets linuxAddress and the extra
        /// client addresses. The client's window scaling is off meanwhile: ESP-IDF builds lwIP without it
        /// (LWIP_WND_SCALE 0), our stack has none, and the library's scaling code asserts that the window
        /// is the compiled 64 KB when the SYN offers scaling.</summary>
        public LwipAnchor(string program, int window, int mss, uint linuxAddress, uint[] extraLinuxAddresses)
        {
            _scalingBefore = File.ReadAllText(WindowScaling).Trim();
            try
            {
                File.WriteAllText(WindowScaling, "0");
                _process = Process.Start(new ProcessStartInfo(program, $"{Tap} {Ipv4Address.Format(linuxAddress + 1)} {window} {mss}")
                    { RedirectStandardOutput = true, RedirectStandardError = true });
                _process.ErrorDataReceived += (_, e) => { }; // tapif's "write: Input/output error" before the link is up
                _process.BeginErrorReadLine();
                string line = _process.StandardOutput.ReadLine() ?? "";
                if (!line.StartsWith("listening"))
                    throw new Exception("lwip_anchor did not start: " + line);
                LinuxComparison.Must("ip", $"addr add {Ipv4Address.Format(linuxAddress)}/24 dev {Tap}");
                foreach (uint extra in extraLinuxAddresses)
                    LinuxComparison.Must("ip", $"addr add {Ipv4Address.Format(extra)}/24 dev {Tap}");
                LinuxComparison.Must("ip", $"link set {Tap} up");
            }
            catch
            {
                Dispose(); // the process ends, the TAP with it, and the client's window scaling is as it was
                throw;
            }
        }

        public void Dispose()
        {
            if (_process != null)
            {
                if (!_process.HasExited)
                    _process.Kill();
                _process.WaitForExit();
                _process.Dispose();
            }
            File.WriteAllText(WindowScaling, _scalingBefore);
        }
    }
}
