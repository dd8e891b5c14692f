using System;
using System.Text;
using NanoTcp.Mqtt;
using NanoTcp.Sockets;
using NanoTcp.Tcp;
using Xunit;

namespace NanoTcp.Tests.Mqtt
{
    /// <summary>The client against a scripted broker in virtual time. What the client must send is what
    /// mosquitto's own clients send (MqttGolden) or what the OASIS MQTT 3.1.1 text spells out byte by byte;
    /// what the broker sends is written from the spec's packet layouts.</summary>
    public sealed class MqttClientTests
    {
        private static string Hex(byte[] b) => Convert.ToHexString(b);
        private static readonly byte[] Hello = Encoding.ASCII.GetBytes("hello");

        private static MqttConfig FullConfig() => new()
        {
            BrokerHost = "10.0.0.2", ClientId = "nanotcp", KeepAliveSeconds = 30, CleanSession = false,
            UserName = "user", Password = "secret",
            WillTopic = "nanotcp/status", WillMessage = Encoding.ASCII.GetBytes("offline"), WillQos = 1, WillRetain = true,
        };

        [Theory]
        // OASIS MQTT 3.1.1 section 2.2.3, table 2.4: the smallest and largest value of each length.
        [InlineData(0, "00")]
        [InlineData(127, "7F")]
        [InlineData(128, "8001")]
        [InlineData(16383, "FF7F")]
        [InlineData(16384, "808001")]
        [InlineData(2097151, "FFFF7F")]
        [InlineData(2097152, "80808001")]
        [InlineData(268435455, "FFFFFF7F")]
        public void RemainingLengthIsTheSpecsTable(int value, string hex)
        {
            var buffer = new byte[4];
            int n = MqttPacket.WriteRemainingLength(buffer, 0, value);
            Assert.Equal(hex, Convert.ToHexString(buffer, 0, n));
            Assert.Equal(n, MqttPacket.RemainingLengthSize(value));
            Assert.Equal(n, MqttPacket.ReadRemainingLength(buffer, 0, n, out int back));
            Assert.Equal(value, back);
            Assert.Equal(0, MqttPacket.ReadRemainingLength(buffer, 0, n - 1, out _)); // incomplete: wait for more
        }

        [Fact]
        public void AFifthLengthByteIsMalformed()
        {
            Assert.Equal(-1, MqttPacket.ReadRemainingLength(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x01 }, 0, 5, out _));
        }

        [Theory]
        // 4.7.1.2, 4.7.1.3 and 4.7.2: the spec's own examples.
        [InlineData("sport/tennis/player1/#", "sport/tennis/player1", true)]
        [InlineData("sport/tennis/player1/#", "sport/tennis/player1/ranking", true)]
        [InlineData("sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon", true)]
        [InlineData("sport/#", "sport", true)]
        [InlineData("sport/tennis/+", "sport/tennis/player1", true)]
        [InlineData("sport/tennis/+", "sport/tennis/player1/ranking", false)]
        [InlineData("sport/+", "sport", false)]
        [InlineData("sport/+", "sport/", true)]
        [InlineData("+/+", "/finance", true)]
        [InlineData("/+", "/finance", true)]
        [InlineData("+", "/finance", false)]
        [InlineData("#", "$SYS/uptime", false)]
        [InlineData("+/monitor/Clients", "$SYS/monitor/Clients", false)]
        [InlineData("$SYS/#", "$SYS/uptime", true)]
        [InlineData("$SYS/monitor/+", "$SYS/monitor/Clients", true)]
        [InlineData("cmd/t1", "cmd/t1", true)]
        [InlineData("cmd/t1", "cmd/t2", false)]
        [InlineData("cmd/t1", "cmd/t1/x", false)]
        public void FiltersMatchAsTheSpecsExamplesSay(string filter, string topic, bool matches)
        {
            byte[] t = Encoding.UTF8.GetBytes("xx" + topic);
            Assert.Equal(matches, new MqttTopic(filter).Matches(t, 2, t.Length - 2));
        }

        [Fact]
        public void Utf8MatchesDotNetsEncoder()
        {
            string text = "temp/\u00e9t\u00e9/\u20ac/\ud83d\ude00";
            Assert.Equal(Encoding.UTF8.GetBytes(text), Utf8.GetBytes(text));
        }

        [Fact]
        public void ConnectCarriesIdCredentialsKeepAliveSessionAndWillAsMosquittoPubSendsThem()
        {
            var lab = new ScriptedBroker();
            lab.Start(FullConfig());
            byte[] connect = lab.AcceptConnect();
            Assert.Equal(Hex(MqttGolden.Get("connect_full")), Hex(connect));
            Assert.True(lab.RunUntil(() => lab.Client.IsConnected, 1000));
        }

        [Fact]
        public void AMinimalCleanConnectIsMosquittoPubsToo()
        {
            var lab = new ScriptedBroker();
            var config = ScriptedBroker.DefaultConfig();
            config.KeepAliveSeconds = 60;
            config.CleanSession = true;
            lab.Start(config);
            Assert.Equal(Hex(MqttGolden.Get("connect_clean_minimal")), Hex(lab.AcceptConnect()));
        }

        [Fact]
        public void PublishesAtQos0And1AsMosquittoPubDoes()
        {
            var lab = new ScriptedBroker();
            lab.Start();
            lab.AcceptConnect();
            Assert.True(lab.RunUntil(() => lab.Client.IsConnected, 1000));
            var topic = new MqttTopic("sensors/t1");
            Assert.True(lab.Client.Publish(topic, Hello, 0, Hello.Length, 1, false));
            Assert.Equal(1, lab.Client.LastPacketId);
            Assert.Equal(Hex(MqttGolden.Get("publish_qos1_id1")), Hex(lab.ReadPacket()));
            Assert.Equal(1, lab.Client.InflightCount);
            lab.Send(0x40, 0x02, 0x00, 0x01); // 3.4: PUBACK for id 1
            Assert.True(lab.RunUntil(() => lab.Client.InflightCount == 0, 1000));
            byte[] reading = Encoding.ASCII.GetBytes("21.5");
            Assert.True(lab.Client.Publish(topic, reading, 0, reading.Length, 0, true));
            Assert.Equal(Hex(MqttGolden.Get("publish_qos0_retain")), Hex(lab.ReadPacket()));
            Assert.False(lab.Client.Publish(new MqttTopic("sensors/#"), reading, 0, 4, 0, false)); // 3.3.2.1: no wildcards
            Assert.False(lab.Client.Publish(topic, reading, 0, 4, 2, false)); // QoS 2 is not offered
        }

        [Fact]
        public void SubscribesAndDeliversAndAcknowledgesIncomingMessages()
        {
            var lab = new ScriptedBroker();
            lab.Start();
            string got = null;
            int gotQos = -1;
            lab.Client.OnMessage = (c, buffer, topicOffset, topicLength, payloadOffset, payloadLength, qos, retain) =>
            {
                got = Encoding.ASCII.GetString(buffer, topicOffset, topicLength) + "=" + Encoding.ASCII.GetString(buffer, payloadOffset, payloadLength);
                gotQos = qos;
            };
            var filter = new MqttTopic("cmd/t1");
            Assert.True(lab.Client.Subscribe(filter, 1)); // queued until connected
            lab.AcceptConnect();
            Assert.Equal(Hex(MqttGolden.Get("subscribe_qos1_id1")), Hex(lab.ReadPacket()));
            Assert.False(lab.Client.IsSubscribed(filter));
            lab.Send(0x90, 0x03, 0x00, 0x01, 0x01); // 3.9: SUBACK id 1, granted QoS 1
            Assert.True(lab.RunUntil(() => lab.Client.IsSubscribed(filter), 1000));
            // A PUBLISH from the broker, QoS 1, id 1 (the same layout a client sends, 3.3).
            lab.Send(MqttGolden.Get("publish_qos1_id1"));
            Assert.True(lab.RunUntil(() => got != null, 1000));
            Assert.Equal("sensors/t1=hello", got);
            Assert.Equal(1, gotQos);
            Assert.Equal("40020001", Hex(lab.ReadPacket())); // 3.4: PUBACK with the message's id
            Assert.True(lab.Client.Unsubscribe(filter));
            Assert.Equal("A20A00020006636D642F7431", Hex(lab.ReadPacket())); // 3.10: flags 0010, id 2, the filter
            lab.Send(0xB0, 0x02, 0x00, 0x02);
            Assert.True(lab.RunUntil(() => !lab.Client.IsSubscribed(filter) && lab.Client.Subscribe(filter, 0) && lab.Client.Unsubscribe(filter), 1000));
        }

        [Fact]
        public void ARefusedSubscriptionIsReported()
        {
            var lab = new ScriptedBroker();
            lab.Start();
            lab.AcceptConnect();
            var filter = new MqttTopic("secret/#");
            lab.Client.Subscribe(filter, 1);
            byte[] sub = lab.ReadPacket();
            lab.Send(0x90, 0x03, sub[2], sub[3], 0x80); // 3.9.3: 0x80 failure
            Assert.True(lab.RunUntil(() => lab.Client.IsSubscriptionRefused(filter), 1000));
        }

        [Fact]
        public void PingsAfterTheKeepAliveAndTakesASilentBrokerForDead()
        {
            var lab = new ScriptedBroker();
            lab.Start();
            lab.AcceptConnect();
            Assert.True(lab.RunUntil(() => lab.Client.IsConnected, 1000));
            long connectedAt = lab.Now;
            Assert.True(lab.Quiet(29_000)); // nothing before the keep-alive (3.1.2.10)
            Assert.Equal("C000", Hex(lab.ReadPacket(2000))); // 3.12 PINGREQ
            Assert.InRange(lab.Now - connectedAt, 29_900, 31_000);
            lab.Send(0xD0, 0x00); // 3.13 PINGRESP
            Assert.True(lab.Quiet(25_000));
            Assert.Equal("C000", Hex(lab.ReadPacket(6000)));
            // No answer this time: after PingTimeoutMs the client gives up on the connection and reconnects.
            TcpConnection old = lab.Connection;
            Assert.True(lab.RunUntil(() => old.State == TcpState.Closed, 11_000), "the client did not drop the dead connection");
            Assert.Equal(TcpError.Reset, old.Error);
            Assert.Equal(1, lab.Client.DeadBrokerDetections);
            lab.Connection = null;
            Assert.Equal(0x10, lab.AcceptConnect()[0]); // a new CONNECT after the back-off
            Assert.True(lab.RunUntil(() => lab.Client.IsConnected, 1000));
            Assert.Equal(2, lab.Client.Connections);
        }

        [Fact]
        public void UnacknowledgedQos1IsSentAgainWithDupAfterAReconnectToAKeptSession()
        {
            var lab = new ScriptedBroker();
            lab.Start(FullConfig());
            lab.AcceptConnect();
            Assert.True(lab.RunUntil(() => lab.Client.IsConnected, 1000));
            var topic = new MqttTopic("sensors/t1");
            lab.Client.Publish(topic, Hello, 0, Hello.Length, 1, false);
            Assert.Equal(Hex(MqttGolden.Get("publish_qos1_id1")), Hex(lab.ReadPacket()));
            lab.Drop(); // no PUBACK: the connection is reset
            Assert.True(lab.RunUntil(() => lab.Client.State == MqttState.WaitingToReconnect, 2000));
            // Published while disconnected: kept, sent after the first one (4.6 order).
            byte[] second = Encoding.ASCII.GetBytes("again");
            Assert.True(lab.Client.Publish(topic, second, 0, second.Length, 1, false));
            Assert.Equal(0x10, lab.AcceptConnect(sessionPresent: true)[0]);
            byte[] dup = MqttGolden.Get("publish_qos1_id1");
            dup[0] |= 0x08; // 3.3.1.1: DUP set on a re-delivery, same packet identifier (4.4)
            Assert.Equal(Hex(dup), Hex(lab.ReadPacket()));
            Assert.Equal("3213000A73656E736F72732F74310002616761696E", Hex(lab.ReadPacket()));
            lab.Send(0x40, 0x02, 0x00, 0x01, 0x40, 0x02, 0x00, 0x02);
            Assert.True(lab.RunUntil(() => lab.Client.InflightCount == 0, 1000));
            Assert.Equal(1, lab.Client.Retransmissions);
        }

        [Fact]
        public void AfterABrokerLostTheSessionSubscriptionsAreRenewed()
        {
            var lab = new ScriptedBroker();
            lab.Start();
            var filter = new MqttTopic("cmd/t1");
            lab.Client.Subscribe(filter, 1);
            lab.AcceptConnect();
            lab.ReadPacket();
            lab.Send(0x90, 0x03, 0x00, 0x01, 0x01);
            Assert.True(lab.RunUntil(() => lab.Client.IsSubscribed(filter), 1000));
            lab.Drop(); // say the broker restarted without persistence
            lab.AcceptConnect(sessionPresent: false);
            byte[] again = lab.ReadPacket();
            Assert.Equal(0x82, again[0]);
            Assert.Equal("0006636D642F743101", Hex(again.AsSpan(4).ToArray()));
        }

        [Fact]
        public void ReconnectsWithDoublingBackOffWhileTheBrokerRefuses()
        {
            var lab = new ScriptedBroker();
            lab.Pair.B.Tcp.StopListening(lab.Listener); // nothing on 1883: every SYN is answered by RST
            var config = ScriptedBroker.DefaultConfig();
            config.ReconnectMinMs = 1000;
            config.ReconnectMaxMs = 8000;
            lab.Start(config);
            var attempts = new System.Collections.Generic.List<long>();
            long resets = 0;
            lab.RunUntil(() =>
            {
                long now = lab.Pair.A.Tcp.Counters.ActiveOpens;
                if (now != resets) { resets = now; attempts.Add(lab.Now); }
                return attempts.Count == 7;
            }, 60_000);
            Assert.Equal(7, attempts.Count);
            var gaps = new long[6];
            for (int i = 0; i < 6; i++) gaps[i] = attempts[i + 1] - attempts[i];
            long[] expected = { 1000, 2000, 4000, 8000, 8000, 8000 };
            for (int i = 0; i < 6; i++) Assert.InRange(gaps[i], expected[i], expected[i] + 50);
            Assert.Equal(SocketError.ConnectionRefused, lab.Client.LastSocketError);
        }

        [Fact]
        public void ARefusingConnAckIsReportedAndRetried()
        {
            var lab = new ScriptedBroker();
            lab.Start();
            lab.AcceptConnect(code: 5); // 3.2.2.3: not authorized
            Assert.True(lab.RunUntil(() => lab.Client.State == MqttState.WaitingToReconnect, 1000));
            Assert.Equal(5, lab.Client.LastConnAckCode);
            Assert.Equal(0, lab.Client.ProtocolErrors);
            lab.Connection = null;
            lab.AcceptConnect();
            Assert.True(lab.RunUntil(() => lab.Client.IsConnected, 1000));
        }

        [Theory]
        [InlineData("00")]                 // reserved packet type 0 (2.2.1)
        [InlineData("3000")]               // PUBLISH without a topic
        [InlineData("36020000")]           // PUBLISH QoS 3 (3.3.1.2: malformed)
        [InlineData("FFFFFFFFFF01")]       // a fifth Remaining Length byte (2.2.3)
        [InlineData("5002000A")]           // PUBREC: a QoS 2 flow we never started
        [InlineData("20020000")]           // a second CONNACK (3.2: only the first packet)
        [InlineData("4103000100")]         // PUBACK with reserved flags set and a wrong length
        public void HostileBrokerBytesDropTheConnectionWithoutThrowing(string hex)
        {
            var lab = new ScriptedBroker();
            lab.Start();
            lab.AcceptConnect();
            Assert.True(lab.RunUntil(() => lab.Client.IsConnected, 1000));
            byte[] bad = Convert.FromHexString(hex.Length < 4 ? hex + "00" : hex);
            lab.Send(bad);
            Assert.True(lab.RunUntil(() => lab.Client.State == MqttState.WaitingToReconnect, 1000), "still " + lab.Client.State);
            Assert.Equal(1, lab.Client.ProtocolErrors);
        }

        [Fact]
        public void APublishLargerThanTheBufferIsSkippedAndAcknowledged()
        {
            var lab = new ScriptedBroker();
            var config = ScriptedBroker.DefaultConfig();
            config.PacketCapacity = 128;
            lab.Start(config);
            int delivered = 0;
            lab.Client.OnMessage = (c, b, to, tl, po, pl, q, r) => delivered++;
            lab.AcceptConnect();
            Assert.True(lab.RunUntil(() => lab.Client.IsConnected, 1000));
            var big = new byte[3 + 2 + 4 + 2 + 400];
            big[0] = 0x32; big[1] = 0x98; big[2] = 0x03; // remaining length 408 (2.2.3: 0x18 + 3 * 128)
            big[3] = 0; big[4] = 4; big[5] = (byte)'b'; big[6] = (byte)'i'; big[7] = (byte)'g'; big[8] = (byte)'!';
            big[9] = 0x12; big[10] = 0x34;
            lab.Send(big);
            lab.Send(MqttGolden.Get("publish_qos1_id1"));
            Assert.Equal("40021234", Hex(lab.ReadPacket()));
            Assert.Equal("40020001", Hex(lab.ReadPacket()));
            Assert.Equal(1, delivered);
            Assert.Equal(1, lab.Client.PacketsTooLarge);
            Assert.True(lab.Client.IsConnected);
        }

        [Fact]
        public void StopSendsDisconnect()
        {
            var lab = new ScriptedBroker();
            lab.Start();
            lab.AcceptConnect();
            Assert.True(lab.RunUntil(() => lab.Client.IsConnected, 1000));
            lab.Client.Stop();
            Assert.Equal(Hex(MqttGolden.Get("disconnect")), Hex(lab.ReadPacket()));
            Assert.Equal(MqttState.Stopped, lab.Client.State);
        }

        [Fact]
        public void PublishingReceivingAndPollingAllocateNothing()
        {
            var lab = new ScriptedBroker();
            lab.Start();
            int delivered = 0;
            lab.Client.OnMessage = (c, b, to, tl, po, pl, q, r) => delivered++;
            lab.Client.Subscribe(new MqttTopic("cmd/t1"), 1);
            lab.AcceptConnect();
            lab.ReadPacket();
            lab.Send(0x90, 0x03, 0x00, 0x01, 0x01);
            var topic = new MqttTopic("sensors/0123456"); // 16 bytes
            var payload = new byte[128];
            byte[] incoming = MqttGolden.Get("publish_qos1_id1");
            var sink = new byte[4096];
            var pubAck = new byte[] { 0x40, 0x02, 0, 0 };
            void Round(int i)
            {
                payload[0] = (byte)i;
                while (!lab.Client.Publish(topic, payload, 0, payload.Length, i & 1, false)) lab.Step();
                // The broker acknowledges every QoS 1 message and sends one of its own.
                for (int k = 0; k < 20; k++)
                {
                    lab.Step();
                    int n = lab.Pair.B.Tcp.Receive(lab.Connection, sink, 0, sink.Length);
                    if (n > 0 && (i & 1) == 1 && (sink[0] >> 4) == 3)
                    {
                        int id = lab.Client.LastPacketId;
                        pubAck[2] = (byte)(id >> 8); pubAck[3] = (byte)id;
                        lab.Pair.B.Tcp.Send(lab.Connection, pubAck, 0, 4);
                    }
                }
                if (i % 10 == 0)
                    lab.Pair.B.Tcp.Send(lab.Connection, incoming, 0, incoming.Length);
            }
            for (int i = 0; i < 200; i++) Round(i);
            long before = ThreadAllocations.Start();
            for (int i = 0; i < 5000; i++) Round(i);
            long allocated = ThreadAllocations.Since(before);
            Assert.True(lab.Client.IsConnected);
            Assert.Equal(0, lab.Client.InflightCount);
            Assert.True(lab.Client.MessagesSent >= 5200, "sent " + lab.Client.MessagesSent);
            Assert.True(delivered >= 520, "delivered " + delivered);
            Assert.Equal(0, allocated);
        }
    }
}
