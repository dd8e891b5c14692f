using System;
using System.Threading;
using NanoTcp.Boards.Desktop;
using NanoTcp.Firmware.Services;
using NanoTcp.Host;
using NanoTcp.Wire;

namespace NanoTcp.Benchmarks
{
    /// <summary>The firmware's services on our stack on a TAP, run by one of the two loops that ship: `nanotcp
    /// serve`'s HostLoop on its own thread, or the device's StackRunner (poll thread, TAP wait interruptible).
    /// Inside the speed rows' namespace only.</summary>
    internal sealed class TapServer : IDisposable
    {
        public const string Name = "nt0";
        private readonly TapDevice _tap;
        private readonly StackRunner _runner;
        private readonly Thread _serveLoop;
        private volatile bool _stop;

        public readonly FirmwareServices Services;

        /// <summary>The TAP's system calls per frame over every run of one server (TapDevice's counters, summed).</summary>
        public sealed class TapCounts
        {
            public long FramesOut, Writes, FramesIn, Reads, Dropped;
            public override string ToString() => FramesOut == 0 ? "not measured" :
                $"{FramesOut:N0} frames out in {Writes:N0} writes ({(double)FramesOut / Writes:F2} a write), {FramesIn:N0} in from {Reads:N0} reads ({(double)FramesIn / Math.Max(1, Reads):F2} a read), {Dropped} dropped";
        }

        private readonly TapCounts _counts;

        public TapServer(bool serveLoop, StackConfig config, uint linuxAddress, uint[] extraLinuxAddresses, TapCounts counts = null)
        {
            _counts = counts;
            var mac = new byte[6];
            MacAddress.TryParse("02:4e:54:00:00:02", mac, 0);
            // NANOTCP_TAP_OFFLOADS=0: no vnet header, one write(2) and one read(2) per frame, as before TcpSegmentCoalescer and GsoFrameSplitter (for A/B runs).
            _tap = new TapDevice(Name, mac, Environment.GetEnvironmentVariable("NANOTCP_TAP_OFFLOADS") != "0");
            // NANOTCP_TAP_BUSY_POLL_US: WaitReadable's spin before it sleeps (TapDevice.BusyPollMicroseconds; 0: none).
            if (int.TryParse(Environment.GetEnvironmentVariable("NANOTCP_TAP_BUSY_POLL_US"), out int busyPoll))
                _tap.BusyPollMicroseconds = busyPoll;
            LinuxComparison.Must("ip", $"addr add {Ipv4Address.Format(linuxAddress)}/24 dev {Name}");
            foreach (uint extra in extraLinuxAddresses)
                LinuxComparison.Must("ip", $"addr add {Ipv4Address.Format(extra)}/24 dev {Name}");
            LinuxComparison.Must("ip", $"link set {Name} up");
            var clock = new HostClock();
            var stack = new NetworkStack(_tap, config, new HostRandom());
            stack.Configure(linuxAddress + 1, 0xFFFFFF00, 0, 0);
            Services = new FirmwareServices(stack);
            if (serveLoop)
            {
                var loop = new HostLoop(stack, Services.Poll, () => clock.NowMilliseconds, (now, deadline) =>
                {
                    long wait = deadline - clock.NowMilliseconds;
                    _tap.WaitReadable(wait > 0 ? (int)wait : 0);
                });
                _serveLoop = new Thread(() => { while (!_stop) loop.Step(); }) { Name = "serve-loop" };
                _serveLoop.Start();
            }
            else
            {
                _runner = new StackRunner(stack, clock) { WaitForFrames = _tap.WaitReadable, InterruptWait = _tap.Interrupt, OnPolled = Services.Poll };
                _runner.Start();
            }
        }

        public void Dispose()
        {
            _stop = true;
            _tap.Interrupt();
            _serveLoop?.Join();
            _runner?.Stop();
            _tap.Dispose();
            if (_counts != null)
            {
                _counts.FramesOut += _tap.FramesWritten;
                _counts.Writes += _tap.Writes;
                _counts.FramesIn += _tap.FramesReceived;
                _counts.Reads += _tap.Reads;
                _counts.Dropped += _tap.FramesDropped + _tap.FramesTransmitFailed;
            }
        }
    }
}
