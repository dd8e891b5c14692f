using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using NanoTcp.Boards.Desktop;
using NanoTcp.Firmware.Services;
using NanoTcp.Link;
using NanoTcp.Mqtt;
using NanoTcp.Scenarios;
using NanoTcp.Sensor;
using NanoTcp.Sockets;
using NanoTcp.Wire;

namespace NanoTcp.Benchmarks
{
    /// <summary>
    /// Issue 15: what the stack and each component on top cost in RAM (host measurement, as the footprint
    /// row), and MQTT publish rates against Debian's mosquitto over a TAP, inside a namespace this program
    /// makes (unshare --net), at the client's and the stack's default configuration: 128-byte payloads to a
    /// 16-byte topic, QoS 0 (rate handed to TCP; mosquitto's own $SYS count says how many it took) and QoS 1
    /// (rate acknowledged by PUBACK).
    /// </summary>
    internal static class MqttRows
    {
        public const string InnerFlag = "--mqtt-inner", OnlyFlag = "--mqtt-only";
        private const string RowTag = "MQTTROW|";
        private const uint TapLinux = 0x0A540001; // 10.84.0.1; our stack is .2
        private const int SecondsPerRate = 3;

        public sealed record Result(string Measure, string Value, string Target, string Verdict);

        /// <summary>Main's dispatch: the namespace run, or these rows alone (--mqtt-only); false when args are not ours.</summary>
        public static bool Handles(string[] args, out int code)
        {
            code = 0;
            if (args.Length > 0 && args[0] == InnerFlag)
                code = RunInner();
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
            var rows = Footprints();
            string whyNot = !OperatingSystem.IsLinux() || !Environment.IsPrivilegedProcess ? "needs root on Linux (run as .ci/run does)"
                : !File.Exists("/dev/net/tun") ? "needs /dev/net/tun"
                : !File.Exists("/usr/sbin/mosquitto") ? "needs mosquitto (apt-get install mosquitto mosquitto-clients)" : null;
            if (whyNot != null)
            {
                rows.Add(new Result("MQTT publish rates to mosquitto over the TAP", "not measured", "", whyNot));
                return rows;
            }
            var (code, output) = HostCommand.Run("unshare", "--net -- " + LinuxComparison.Self(InnerFlag), 120_000);
            foreach (string line in output.Split('\n').Where(l => l.StartsWith(RowTag)))
            {
                string[] f = line.Substring(RowTag.Length).Split('|');
                rows.Add(new Result(f[0], f[1], f[2], f[3]));
            }
            if (code != 0)
                rows.Add(new Result("MQTT publish rates", "incomplete", "", "the namespace run failed: " + output.Trim().Replace('\n', ' ')));
            return rows;
        }

        // ---- RAM ----------------------------------------------------------------------------------

        /// <summary>Bytes allocated to build a stack from what reserve reserved, plus what create builds on it.</summary>
        private static long Cost(Action<StackConfigBuilder> reserve, Action<StackRunner> create)
        {
            var lan = new SimulatedSwitch(3);
            INetworkDevice nic = lan.AddNic("x", "02:00:00:00:00:0c");
            var random = new SeededRandom(1);
            var clock = new VirtualBoardClock();
            var builder = new StackConfigBuilder();
            reserve(builder);
            StackConfig config = builder.Build();
            long before = GC.GetAllocatedBytesForCurrentThread();
            var stack = new NetworkStack(nic, config, random);
            stack.StartDhcp(); // the minimum includes the DHCP client
            stack.Configure(0x0A000002, 0xFFFFFF00, 0, 0x0A000001);
            var runner = new StackRunner(stack, clock);
            create(runner);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        private static List<Result> Footprints()
        {
            var mqtt = new MqttConfig { BrokerHost = "10.0.0.1" };
            var sensor = new SensorConfig { BrokerHost = "10.0.0.1" };
            void Nothing(StackRunner r) { }
            void Services(StackRunner r) => new FirmwareServices(r.Stack);
            void Dns(StackRunner r) => _ = r.Stack.Dns;
            void Client(StackRunner r) => new MqttClient(new SocketFactory(r), mqtt);
            void Sensor(StackRunner r) { new FirmwareServices(r.Stack); new SensorNode(new SocketFactory(r), sensor, new SeededRandom(2), SimulatedThermometer.Read); }
            for (int warm = 0; warm < 2; warm++) // the first run of each constructor costs the runtime type loading
            {
                Cost(b => { }, Nothing);
                Cost(FirmwareServices.Reserve, Services);
                Cost(b => b.AddDnsResolver(), Dns);
                Cost(b => MqttClient.Reserve(b, mqtt), Client);
                Cost(b => { FirmwareServices.Reserve(b); SensorNode.Reserve(b, sensor); }, Sensor);
            }
            long minimum = Cost(b => { }, Nothing);
            long services = Cost(FirmwareServices.Reserve, Services) - minimum;
            long dns = Cost(b => b.AddDnsResolver(), Dns) - minimum;
            long client = Cost(b => MqttClient.Reserve(b, mqtt), Client) - minimum;
            long connection = Cost(b => b.AddTcpConnections(1), Nothing) - minimum;
            long sample = Cost(b => { FirmwareServices.Reserve(b); SensorNode.Reserve(b, sensor); }, Sensor);
            string Kb(long b) => $"{b} B ({b / 1024.0:F1} KB)";
            return new List<Result>
            {
                new("RAM: stack minimum (ARP, IPv4, ICMP, DHCP client; no socket)", Kb(minimum), "", ""),
                new("RAM: + firmware services (4 listeners, 2 connections, UDP echo)", "+" + Kb(services), "", ""),
                new("RAM: + DNS resolver (its UDP socket and cache)", "+" + Kb(dns), "", ""),
                new("RAM: + MQTT client, default MqttConfig (its buffers and its TCP connection)", $"+{Kb(client)}, of which the connection {connection} B", "", ""),
                new("RAM: sensor sample firmware (services + MQTT + SNTP, StackConfigBuilder)", Kb(sample), "", ""),
            };
        }

        // ---- Rates, inside the namespace -----------------------------------------------------------

        private static int RunInner()
        {
            LinuxComparison.Must("ip", "link set lo up");
            var mac = new byte[6];
            MacAddress.TryParse("02:4e:54:00:00:02", mac, 0);
            using var tap = new TapDevice("nt7", mac);
            string linux = Ipv4Address.Format(TapLinux);
            LinuxComparison.Must("ip", $"addr add {linux}/24 dev nt7");
            LinuxComparison.Must("ip", "link set nt7 up");
            string dir = Directory.CreateTempSubdirectory("nanotcp-bench-mqtt").FullName;
            File.WriteAllText(Path.Combine(dir, "mosquitto.conf"), $"listener 1883 {linux}\nallow_anonymous true\npersistence false\nsys_interval 1\n");
            using var broker = Process.Start(new ProcessStartInfo("/usr/sbin/mosquitto", $"-c {dir}/mosquitto.conf") { RedirectStandardError = true, RedirectStandardOutput = true });
            System.Threading.Thread.Sleep(500);
            var config = new MqttConfig { BrokerHost = linux, ClientId = "nanotcp-bench" };
            var builder = new StackConfigBuilder();
            MqttClient.Reserve(builder, config);
            var stack = new NetworkStack(tap, builder.Build(), new HostRandom());
            stack.Configure(TapLinux + 1, 0xFFFFFF00, 0, 0);
            var runner = new StackRunner(stack, new HostClock()) { WaitForFrames = tap.WaitReadable, InterruptWait = tap.Interrupt };
            var client = new MqttClient(new SocketFactory(runner), config);
            runner.OnPolled = () => client.Poll(runner.NowMs);
            runner.Start();
            try
            {
                client.Start();
                if (!client.WaitUntilConnected(10000))
                    throw new Exception("no connection to mosquitto: " + client.LastSocketError);
                var topic = new MqttTopic("bench/nanotcp/q0");
                var payload = new byte[128];
                double qos0 = Rate(runner, client, topic, payload, 0, out int sent0);
                double qos1 = Rate(runner, client, new MqttTopic("bench/nanotcp/q1"), payload, 1, out int sent1);
                int acknowledged = client.PubAcksReceived;
                System.Threading.Thread.Sleep(2500); // $SYS is published every sys_interval (1 s)
                var (code, received) = HostCommand.Run("/usr/bin/mosquitto_sub", $"-h {linux} -t $SYS/broker/publish/messages/received -C 1 -W 5", 10000);
                Row($"MQTT QoS 0 publish rate to mosquitto over the TAP (128 B payload, 16 B topic)", $"{qos0:F0} msg/s",
                    "", $"mosquitto counted {received.Trim()} PUBLISH received of {sent0 + sent1} sent");
                Row($"MQTT QoS 1 publish rate to mosquitto over the TAP (acknowledged; {config.InflightMessages} in flight)", $"{qos1:F0} msg/s",
                    "", $"{acknowledged} of {sent1} acknowledged");
            }
            finally
            {
                client.Stop();
                runner.Stop();
                broker.Kill();
            }
            return 0;
        }

        /// <summary>Publishes for SecondsPerRate from this thread (the blocking layer's way); messages per second:
        /// taken by the client at QoS 0, acknowledged at QoS 1.</summary>
        private static double Rate(StackRunner runner, MqttClient client, MqttTopic topic, byte[] payload, int qos, out int sent)
        {
            int ackedBefore = client.PubAcksReceived;
            sent = 0;
            var watch = Stopwatch.StartNew();
            while (watch.ElapsedMilliseconds < SecondsPerRate * 1000)
            {
                payload[0] = (byte)sent;
                if (client.Publish(topic, payload, 0, payload.Length, qos, false))
                    sent++;
                else
                    runner.AwaitProgress(runner.NowMs + 5);
            }
            if (qos == 0)
                return sent / watch.Elapsed.TotalSeconds;
            client.WaitUntilAcknowledged(5000);
            return (client.PubAcksReceived - ackedBefore) / watch.Elapsed.TotalSeconds;
        }

        private static void Row(string measure, string value, string target, string verdict) =>
            Console.WriteLine($"{RowTag}{measure}|{value}|{target}|{verdict}");
    }
}
