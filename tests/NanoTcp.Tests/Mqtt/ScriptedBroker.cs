using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using NanoTcp.Boards.Desktop;
using NanoTcp.Firmware.Services;
using NanoTcp.Mqtt;
using NanoTcp.Sockets;
using NanoTcp.Tcp;
using NanoTcp.Tests.Stack;

namespace NanoTcp.Tests.Mqtt
{
    /// <summary>Packets mosquitto_pub and mosquitto_sub sent to a fake broker (Golden/make_golden.py).</summary>
    public static class MqttGolden
    {
        private static readonly Lazy<Dictionary<string, byte[]>> s_all = new(() =>
        {
            var all = new Dictionary<string, byte[]>();
            foreach (string line in File.ReadLines(Path.Combine(RepoLayout.Root, "tests", "NanoTcp.Tests", "Mqtt", "Golden", "packets.jsonl")))
            {
                if (line.Length == 0) continue;
                using var doc = JsonDocument.Parse(line);
                all[doc.RootElement.GetProperty("name").GetString()] = Convert.FromHexString(doc.RootElement.GetProperty("hex").GetString());
            }
            return all;
        });

        public static byte[] Get(string name) => (byte[])s_all.Value[name].Clone();
    }

    /// <summary>The MQTT client on stack A (its runner's clock following virtual time, no poll thread) and a
    /// broker scripted by the test on stack B's TCP, port 1883: it reads exactly the bytes a test expects
    /// and sends what the test gives it.</summary>
    public sealed class ScriptedBroker
    {
        public readonly StackPair Pair = new(5);
        public readonly VirtualBoardClock Clock = new();
        public readonly StackRunner Runner;
        public readonly SocketFactory Sockets;
        public MqttClient Client;
        /// <summary>What Step polls after the stacks: the client, or an application that owns one.</summary>
        public Func<long, long> Poller;
        public readonly TcpListener Listener;
        public TcpConnection Connection;
        private readonly byte[] _in = new byte[4096];
        private int _inCount;

        public ScriptedBroker()
        {
            Runner = new StackRunner(Pair.A, Clock);
            Sockets = new SocketFactory(Runner);
            Listener = Pair.B.Tcp.Listen(1883, 2);
        }

        public static MqttConfig DefaultConfig() => new() { BrokerHost = "10.0.0.2", ClientId = "nanotcp", KeepAliveSeconds = 30 };

        public MqttClient Start(MqttConfig config = null)
        {
            Client = new MqttClient(Sockets, config ?? DefaultConfig());
            Poller = Client.Poll;
            Client.Start();
            return Client;
        }

        public long Now => Pair.Switch.Now;

        /// <summary>One step of virtual time: both stacks, then the client (no delegates: the allocation tests use it).</summary>
        public void Step()
        {
            SimulatedSwitch sw = Pair.Switch;
            long nextA = Pair.A.Poll(sw.Now);
            long nextB = Pair.B.Poll(sw.Now);
            Clock.NowMicroseconds = sw.Now * 1000;
            long nextC = Poller(sw.Now);
            if (Connection == null)
                Connection = Pair.B.Tcp.Accept(Listener);
            long next = Math.Min(Math.Min(nextA, nextB), Math.Min(nextC, sw.NextDelivery));
            sw.Now = next > sw.Now ? Math.Min(next, sw.Now + 10) : sw.Now + 1;
        }

        public bool RunUntil(Func<bool> done, int limitMs)
        {
            long end = Now + limitMs;
            while (Now <= end)
            {
                Step();
                if (done()) return true;
            }
            return done();
        }

        public void Run(int ms)
        {
            long end = Now + ms;
            while (Now < end) Step();
        }

        /// <summary>Takes exactly n bytes the client sent (waiting up to limitMs of virtual time).</summary>
        public byte[] Read(int n, int limitMs = 5000)
        {
            long end = Now + limitMs;
            while (_inCount < n && Now <= end)
            {
                Step();
                if (Connection != null)
                    _inCount += Math.Max(0, Pair.B.Tcp.Receive(Connection, _in, _inCount, _in.Length - _inCount));
            }
            if (_inCount < n)
                throw new Xunit.Sdk.XunitException($"broker got {_inCount} of {n} bytes: {Convert.ToHexString(_in, 0, _inCount)}");
            var packet = _in.AsSpan(0, n).ToArray();
            Array.Copy(_in, n, _in, 0, _inCount - n);
            _inCount -= n;
            return packet;
        }

        /// <summary>The next whole MQTT packet the client sent.</summary>
        public byte[] ReadPacket(int limitMs = 5000)
        {
            byte[] head = Read(2, limitMs);
            int length = head[1] & 0x7F, shift = 7;
            var all = new List<byte>(head);
            while ((all[^1] & 0x80) != 0)
            {
                byte b = Read(1)[0];
                all.Add(b);
                length |= (b & 0x7F) << shift;
                shift += 7;
            }
            all.AddRange(Read(length, limitMs));
            return all.ToArray();
        }

        /// <summary>True when the client sent nothing more within ms.</summary>
        public bool Quiet(int ms)
        {
            long end = Now + ms;
            while (Now < end)
            {
                Step();
                if (Connection != null)
                    _inCount += Math.Max(0, Pair.B.Tcp.Receive(Connection, _in, _inCount, _in.Length - _inCount));
            }
            return _inCount == 0;
        }

        public void Send(params byte[] bytes)
        {
            int sent = Pair.B.Tcp.Send(Connection, bytes, 0, bytes.Length);
            if (sent != bytes.Length)
                throw new Xunit.Sdk.XunitException($"broker could send {sent} of {bytes.Length}");
        }

        /// <summary>Waits for the client's connection, reads its CONNECT and answers CONNACK (3.2) with sessionPresent and code.</summary>
        public byte[] AcceptConnect(bool sessionPresent = false, int code = 0)
        {
            if (!RunUntil(() => Connection != null, 30000))
                throw new Xunit.Sdk.XunitException("the client did not connect");
            byte[] connect = ReadPacket();
            Send(0x20, 0x02, (byte)(sessionPresent ? 1 : 0), (byte)code);
            return connect;
        }

        /// <summary>The broker side drops the connection (RST) and forgets it; the next one is accepted afresh.</summary>
        public void Drop()
        {
            Pair.B.Tcp.Abort(Connection);
            Connection = null;
            _inCount = 0;
        }
    }
}
