using System;
using System.Text;
using NanoTcp.Scenarios;
using NanoTcp.Sensor;
using NanoTcp.Tests.Mqtt;
using Xunit;

namespace NanoTcp.Tests.Sensor
{
    /// <summary>The sensor sample against the scripted broker in virtual time (no NTP server answers here:
    /// the readings say "time":null).</summary>
    public sealed class SensorNodeTests
    {
        private static (ScriptedBroker Lab, SensorNode Node) Start(int intervalMs = 5000)
        {
            var lab = new ScriptedBroker();
            var node = new SensorNode(lab.Sockets, new SensorConfig { BrokerHost = "10.0.0.2", DeviceId = "t1", PublishIntervalMs = intervalMs, NtpServer = 0x0A000002 },
                new SeededRandom(9), now => 2153);
            lab.Client = node.Mqtt;
            lab.Poller = node.Poll;
            return (lab, node);
        }

        private static string Text(byte[] packet, int skip) => Encoding.ASCII.GetString(packet, skip, packet.Length - skip);

        /// <summary>Reads packets until a PUBLISH to topic; acknowledges QoS 1 ones; returns its payload.</summary>
        private static string NextPublish(ScriptedBroker lab, string topic, int limitMs = 10000)
        {
            while (true)
            {
                byte[] p = lab.ReadPacket(limitMs);
                if (p[0] >> 4 != 3) continue;
                int topicLength = (p[2] << 8) | p[3];
                int qos = (p[0] >> 1) & 3;
                int payloadAt = 4 + topicLength + (qos > 0 ? 2 : 0);
                if (qos > 0) lab.Send(0x40, 0x02, p[4 + topicLength], p[5 + topicLength]);
                if (Encoding.ASCII.GetString(p, 4, topicLength) == topic)
                    return Text(p, payloadAt);
            }
        }

        [Fact]
        public void AnnouncesItselfAndPublishesReadingsOnTheInterval()
        {
            var (lab, node) = Start();
            byte[] connect = lab.AcceptConnect();
            Assert.Contains("nanotcp-t1", Text(connect, 0));
            Assert.Contains("nanotcp/t1/status", Text(connect, 0)); // the will
            // The first reading was taken before the connection (kept in flight), so it may come first.
            string subscribed = null, status = null, first = null;
            while (subscribed == null || status == null || first == null)
            {
                byte[] p = lab.ReadPacket();
                int topicLength = (p[2] << 8) | p[3];
                if (p[0] == 0x82) { subscribed = Encoding.ASCII.GetString(p, 6, p.Length - 7); lab.Send(0x90, 0x03, p[2], p[3], 0x01); continue; }
                Assert.Equal(0x32, p[0] & 0xF6); // PUBLISH at QoS 1 (retain bit aside)
                lab.Send(0x40, 0x02, p[4 + topicLength], p[5 + topicLength]);
                string topic = Encoding.ASCII.GetString(p, 4, topicLength);
                string payload = Text(p, 6 + topicLength);
                if (topic == "nanotcp/t1/status") status = payload;
                else if (topic == "nanotcp/t1/reading") first = payload;
            }
            Assert.Equal("nanotcp/t1/cmd", subscribed);
            Assert.Equal("online", status);
            Assert.Equal("{\"id\":\"t1\",\"seq\":1,\"temp\":21.53,\"time\":null}", first);
            long at = lab.Now;
            Assert.Equal("{\"id\":\"t1\",\"seq\":2,\"temp\":21.53,\"time\":null}", NextPublish(lab, "nanotcp/t1/reading"));
            Assert.InRange(lab.Now - at, 4900, 5200);
        }

        [Fact]
        public void ObeysIntervalAndPublishCommandsAndRejectsOthers()
        {
            var (lab, node) = Start();
            lab.AcceptConnect();
            NextPublish(lab, "nanotcp/t1/reading");
            byte[] Command(string text)
            {
                var p = new System.Collections.Generic.List<byte> { 0x30, 0 };
                p.AddRange(new byte[] { 0, 14 }); p.AddRange(Encoding.ASCII.GetBytes("nanotcp/t1/cmd")); p.AddRange(Encoding.ASCII.GetBytes(text));
                p[1] = (byte)(p.Count - 2);
                return p.ToArray();
            }
            lab.Send(Command("interval 2000"));
            Assert.True(lab.RunUntil(() => node.IntervalMs == 2000, 1000));
            lab.Send(Command("interval 5")); // below 1 s
            lab.Send(Command("interval 20x0"));
            lab.Send(Command("reboot"));
            Assert.True(lab.RunUntil(() => node.CommandsRejected == 3, 1000));
            Assert.Equal(2000, node.IntervalMs);
            lab.Send(Command("publish"));
            long at = lab.Now;
            NextPublish(lab, "nanotcp/t1/reading");
            Assert.True(lab.Now - at < 500, "publish did not publish at once");
        }

        [Fact]
        public void ReadingsAllocateNothing()
        {
            var (lab, node) = Start(intervalMs: 1000);
            lab.AcceptConnect();
            var sink = new byte[4096];
            var ack = new byte[] { 0x40, 0x02, 0, 0 };
            void Run(int seconds)
            {
                long end = lab.Now + seconds * 1000;
                while (lab.Now < end)
                {
                    lab.Step();
                    int n = lab.Pair.B.Tcp.Receive(lab.Connection, sink, 0, sink.Length);
                    if (n > 0 && node.Mqtt.InflightCount > 0)
                    {
                        int id = node.Mqtt.LastPacketId; // one reading a second: only the newest is in flight
                        ack[2] = (byte)(id >> 8); ack[3] = (byte)id;
                        lab.Pair.B.Tcp.Send(lab.Connection, ack, 0, 4);
                    }
                }
            }
            Run(30);
            long before = ThreadAllocations.Start();
            int published = node.ReadingsPublished;
            Run(600);
            Assert.Equal(0, ThreadAllocations.Since(before));
            Assert.InRange(node.ReadingsPublished - published, 590, 610);
            Assert.Equal(0, node.ReadingsDropped);
        }
    }
}
