// Device entry point (nanoFramework only). Thin on purpose: pick the board, bring up the W5500, get an
// address (DHCP, else the static fallback below), run the services (and, when a broker is set below, the
// sensor sample of firmware/Sensor) on the poll thread, report changes.
using System.Diagnostics;
using System.Threading;
using NanoTcp.Boards.Esp32;
using NanoTcp.Boards.W5500;
using NanoTcp.Firmware.Services;
using NanoTcp.Sensor;
using NanoTcp.Sockets;
using NanoTcp.Wire;

namespace NanoTcp.Firmware.Device
{
    public static class Program
    {
        // ---- Configure here ----
        private static readonly BoardProfile Board = BoardProfiles.DevKitC;
        /// <summary>The W5500 has no factory MAC: a locally administered one (bit 1 of the first byte set).</summary>
        private const string Mac = "02:4e:54:00:00:01";
        private const string StaticAddress = "192.168.1.50";
        private const int StaticPrefix = 24;
        private const string StaticGateway = "192.168.1.1";
        private const int DhcpWaitMs = 15000;
        /// <summary>The MQTT broker of the sensor sample (address or name); null runs the services only.</summary>
        private static readonly string SensorBroker = null;
        private const string SensorId = "esp32-1";

        public static void Main()
        {
            Debug.WriteLine(string.Concat("nanoTcp firmware on ", Board.Name));
            var board = new Esp32Board(Board);
            var mac = new byte[6];
            MacAddress.TryParse(Mac, mac, 0);
            W5500Device w5500 = board.CreateW5500(mac);
            while (!w5500.Initialize())
            {
                Debug.WriteLine("W5500 not answering: check wiring and power (boards/Esp32/README.md); retrying in 2 s");
                Thread.Sleep(2000);
            }
            Debug.WriteLine(string.Concat("W5500 up, MAC ", Mac, ", link ", w5500.IsLinkUp ? "up" : "down"));

            // The stack's configuration is what this firmware runs: the services, and the sensor when enabled.
            var builder = new StackConfigBuilder();
            FirmwareServices.Reserve(builder);
            SensorConfig sensorConfig = null;
            if (SensorBroker != null)
            {
                sensorConfig = new SensorConfig();
                sensorConfig.BrokerHost = SensorBroker;
                sensorConfig.DeviceId = SensorId;
                SensorNode.Reserve(builder, sensorConfig);
            }
            var stack = new NetworkStack(w5500, builder.Build(), board.Random);
            var services = new FirmwareServices(stack);
            var runner = new StackRunner(stack, board.Clock);
            runner.OnPolled = services.Poll;
            if (sensorConfig != null)
            {
                var sensor = new SensorNode(new SocketFactory(runner), sensorConfig, board.Random, SimulatedThermometer.Read);
                runner.OnPolled = () => { services.Poll(); sensor.Poll(runner.NowMs); };
            }
            Monitor.Enter(runner.Lock);
            try { stack.StartDhcp(); }
            finally { Monitor.Exit(runner.Lock); }
            // INTn's falling edge wakes the poll thread at once (issue 14), so the idle poll is only a safety net
            // for a missed edge; a board without INT is polled every 1 ms (a GPIO-less SPI poll of the chip).
            runner.IdlePollMs = board.WakeOnInterrupt(runner.Wake) ? 100 : 1;
            bool link = w5500.IsLinkUp; // before the poll thread starts: from then on the driver is its, under the lock
            runner.Start();

            long started = runner.NowMs;
            uint reported = 0;
            while (true)
            {
                Thread.Sleep(1000);
                Monitor.Enter(runner.Lock);
                try
                {
                    if (!stack.IsConfigured && runner.NowMs - started > DhcpWaitMs && stack.Dhcp.State != Dhcp.DhcpState.Stopped)
                    {
                        uint address, gateway;
                        Ipv4Address.TryParse(StaticAddress, out address);
                        Ipv4Address.TryParse(StaticGateway, out gateway);
                        stack.Dhcp.Stop();
                        stack.Configure(address, Ipv4Address.MaskFromPrefix(StaticPrefix), gateway, 0);
                        Debug.WriteLine("no DHCP answer: using the static address");
                    }
                    if (stack.Address != reported)
                    {
                        reported = stack.Address;
                        Debug.WriteLine(string.Concat("address ", Ipv4Address.Format(stack.Address), " gateway ", Ipv4Address.Format(stack.Gateway)));
                    }
                    if (w5500.IsLinkUp != link)
                    {
                        link = !link;
                        Debug.WriteLine(link ? "link up" : "link down");
                    }
                    if (w5500.Counters.Recoveries > 0 && w5500.Counters.Recoveries % 10 == 1)
                        Debug.WriteLine(string.Concat("W5500 recovered ", w5500.Counters.Recoveries.ToString(), " times"));
                }
                finally { Monitor.Exit(runner.Lock); }
            }
        }
    }
}
