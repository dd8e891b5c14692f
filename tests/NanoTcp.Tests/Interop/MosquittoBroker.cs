using System;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using NanoTcp.Boards.Desktop;

namespace NanoTcp.Tests.Interop
{
    /// <summary>Debian's mosquitto on an address of a namespace the test made (no persistence: a restart
    /// forgets every session), and its command-line clients as the other MQTT peers.</summary>
    public sealed class MosquittoBroker : IDisposable
    {
        public readonly string Address;
        private readonly string _config;
        private Process _process;

        public static string WhyNot()
        {
            string why = TapLab.WhyNot();
            if (why != null)
                return why;
            foreach (string tool in new[] { "/usr/sbin/mosquitto", "/usr/bin/mosquitto_sub", "/usr/bin/mosquitto_pub" })
                if (!File.Exists(tool))
                    return tool + " is missing: apt-get install mosquitto mosquitto-clients";
            return null;
        }

        public MosquittoBroker(string address)
        {
            Address = address;
            _config = Path.Combine(Directory.CreateTempSubdirectory("nanotcp-mosquitto").FullName, "mosquitto.conf");
            File.WriteAllText(_config, $"listener 1883 {address}\nallow_anonymous true\npersistence false\nlog_dest stderr\n");
            Start();
        }

        public void Start()
        {
            _process = Process.Start(new ProcessStartInfo("/usr/sbin/mosquitto", $"-c {_config}") { RedirectStandardError = true, RedirectStandardOutput = true });
            _process.ErrorDataReceived += (_, _) => { };
            _process.BeginErrorReadLine();
            _process.BeginOutputReadLine();
            for (int i = 0; i < 100; i++)
            {
                try
                {
                    using var probe = new TcpClient();
                    probe.Connect(Address, 1883);
                    return;
                }
                catch (SocketException)
                {
                    Thread.Sleep(50);
                }
            }
            throw new InvalidOperationException("mosquitto did not start listening on " + Address);
        }

        /// <summary>SIGTERM: mosquitto closes its connections and exits.</summary>
        public void Stop()
        {
            if (_process == null)
                return;
            HostCommand.Run("kill", $"-TERM {_process.Id}");
            if (!_process.WaitForExit(10000))
                _process.Kill();
            _process.Dispose();
            _process = null;
        }

        /// <summary>mosquitto_sub in the background: started, and given time to subscribe before it is returned.</summary>
        public Process Subscribe(string topic, int count, int qos = 1, int seconds = 20)
        {
            var p = Process.Start(new ProcessStartInfo("/usr/bin/mosquitto_sub",
                $"-h {Address} -V mqttv311 -t {topic} -q {qos} -C {count} -W {seconds} -F \"%r %q %t %p\"")
            { RedirectStandardOutput = true, RedirectStandardError = true });
            Thread.Sleep(700);
            return p;
        }

        /// <summary>What a background mosquitto_sub printed once it received its count (or timed out).</summary>
        public static string Output(Process sub)
        {
            string output = sub.StandardOutput.ReadToEnd() + sub.StandardError.ReadToEnd();
            sub.WaitForExit(25000);
            sub.Dispose();
            return output;
        }

        public (int Code, string Output) Publish(string topic, string message, int qos, bool retain = false) =>
            HostCommand.Run("/usr/bin/mosquitto_pub", $"-h {Address} -V mqttv311 -t {topic} -m {message} -q {qos}" + (retain ? " -r" : ""), 10000);

        public void Dispose() => Stop();
    }
}
