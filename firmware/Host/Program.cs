using System;

namespace NanoTcp.Host
{
    /// <summary>Entry point of the desktop command `nanotcp`.</summary>
    public static class Program
    {
        private const string Usage =
@"usage: nanotcp [command] [options]
  demo      (default) the device and a client on a simulated LAN: echo, close, TIME_WAIT
            --device w5500|nic (w5500: the W5500 driver over a register-level simulator)
            --loss PERCENT  --seed N  --bytes N  --pcap FILE (nanotcp-demo.pcap)  --dhcp  --quiet
            the device's TCP: " + TcpOptions.Usage + @"
  serve     the firmware's services on a Linux TAP interface (needs root or CAP_NET_ADMIN)
            --tap NAME --ip A.B.C.D/NN [--gateway G] [--dhcp] [--mac M] [--pcap FILE]
            [--device nic|w5500]  (w5500: ESP32 + W5500 simulated, bridged to the TAP)
            [--busy-poll US]  (look for frames this long before sleeping on the TAP; 100, 0: never)
            " + TcpOptions.Usage + @"
  connect   an active open from our stack on a TAP interface to a peer
            --tap NAME --ip A.B.C.D/NN --to HOST:PORT [--send N] [--expect-echo] [--pcap FILE]
  sensor    the sensor sample on a TAP interface: DHCP (or --ip), SNTP, a reading to MQTT every few seconds
            --tap NAME (--dhcp | --ip A.B.C.D/NN [--gateway G]) --broker HOST [--id ID] [--interval MS]
            [--ntp A.B.C.D] [--count N (exit 0 once N readings were acknowledged)] [--mac M] [--pcap FILE]
  help      this text";

        private static string[] Valued(string[] more, params string[] names)
        {
            var all = new string[names.Length + more.Length];
            names.CopyTo(all, 0);
            more.CopyTo(all, names.Length);
            return all;
        }

        public static int Main(string[] args)
        {
            string command = args.Length == 0 || args[0].StartsWith("--") ? "demo" : args[0];
            int start = args.Length == 0 || args[0].StartsWith("--") ? 0 : 1;
            try
            {
                switch (command)
                {
                    case "demo":
                        return DemoCommand.Run(Options.Parse(args, start, Valued(TcpOptions.Names, "--loss", "--seed", "--bytes", "--pcap", "--device"), new[] { "--quiet", "--dhcp" }));
                    case "serve":
                        return TapCommands.Serve(Options.Parse(args, start, Valued(TcpOptions.Names, "--tap", "--ip", "--gateway", "--mac", "--pcap", "--device", "--busy-poll"), new[] { "--dhcp" }));
                    case "connect":
                        return TapCommands.Connect(Options.Parse(args, start, new[] { "--tap", "--ip", "--gateway", "--mac", "--pcap", "--to", "--send" }, new[] { "--expect-echo" }));
                    case "sensor":
                        return SensorCommand.Run(Options.Parse(args, start, new[] { "--tap", "--ip", "--gateway", "--mac", "--pcap", "--broker", "--id", "--interval", "--ntp", "--count" }, new[] { "--dhcp" }));
                    case "help":
                    case "--help":
                    case "-h":
                        Console.WriteLine(Usage);
                        return 0;
                    default:
                        throw new UsageException($"unknown command '{command}'");
                }
            }
            catch (UsageException e)
            {
                Console.Error.WriteLine("nanotcp: " + e.Message);
                Console.Error.WriteLine(Usage);
                return 2;
            }
        }
    }
}
