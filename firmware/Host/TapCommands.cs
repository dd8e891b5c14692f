using System;
using System.Runtime.InteropServices;
using System.Threading;
using NanoTcp.Boards.Desktop;
using NanoTcp.Boards.W5500;
using NanoTcp.Dhcp;
using NanoTcp.Firmware.Services;
using NanoTcp.Link;
using NanoTcp.Tcp;
using NanoTcp.Wire;

namespace NanoTcp.Host
{
    /// <summary>`nanotcp serve` and `nanotcp connect`: our stack on a Linux TAP interface, in real time.</summary>
    public static class TapCommands
    {
        private static volatile bool s_stop;

        /// <summary>Ctrl-C or SIGTERM arrived (for commands that run their own loop, like `sensor`).</summary>
        internal static bool StopRequested { get { return s_stop; } }

        public static int Serve(Options options)
        {
            using var host = TapHost.Open(options, options.Text("--device", "nic"));
            if (host == null)
                return 1;
            var services = new FirmwareServices(host.Stack);
            host.Services = services.Poll;
            bool announced = false;
            while (!s_stop)
            {
                host.Step();
                if (!announced && host.Stack.IsConfigured)
                {
                    Console.WriteLine($"ready {Ipv4Address.Format(host.Stack.Address)} on {host.Tap.Name}: echo 7, discard 9, chargen 19, http 80, udp echo 7; tcp: {TcpOptions.Describe(host.Stack.Config)}");
                    announced = true;
                }
            }
            Console.WriteLine("stopping: closing connections");
            host.CloseAll(1000);
            if (host.DeviceSummary != null)
                Console.WriteLine(host.DeviceSummary);
            return 0;
        }

        public static int Connect(Options options)
        {
            string to = options.Text("--to") ?? throw new UsageException("connect needs --to HOST:PORT");
            int colon = to.LastIndexOf(':');
            if (colon < 1 || !int.TryParse(to[(colon + 1)..], out int port) || port < 1 || port > 65535)
                throw new UsageException($"--to must look like 10.0.0.1:7 or name:7, not '{to}'");
            int send = options.Number("--send", 1000, 0, int.MaxValue);
            bool expectEcho = options.Has("--expect-echo");
            using var host = TapHost.Open(options, "nic");
            if (host == null)
                return 1;
            while (!host.Stack.IsConfigured && !s_stop)
                host.Step();
            uint address = ResolveTarget(host, to[..colon]);
            if (address == 0)
                return 1;
            TcpConnection c = host.Stack.Tcp.Connect(host.Stack.Address, address, port, 0);
            var chunk = new byte[1460];
            long sent = 0, received = 0, wrong = 0;
            bool closed = false;
            long deadline = host.Clock.NowMilliseconds + 60_000;
            while (!s_stop && host.Clock.NowMilliseconds < deadline)
            {
                host.Step();
                if (c.State == TcpState.Closed)
                    break;
                if (!c.IsConnected && c.State != TcpState.FinWait1 && c.State != TcpState.FinWait2)
                    continue;
                while (sent < send && c.SendSpace > 0)
                {
                    int n = (int)Math.Min(Math.Min(c.SendSpace, chunk.Length), send - sent);
                    for (int i = 0; i < n; i++) chunk[i] = DemoCommand.Pattern(sent + i);
                    sent += host.Stack.Tcp.Send(c, chunk, 0, n);
                }
                int r;
                while ((r = host.Stack.Tcp.Receive(c, chunk, 0, chunk.Length)) > 0)
                {
                    for (int i = 0; i < r; i++) if (expectEcho && chunk[i] != DemoCommand.Pattern(received + i)) wrong++;
                    received += r;
                }
                bool done = sent == send && (!expectEcho || received >= send);
                if (done && !closed)
                {
                    host.Stack.Tcp.Close(c);
                    closed = true;
                }
                if (closed && (c.State == TcpState.TimeWait || c.State == TcpState.Closed))
                    break;
            }
            bool ok = c.Error == TcpError.None && sent == send && (!expectEcho || (received == send && wrong == 0));
            Console.WriteLine($"connected to {Ipv4Address.Format(address)}:{port}: sent {sent}, received {received}" +
                              (expectEcho ? $", {wrong} wrong" : "") + $"; state {TcpStateNames.Name(c.State)}, {TcpErrorNames.Name(c.Error)}: {(ok ? "ok" : "FAILED")}");
            return ok ? 0 : 1;
        }

        private static uint ResolveTarget(TapHost host, string name)
        {
            if (Ipv4Address.TryParse(name, out uint address))
                return address;
            var dns = host.Stack.Dns;
            if (dns == null || !dns.Resolve(name))
                return 0;
            while (dns.Status == Dns.DnsStatus.Pending && !s_stop)
                host.Step();
            if (dns.Status != Dns.DnsStatus.Resolved)
            {
                Console.Error.WriteLine($"nanotcp: cannot resolve {name}: {dns.Status}");
                return 0;
            }
            Console.WriteLine($"resolved {name} to {Ipv4Address.Format(dns.Result)}");
            return dns.Result;
        }

        /// <summary>A stack on a TAP interface, stepped in real time; Ctrl-C and SIGTERM ask it to stop.</summary>
        internal sealed class TapHost : IDisposable
        {
            public TapDevice Tap;
            public PcapWriter Pcap;
            public NetworkStack Stack;
            public readonly HostClock Clock = new();
            /// <summary>The services the loop polls with the stack (serve); null for connect, which does its own work between steps.</summary>
            public AfterPoll Services;
            private HostLoop _loop;
            private TapBridge _bridge;   // --device w5500: the TAP is one port of a simulated switch
            private W5500Simulator _chip;
            private W5500Device _driver;
            private SimulatedSwitch _lan;

            public string DeviceSummary => _chip == null ? null :
                $"W5500: {_driver.Counters.FramesReceived} frames in, {_driver.Counters.FramesSent} out, {_chip.Transactions} SPI transactions; " +
                $"bridge: {_bridge.FramesFromTap} frames from the TAP, {_bridge.FramesToTap} to it; chip took {_chip.FramesDelivered}, filtered {_chip.FramesFiltered}";
            private PosixSignalRegistration _sigterm;

            public static TapHost Open(Options options, string deviceKind, StackConfig config = null)
            {
                if (deviceKind != "nic" && deviceKind != "w5500")
                    throw new UsageException($"--device must be nic or w5500, not '{deviceKind}'");
                string name = options.Text("--tap") ?? throw new UsageException("--tap NAME is required");
                bool dhcp = options.Has("--dhcp");
                bool hasIp = options.AddressWithPrefix("--ip", out uint address, out uint mask);
                if (!hasIp && !dhcp)
                    throw new UsageException("give --ip A.B.C.D/NN, or --dhcp");
                uint gateway = options.Address("--gateway");
                var mac = new byte[6];
                string macText = options.Text("--mac", "02:4e:54:00:00:02");
                if (!MacAddress.TryParse(macText, mac, 0))
                    throw new UsageException($"--mac must look like 02:4e:54:00:00:02, not '{macText}'");
                config = config ?? TcpOptions.Config(options); // the caller's (sensor), else the TCP options (connect takes none: the defaults)
                var host = new TapHost();
                try
                {
                    host.Tap = new TapDevice(name, mac) { BusyPollMicroseconds = options.Number("--busy-poll", TapDevice.DefaultBusyPollMicroseconds, 0, 10_000) };
                }
                catch (InvalidOperationException e)
                {
                    Console.Error.WriteLine("nanotcp: " + e.Message);
                    return null;
                }
                INetworkDevice device = host.Tap;
                if (deviceKind == "w5500")
                {
                    // ESP32 + W5500 (simulated): the firmware's driver over the register-level simulator, on a
                    // real-time simulated switch whose other port is the TAP.
                    var lan = new SimulatedSwitch(1) { Clock = host.Clock };
                    var chip = new W5500Simulator(lan, macText, host.Clock);
                    var driver = chip.CreateDriver(W5500BoardSettings.DevKitC, mac); // wired as the default board
                    if (!driver.Initialize())
                    {
                        Console.Error.WriteLine("nanotcp: the simulated W5500 did not come up");
                        return null;
                    }
                    host._bridge = new TapBridge(lan, host.Tap, "02:4e:54:ff:ff:fe");
                    host._lan = lan;
                    host._chip = chip;
                    host._driver = driver;
                    device = driver;
                }
                string pcap = options.Text("--pcap");
                if (pcap != null)
                    device = host.Pcap = new PcapWriter(device, pcap, () => host.Clock.NowMicroseconds);
                host.Stack = new NetworkStack(device, config, new HostRandom());
                if (dhcp)
                    host.Stack.StartDhcp();
                else
                    host.Stack.Configure(address, mask, gateway, 0);
                s_stop = false;
                Console.CancelKeyPress += (_, e) => { e.Cancel = true; s_stop = true; };
                host._sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; s_stop = true; });
                return host;
            }

            /// <summary>One HostLoop step: the stack and the services until nothing moves, then a wait on the TAP
            /// until a frame arrives or a timer (or, with --device w5500, the simulated switch) is due.</summary>
            public void Step()
            {
                if (_loop == null)
                {
                    _loop = new HostLoop(Stack, () => Services?.Invoke(), () => Clock.NowMilliseconds, (now, deadline) =>
                    {
                        long wait = deadline - Clock.NowMilliseconds;
                        Tap.WaitReadable(wait > 0 ? (int)wait : 0);
                    });
                    if (_bridge != null)
                    {
                        _loop.BeforePoll = () => _bridge.Pump();
                        _loop.NextExternal = () => _lan.NextDelivery;
                    }
                }
                _loop.Step();
            }

            /// <summary>Closes every connection gracefully and runs the stack until they are done or the time is up.</summary>
            public void CloseAll(int milliseconds)
            {
                TcpEngine tcp = Stack.Tcp;
                for (int i = 0; i < tcp.ConnectionCount; i++)
                {
                    TcpConnection c = tcp.ConnectionAt(i);
                    if (c.IsConnected)
                        tcp.Shutdown(c);
                }
                long end = Clock.NowMilliseconds + milliseconds;
                while (Clock.NowMilliseconds < end)
                    Step();
            }

            public void Dispose()
            {
                _sigterm?.Dispose();
                Pcap?.Flush();
                Pcap?.Dispose();
                Tap?.Dispose();
            }
        }
    }
}
