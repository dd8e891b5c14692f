using System;
using System.Threading;
using NanoTcp.Boards.Desktop;
using NanoTcp.Firmware.Services;
using NanoTcp.Sensor;
using NanoTcp.Sockets;
using NanoTcp.Wire;

namespace NanoTcp.Host
{
    /// <summary>`nanotcp sensor`: the sensor sample (firmware/Sensor, the code the device runs) on a TAP
    /// interface: DHCP or a static address, SNTP, readings to an MQTT broker, commands from it. The stack
    /// runs on a StackRunner poll thread, as on the device; this thread only reports what changed.</summary>
    public static class SensorCommand
    {
        public static int Run(Options options)
        {
            var config = new SensorConfig
            {
                BrokerHost = options.Text("--broker") ?? throw new UsageException("sensor needs --broker HOST"),
                DeviceId = options.Text("--id", "sensor1"),
                PublishIntervalMs = options.Number("--interval", 5000, 1000, 3600000),
                NtpServer = options.Address("--ntp"),
            };
            int count = options.Number("--count", 0, 0, int.MaxValue);
            var builder = new StackConfigBuilder();
            SensorNode.Reserve(builder, config);
            using var host = TapCommands.TapHost.Open(options, "nic", builder.Build());
            if (host == null)
                return 1;
            var runner = new StackRunner(host.Stack, host.Clock) { WaitForFrames = host.Tap.WaitReadable, InterruptWait = host.Tap.Interrupt };
            var sensor = new SensorNode(new SocketFactory(runner), config, new HostRandom(), SimulatedThermometer.Read);
            runner.OnPolled = () => sensor.Poll(runner.NowMs);
            runner.Start();
            Console.WriteLine($"sensor {config.DeviceId} on {host.Tap.Name}: broker {config.BrokerHost}:{config.BrokerPort}, a reading every {config.PublishIntervalMs} ms");
            var reported = new Report();
            bool done = false;
            while (!TapCommands.StopRequested && !done)
            {
                Thread.Sleep(50);
                Monitor.Enter(runner.Lock);
                try
                {
                    reported.Print(host.Stack, sensor);
                    done = count > 0 && sensor.Mqtt.PubAcksReceived >= count + 1; // the readings and the "online" status
                }
                finally { Monitor.Exit(runner.Lock); }
            }
            sensor.Stop();
            runner.Stop();
            host.CloseAll(500);
            Console.WriteLine($"stopped: {sensor.ReadingsPublished} readings published, {sensor.Mqtt.PubAcksReceived} acknowledged, {sensor.CommandsReceived} commands");
            return count == 0 || done ? 0 : 1;
        }

        /// <summary>What was last printed, so each change prints once.</summary>
        private sealed class Report
        {
            private uint _address;
            private bool _synchronized, _connected;
            private int _readings, _commands, _interval;

            public void Print(NetworkStack stack, SensorNode sensor)
            {
                if (stack.Address != _address)
                {
                    _address = stack.Address;
                    Console.WriteLine($"address {Ipv4Address.Format(stack.Address)}, gateway {Ipv4Address.Format(stack.Gateway)}, DNS {Ipv4Address.Format(stack.DnsServer)}" +
                                      (stack.Dhcp != null ? " (DHCP)" : ""));
                }
                if (sensor.Sntp.IsSynchronized && !_synchronized)
                {
                    _synchronized = true;
                    Console.WriteLine($"time {sensor.Sntp.UtcTime(stack.Now):yyyy-MM-ddTHH:mm:ss}Z from {Ipv4Address.Format(sensor.Sntp.SynchronizedWith)} (stratum {sensor.Sntp.ServerStratum})");
                }
                if (sensor.Mqtt.IsConnected != _connected)
                {
                    _connected = sensor.Mqtt.IsConnected;
                    Console.WriteLine(_connected
                        ? $"mqtt connected (connection {sensor.Mqtt.Connections}, session present: {(sensor.Mqtt.SessionPresent ? "yes" : "no")})"
                        : $"mqtt connection lost ({SocketErrorNames.Name(sensor.Mqtt.LastSocketError)}): reconnecting");
                }
                if (sensor.ReadingsPublished != _readings)
                {
                    _readings = sensor.ReadingsPublished;
                    Console.WriteLine($"reading {_readings}: {sensor.LastReading / 100}.{sensor.LastReading % 100:D2} -> nanotcp/{sensor.Config.DeviceId}/reading");
                }
                if (sensor.CommandsReceived != _commands || sensor.IntervalMs != _interval)
                {
                    if (sensor.CommandsReceived != _commands)
                        Console.WriteLine($"command received ({sensor.CommandsRejected} rejected so far); interval {sensor.IntervalMs} ms");
                    _commands = sensor.CommandsReceived;
                    _interval = sensor.IntervalMs;
                }
            }
        }
    }
}
