using System;
using System.Diagnostics;
using System.Text;
using NanoTcp.Mqtt;
using NanoTcp.Sockets;
using Xunit;

namespace NanoTcp.Tests.Interop
{
    /// <summary>Our MQTT client on the TAP against Debian's mosquitto in the namespace, with mosquitto_sub
    /// and mosquitto_pub as the other clients. The client is polled after every stack poll (OnPolled),
    /// as firmware runs it.</summary>
    [Trait("Category", "Interop")]
    public sealed class MosquittoInteropTests
    {
        private const uint LinuxAddress = 0x0A520001; // 10.82.N.1 (N per test); our stack is .2

        private sealed class Lab : IDisposable
        {
            public readonly TapLab Tap;
            public readonly MosquittoBroker Broker;
            public readonly MqttClient Client;
            public readonly StringBuilder Received = new();

            /// <summary>Each test its own TAP (nt5a, nt5b, ...) and its own /24 (10.82.0.0 for nt5a, 10.82.1.0 for nt5b, ...):
            /// a TAP closing in the kernel may still be busy when the next test starts, and while it is, a route to the same
            /// subnet through it takes the broker's answers away from the new TAP.</summary>
            public Lab(string tap, Action<MqttConfig> configure = null)
            {
                Tap = new TapLab(tap, LinuxAddress + ((uint)(tap[tap.Length - 1] - 'a') << 8));
                try { Broker = new MosquittoBroker(Tap.LinuxIp); }
                catch
                {
                    Tap.Dispose();
                    throw;
                }
                var config = new MqttConfig { BrokerHost = Tap.LinuxIp, ClientId = "nanotcp-it", KeepAliveSeconds = 5, ReconnectMinMs = 200, ReconnectMaxMs = 2000, ConnectTimeoutMs = 3000 };
                configure?.Invoke(config);
                Client = new MqttClient(new SocketFactory(Tap.Runner), config);
                Client.OnMessage = (c, b, to, tl, po, pl, qos, retain) =>
                {
                    lock (Received)
                        Received.Append($"{(retain ? 1 : 0)} {qos} {Encoding.UTF8.GetString(b, to, tl)} {Encoding.UTF8.GetString(b, po, pl)}\n");
                };
                var services = Tap.Services;
                Tap.Runner.OnPolled = () => { services.Poll(); Client.Poll(Tap.Runner.NowMs); };
                Client.Start();
            }

            public string ReceivedText { get { lock (Received) return Received.ToString(); } }

            public bool WaitFor(Func<bool> done, int ms)
            {
                var watch = Stopwatch.StartNew();
                while (watch.ElapsedMilliseconds < ms)
                {
                    if (done()) return true;
                    System.Threading.Thread.Sleep(10);
                }
                return done();
            }

            public void Publish(string topic, string text, int qos, bool retain = false)
            {
                byte[] payload = Encoding.UTF8.GetBytes(text);
                Assert.True(WaitFor(() => Client.Publish(new MqttTopic(topic), payload, 0, payload.Length, qos, retain), 5000), "publish " + topic);
            }

            public void Dispose()
            {
                Tap.Dispose();
                Broker.Dispose();
            }
        }

        private static void SkipUnlessPossible()
        {
            string why = MosquittoBroker.WhyNot();
            Skip.If(why != null, why);
        }

        [SkippableFact]
        public void PublishesAndReceivesAtQos0And1()
        {
            SkipUnlessPossible();
            using var lab = new Lab("nt5a");
            Assert.True(lab.Client.WaitUntilConnected(20000), "not connected: " + lab.Client.LastSocketError);
            Process sub = lab.Broker.Subscribe("nt/up", 2);
            lab.Publish("nt/up", "zero", 0);
            lab.Publish("nt/up", "one", 1);
            Assert.True(lab.Client.WaitUntilAcknowledged(5000));
            string seen = MosquittoBroker.Output(sub);
            Assert.Contains("0 0 nt/up zero", seen);
            Assert.Contains("0 1 nt/up one", seen);

            var down = new MqttTopic("nt/down");
            lab.Client.Subscribe(down, 1);
            Assert.True(lab.WaitFor(() => lab.Client.IsSubscribed(down), 5000));
            Assert.Equal(0, lab.Broker.Publish("nt/down", "a", 0).Code);
            Assert.Equal(0, lab.Broker.Publish("nt/down", "b", 1).Code);
            Assert.True(lab.WaitFor(() => lab.ReceivedText.Contains("0 1 nt/down b"), 5000), lab.ReceivedText);
            Assert.Contains("0 0 nt/down a", lab.ReceivedText);
        }

        [SkippableFact]
        public void RetainedMessagesGoBothWays()
        {
            SkipUnlessPossible();
            using var lab = new Lab("nt5b");
            Assert.Equal(0, lab.Broker.Publish("nt/kept", "from-linux", 1, retain: true).Code);
            Assert.True(lab.Client.WaitUntilConnected(20000), "not connected: " + lab.Client.LastSocketError + ", state " + lab.Client.State);
            lab.Client.Subscribe(new MqttTopic("nt/kept"), 1);
            Assert.True(lab.WaitFor(() => lab.ReceivedText.Contains("1 1 nt/kept from-linux"), 5000), lab.ReceivedText);
            lab.Publish("nt/ours", "from-device", 1, retain: true);
            Assert.True(lab.Client.WaitUntilAcknowledged(5000));
            Process sub = lab.Broker.Subscribe("nt/ours", 1); // subscribes after the publish: only a retained message reaches it
            Assert.Contains("1 1 nt/ours from-device", MosquittoBroker.Output(sub));
        }

        [SkippableFact]
        public void TheWillIsPublishedWhenTheDeviceDisappears()
        {
            SkipUnlessPossible();
            using var lab = new Lab("nt5c", c =>
            {
                c.KeepAliveSeconds = 2;
                c.WillTopic = "nt/status";
                c.WillMessage = Encoding.ASCII.GetBytes("gone");
                c.WillQos = 1;
            });
            Assert.True(lab.Client.WaitUntilConnected(20000), "not connected: " + lab.Client.LastSocketError + ", state " + lab.Client.State);
            Process sub = lab.Broker.Subscribe("nt/status", 1);
            // The device vanishes: its poll thread stops and the cable (TAP) goes down; no DISCONNECT, no FIN.
            lab.Tap.Runner.Stop();
            Assert.Equal(0, NanoTcp.Boards.Desktop.HostCommand.Run("ip", "link set nt5c down").Code);
            string seen = MosquittoBroker.Output(sub); // mosquitto gives up after 1.5 keep-alives (MQTT 3.1.2.10)
            Assert.Contains("0 1 nt/status gone", seen);
        }

        [SkippableFact]
        public void ABrokerRestartIsSurvived()
        {
            SkipUnlessPossible();
            using var lab = new Lab("nt5d");
            var cmd = new MqttTopic("nt/cmd");
            lab.Client.Subscribe(cmd, 1);
            Assert.True(lab.Client.WaitUntilConnected(20000), "not connected: " + lab.Client.LastSocketError + ", state " + lab.Client.State);
            Assert.True(lab.WaitFor(() => lab.Client.IsSubscribed(cmd), 5000));
            lab.Broker.Stop();
            Assert.True(lab.WaitFor(() => !lab.Client.IsConnected, 5000), "the client did not notice the broker going");
            // Held in flight while the broker is down, sent once connected again; retained, so a subscriber that
            // comes after it still gets it.
            lab.Publish("nt/after", "queued-while-down", 1, retain: true);
            System.Threading.Thread.Sleep(1000);
            lab.Broker.Start();
            Assert.True(lab.Client.WaitUntilConnected(15000), "no reconnect: " + lab.Client.LastSocketError);
            Assert.True(lab.WaitFor(() => lab.Client.IsSubscribed(cmd), 5000), "subscription not renewed");
            Assert.Equal(0, lab.Broker.Publish("nt/cmd", "after-restart", 1).Code);
            Assert.True(lab.WaitFor(() => lab.ReceivedText.Contains("nt/cmd after-restart"), 5000), lab.ReceivedText);
            Assert.True(lab.Client.Connections >= 2);
            Assert.True(lab.Client.WaitUntilAcknowledged(10000));
            Process sub = lab.Broker.Subscribe("nt/after", 1);
            Assert.Contains("1 1 nt/after queued-while-down", MosquittoBroker.Output(sub));
        }
    }
}
