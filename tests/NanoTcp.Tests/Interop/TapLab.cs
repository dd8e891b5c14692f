using System;
using System.IO;
using System.Linq;
using NanoTcp.Boards.Desktop;
using NanoTcp.Firmware.Services;
using NanoTcp.Wire;

namespace NanoTcp.Tests.Interop
{
    /// <summary>
    /// Our stack on a TAP interface with the Linux kernel's stack as its peer. Runs only as root inside a
    /// private network namespace that holds nothing but loopback (CI: `unshare --net`), so traffic never
    /// leaves addresses this test made: the kernel side is .1 of a /24 on the TAP, our stack is .2.
    /// </summary>
    public sealed class TapLab : IDisposable
    {
        public readonly string Interface;
        public readonly uint LinuxAddress, StackAddress;
        public readonly string Reason;
        public readonly TapDevice Tap;
        public readonly PcapWriter Pcap;
        public readonly NetworkStack Stack;
        public readonly FirmwareServices Services;
        public readonly StackRunner Runner;
        public readonly string PcapPath;

        public bool CanRun => Reason == null;
        public string LinuxIp => Ipv4Address.Format(LinuxAddress);
        public string StackIp => Ipv4Address.Format(StackAddress);

        /// <summary>Why interop tests cannot run here, or null when they can.</summary>
        public static string WhyNot()
        {
            if (!OperatingSystem.IsLinux())
                return "interop tests need Linux (a TAP device)";
            if (!Environment.IsPrivilegedProcess)
                return "interop tests need root and a private network namespace: run them as .ci/run does, `unshare --net -- dotnet test --filter Category=Interop`";
            // /proc/net/dev shows this process's network namespace (/sys/class/net shows the mount's).
            string[] links = File.ReadAllLines("/proc/net/dev").Skip(2).Select(l => l.Split(':')[0].Trim())
                .Where(n => n != "lo" && !n.StartsWith("nt")).ToArray();
            if (links.Length > 0)
                return "interop tests run only in a private network namespace (found " + string.Join(", ", links) + "): use `unshare --net`";
            if (!File.Exists("/dev/net/tun"))
                return "interop tests need /dev/net/tun";
            return null;
        }

        public TapLab() : this("nt0", 0x0A4D0001) { }

        /// <param name="config">The stack's configuration; null: 8 KB rings (the issue 6 tests' choice).</param>
        internal TapLab(string name, uint linuxAddress, bool configureStack = true, StackConfig config = null)
        {
            Interface = name;
            LinuxAddress = linuxAddress;
            StackAddress = linuxAddress + 1;
            Reason = WhyNot();
            if (Reason != null)
                return;
            HostCommand.Run("ip", "link set lo up");
            var mac = new byte[6];
            MacAddress.TryParse("02:4e:54:00:00:02", mac, 0);
            Tap = new TapDevice(name, mac);
            HostCommand.Run("ip", $"addr add {LinuxIp}/24 dev {name}");
            HostCommand.Run("ip", $"link set {name} up");
            PcapPath = Path.Combine(RepoLayout.TestResults, $"interop-{name}.pcap");
            var clock = new HostClock();
            Pcap = new PcapWriter(Tap, PcapPath, () => clock.NowMicroseconds);
            if (config == null)
            {
                config = new StackConfig();
                config.Tcp.SendBufferSize = 8192;
                config.Tcp.ReceiveBufferSize = 8192;
            }
            Stack = new NetworkStack(Pcap, config, new HostRandom());
            if (configureStack)
                Stack.Configure(StackAddress, 0xFFFFFF00, 0, 0);
            Services = new FirmwareServices(Stack);
            Runner = new StackRunner(Stack, clock) { WaitForFrames = Tap.WaitReadable, InterruptWait = Tap.Interrupt, OnPolled = Services.Poll };
            Runner.Start();
        }

        public void Dispose()
        {
            if (Reason != null)
                return;
            Runner.Stop();
            Pcap.Flush();
            Pcap.Dispose();
            Tap.Dispose();
        }
    }
}
