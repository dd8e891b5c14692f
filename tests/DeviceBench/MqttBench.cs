// Device cost of MQTT publishing on nanoCLR (issue 15 point 7). The client (apps/Mqtt over the socket
// layer and a StackRunner that is never started: its Poll runs here, as on the poll thread) on stack A
// of a MemoryWire pair; a broker scripted on stack B's TCP answers CONNECT and acknowledges QoS 1.
// Output lines, read by tests/Device/run-mqtt-benchmark.sh:
//   "mqtt-q<qos> <n>"      IL of one client turn: Publish, MqttClient.Poll, NetworkStack.Poll (the
//                          PUBLISH segment out, and for QoS 1 the broker's PUBACK in and handled)
//   "mqtt-frames q<qos> sent <n> received <n> messages <n>"   frames A sent and received meanwhile
//   "mqtt-first <n>"       IL of the very first Publish call (a one-time cost, reported apart)
using System;
using NanoTcp.Boards;
using NanoTcp.Firmware.Services;
using NanoTcp.Mqtt;
using NanoTcp.Sockets;
using NanoTcp.StackSuites;
using NanoTcp.Tcp;
using NanoTcp.Wire;

namespace NanoTcp.DeviceBench
{
    public sealed class MqttBench
    {
        public const int Messages = 100;

        private sealed class LanClock : IBoardClock
        {
            private readonly WireLan _lan;
            public LanClock(WireLan lan) { _lan = lan; }
            public long NowMicroseconds { get { return _lan.Now * 1000; } }
            public void Delay(int microseconds) { }
        }

        private readonly WireLan _lan = WireLan.Pair();
        private readonly MqttClient _client;
        private readonly byte[] _in = new byte[4096];
        private readonly byte[] _payload = new byte[128];
        private readonly byte[] _pubAck = { 0x40, 0x02, 0, 0 };
        private readonly MqttTopic _topic = new MqttTopic("bench/nanotcp/q0"); // 16 bytes
        private TcpConnection _broker;
        private int _inCount;

        /// <summary>Connects the client (not measured).</summary>
        public MqttBench()
        {
            TcpListener listener = _lan.B.Tcp.Listen(1883, 1);
            var runner = new StackRunner(_lan.A, new LanClock(_lan));
            var config = new MqttConfig();
            config.BrokerHost = Ipv4Address.Format(WireLan.AddressB);
            _client = new MqttClient(new SocketFactory(runner), config);
            _client.Start();
            for (int i = 0; i < 2000 && !_client.IsConnected; i++)
            {
                _lan.A.Poll(_lan.Now);
                _client.Poll(_lan.Now);
                _lan.B.Poll(_lan.Now);
                if (_broker == null)
                    _broker = _lan.B.Tcp.Accept(listener);
                if (_broker != null && BrokerRead() > 0 && _in[0] == 0x10)
                {
                    _inCount = 0;
                    byte[] connAck = { 0x20, 0x02, 0, 0 };
                    _lan.B.Tcp.Send(_broker, connAck, 0, 4);
                }
                _lan.Now++;
            }
            if (!_client.IsConnected)
                throw new InvalidOperationException("the MQTT client did not connect");
        }

        /// <summary>The first Publish alone (it costs far more than the rest, once), then the broker drains it.</summary>
        public void First()
        {
            Console.WriteLine("[[il-mark]]"); // a line of its own: the host sets the mark only then
            _client.Publish(_topic, _payload, 0, _payload.Length, 0, false);
            Console.WriteLine("mqtt-first [[il-delta]]");
            for (int step = 0; step < 5; step++)
            {
                _lan.A.Poll(_lan.Now);
                _client.Poll(_lan.Now);
                _lan.B.Poll(_lan.Now);
                _lan.Now++;
            }
            _inCount = 0;
            _lan.B.Tcp.Receive(_broker, _in, 0, _in.Length);
        }

        /// <summary>Messages publishes at qos, each its own turn bracketed by the IL counter's tokens.</summary>
        public void Run(int qos)
        {
            int sentBefore = _lan.PortA.FramesSent, receivedBefore = _lan.PortB.FramesSent;
            int acked = _client.PubAcksReceived;
            for (int m = 0; m < Messages; m++)
            {
                _payload[0] = (byte)m;
                Console.WriteLine("[[il-mark]]"); // a line of its own: the host sets the mark only then
                bool taken = _client.Publish(_topic, _payload, 0, _payload.Length, qos, false);
                _lan.A.Poll(_lan.Now);
                _client.Poll(_lan.Now);
                Console.WriteLine(qos == 0 ? "mqtt-q0 [[il-delta]]" : "mqtt-q1 [[il-delta]]");
                if (!taken)
                    throw new InvalidOperationException("Publish refused a message");
                // The broker's side, not measured: takes the PUBLISH and, at QoS 1, acknowledges it.
                for (int step = 0; step < 5; step++)
                {
                    _lan.B.Poll(_lan.Now);
                    BrokerRead();
                    int remaining, lengthBytes;
                    while ((lengthBytes = MqttPacket.ReadRemainingLength(_in, 1, _inCount, out remaining)) > 0 && _inCount >= 1 + lengthBytes + remaining)
                    {
                        int length = 1 + lengthBytes + remaining;
                        if (qos == 1 && _in[0] >> 4 == MqttPacket.Publish)
                        {
                            int idAt = 1 + lengthBytes + 2 + _topic.Length;
                            _pubAck[2] = _in[idAt];
                            _pubAck[3] = _in[idAt + 1];
                            _lan.B.Tcp.Send(_broker, _pubAck, 0, 4);
                        }
                        Array.Copy(_in, length, _in, 0, _inCount - length);
                        _inCount -= length;
                    }
                    _lan.Now++;
                }
                if (qos == 1)
                {
                    Console.WriteLine("[[il-mark]]"); // a line of its own: the host sets the mark only then
                    _lan.A.Poll(_lan.Now);
                    _client.Poll(_lan.Now);
                    Console.WriteLine("mqtt-q1 [[il-delta]]");
                }
                _lan.Now += 5;
            }
            if (qos == 1 && _client.PubAcksReceived - acked != Messages)
                throw new InvalidOperationException("not every QoS 1 message was acknowledged");
            Console.WriteLine(string.Concat("mqtt-frames q", qos.ToString(), " sent ", (_lan.PortA.FramesSent - sentBefore).ToString(),
                string.Concat(" received ", (_lan.PortB.FramesSent - receivedBefore).ToString(), " messages ", Messages.ToString())));
        }

        private int BrokerRead()
        {
            int n = _lan.B.Tcp.Receive(_broker, _in, _inCount, _in.Length - _inCount);
            if (n > 0) _inCount += n;
            return n;
        }
    }
}
