using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;
using NanoTcp.Boards.Desktop;
using Xunit;

namespace NanoTcp.Tests.Interop
{
    /// <summary>`nanotcp sensor` end to end, as the README shows it: the node leases its address from dnsmasq
    /// (with option 42 naming the NTP server), takes chrony's time, publishes readings to mosquitto, and
    /// obeys a command; mosquitto_sub and mosquitto_pub are the user's side. All on 10.83.0.0/24 in the namespace.</summary>
    [Trait("Category", "Interop")]
    public sealed class SensorInteropTests
    {
        private const string Linux = "10.83.0.1";

        private static Process Background(string program, string arguments) =>
            Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true });

        private static string Text(StringBuilder output)
        {
            lock (output) return output.ToString();
        }

        [SkippableFact]
        public void TheSensorLeasesSynchronizesPublishesAndObeysCommands()
        {
            string why = MosquittoBroker.WhyNot() ?? (File.Exists("/usr/sbin/chronyd") && File.Exists("/usr/sbin/dnsmasq") ? null : "needs chrony and dnsmasq");
            Skip.If(why != null, why);
            string nanotcp = Path.Combine(AppContext.BaseDirectory, "nanotcp.dll");
            using var sensor = Background("dotnet", $"\"{nanotcp}\" sensor --tap nt6 --dhcp --broker {Linux} --id t1 --interval 1000");
            var output = new StringBuilder();
            var started = new ManualResetEventSlim();
            sensor.OutputDataReceived += (_, e) => { if (e.Data == null) return; lock (output) output.AppendLine(e.Data); if (e.Data.StartsWith("sensor t1 on nt6")) started.Set(); };
            sensor.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
            sensor.BeginOutputReadLine();
            sensor.BeginErrorReadLine();
            string dir = Directory.CreateTempSubdirectory("nanotcp-sensor").FullName;
            Process chrony = null, dnsmasq = null;
            MosquittoBroker broker = null;
            try
            {
                Assert.True(started.Wait(30000), "sensor did not start: " + output);
                HostCommand.Run("ip", $"addr add {Linux}/24 dev nt6");
                HostCommand.Run("ip", "link set nt6 up");
                broker = new MosquittoBroker(Linux);
                string chronyConf = Path.Combine(dir, "chrony.conf");
                File.WriteAllText(chronyConf, $"local stratum 8\nallow 10.83.0.0/24\nbindaddress {Linux}\ncmdport 0\npidfile {dir}/chronyd.pid\n");
                chrony = Background("chronyd", $"-d -x -u root -f {chronyConf}");
                dnsmasq = Background("dnsmasq", "--no-daemon --user=root --interface=nt6 --bind-interfaces --except-interface=lo --no-resolv --no-hosts --port=0 " +
                    $"--dhcp-range=10.83.0.50,10.83.0.60,255.255.255.0,1h --dhcp-option=option:ntp-server,{Linux} --dhcp-leasefile={dir}/leases");
                // SNTP asks again only after 15 s (RFC 4330 10) when chrony was not up for the first query.
                var synced = Stopwatch.StartNew();
                while (synced.ElapsedMilliseconds < 40000 && !Text(output).Contains("time 20"))
                    Thread.Sleep(50);
                Assert.Contains("time 20", Text(output));
                Process readings = broker.Subscribe("nanotcp/t1/reading", 2, seconds: 20);
                string seen = MosquittoBroker.Output(readings);
                Assert.Equal(2, seen.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
                Assert.Matches("\"id\":\"t1\",\"seq\":[0-9]+,\"temp\":[0-9]+\\.[0-9]{2},\"time\":\"20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z\"", seen);
                Process status = broker.Subscribe("nanotcp/t1/status", 1); // retained: answered at once
                Assert.Contains("1 1 nanotcp/t1/status online", MosquittoBroker.Output(status));
                Assert.Equal(0, broker.Publish("nanotcp/t1/cmd", "\"interval 2000\"", 1).Code);
                var watch = Stopwatch.StartNew();
                while (watch.ElapsedMilliseconds < 10000 && !Text(output).Contains("interval 2000 ms"))
                    Thread.Sleep(50);
                string text = Text(output);
                Assert.Contains("(DHCP)", text);
                Assert.Contains("from 10.83.0.1 (stratum 8)", text);
                Assert.Contains("mqtt connected", text);
                Assert.Contains("interval 2000 ms", text);
            }
            finally
            {
                HostCommand.Run("kill", $"-TERM {sensor.Id}");
                sensor.WaitForExit(15000);
                foreach (var p in new[] { chrony, dnsmasq })
                {
                    if (p != null && !p.HasExited) { p.Kill(); p.WaitForExit(2000); }
                    p?.Dispose();
                }
                broker?.Dispose();
            }
            Assert.Equal(0, sensor.ExitCode);
            Assert.Contains("stopped:", output.ToString());
        }
    }
}
