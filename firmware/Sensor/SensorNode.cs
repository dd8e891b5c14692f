// The sample firmware application (issue 15): a sensor node that takes its address by DHCP (started
// by whoever built the stack), its time by SNTP (RFC 4330), and publishes a reading to MQTT every few
// seconds; it obeys commands on its command topic: "interval <ms>" and "publish". Polled like the
// stack (Poll(now) -> next deadline), so the same object runs on the device's poll thread
// (StackRunner.OnPolled) and in `nanotcp sensor` on the desktop. Nothing is allocated per reading.
using NanoTcp.Firmware.Services;
using NanoTcp.Mqtt;
using NanoTcp.Sntp;
using NanoTcp.Sockets;
using System.Threading;

namespace NanoTcp.Sensor
{
    public sealed class SensorNode
    {
        private const int MinimumIntervalMs = 1000, MaximumIntervalMs = 3600000;
        private const int WaitForAddressMs = 100;
        /// <summary>The first reading waits this long for SNTP's answer, so it carries the time.</summary>
        private const int WaitForTimeMs = 5000;

        private readonly StackRunner _runner;
        private readonly NetworkStack _stack;
        private readonly SensorConfig _config;
        private readonly SensorRead _read;
        private readonly MqttClient _mqtt;
        private readonly SntpClient _sntp;
        private readonly MqttTopic _readingTopic, _commandTopic, _statusTopic;
        private readonly AsciiWriter _payload = new AsciiWriter(160);
        private readonly byte[] _online = { (byte)'o', (byte)'n', (byte)'l', (byte)'i', (byte)'n', (byte)'e' };
        private readonly byte[] _offline = { (byte)'o', (byte)'f', (byte)'f', (byte)'l', (byte)'i', (byte)'n', (byte)'e' };
        private bool _started;
        private int _announcedConnection;
        private bool _publishNow, _waitingForTime;
        private long _nextReadingAt;

        public SensorNode(SocketFactory sockets, SensorConfig config, IRandomSource random, SensorRead read)
        {
            _runner = sockets.Runner;
            _stack = _runner.Stack;
            _config = config;
            _read = read;
            IntervalMs = config.PublishIntervalMs;
            string prefix = string.Concat("nanotcp/", config.DeviceId, "/");
            _readingTopic = new MqttTopic(string.Concat(prefix, "reading"));
            _commandTopic = new MqttTopic(string.Concat(prefix, "cmd"));
            _statusTopic = new MqttTopic(string.Concat(prefix, "status"));
            var mqtt = new MqttConfig();
            mqtt.BrokerHost = config.BrokerHost;
            mqtt.BrokerPort = config.BrokerPort;
            mqtt.ClientId = string.Concat("nanotcp-", config.DeviceId);
            mqtt.WillTopic = _statusTopic.Text;
            mqtt.WillMessage = _offline;
            mqtt.WillQos = 1;
            mqtt.WillRetain = true;
            _mqtt = new MqttClient(sockets, mqtt);
            _mqtt.OnMessage = OnCommand;
            _mqtt.Subscribe(_commandTopic, 1);
            var sntp = new SntpConfig();
            sntp.Server = config.NtpServer;
            Monitor.Enter(_runner.Lock);
            try { _sntp = new SntpClient(_stack, sntp, random); }
            finally { Monitor.Exit(_runner.Lock); }
        }

        /// <summary>What the node takes from the stack: its MQTT client's and one UDP socket for SNTP.</summary>
        public static void Reserve(StackConfigBuilder builder, SensorConfig config)
        {
            var mqtt = new MqttConfig();
            mqtt.BrokerHost = config.BrokerHost;
            MqttClient.Reserve(builder, mqtt);
            builder.AddUdpSockets(1);
        }

        public SensorConfig Config { get { return _config; } }
        public MqttClient Mqtt { get { return _mqtt; } }
        public SntpClient Sntp { get { return _sntp; } }
        public int IntervalMs { get; private set; }
        public int ReadingsPublished { get; private set; }
        /// <summary>Readings Publish could not take (QoS 1 slots full while the broker is away).</summary>
        public int ReadingsDropped { get; private set; }
        public int LastReading { get; private set; }
        public int CommandsReceived { get; private set; }
        public int CommandsRejected { get; private set; }

        public long Poll(long now)
        {
            Monitor.Enter(_runner.Lock);
            try
            {
                if (!_stack.IsConfigured)
                    return now + WaitForAddressMs; // DHCP still running
                if (!_started)
                {
                    _started = true;
                    _sntp.Start(now);
                    _mqtt.Start();
                    _nextReadingAt = now + WaitForTimeMs;
                    _waitingForTime = true;
                }
                long next = _sntp.Poll(now);
                long mqtt = _mqtt.Poll(now);
                if (mqtt < next) next = mqtt;
                if (_mqtt.IsConnected && _announcedConnection != _mqtt.Connections
                    && _mqtt.Publish(_statusTopic, _online, 0, _online.Length, 1, true))
                    _announcedConnection = _mqtt.Connections; // retained "online" replaces the will's "offline"
                if (now >= _nextReadingAt || _publishNow || (_waitingForTime && _sntp.IsSynchronized))
                {
                    PublishReading(now);
                    _publishNow = false;
                    _waitingForTime = false;
                    _nextReadingAt = now + IntervalMs;
                }
                return _nextReadingAt < next ? _nextReadingAt : next;
            }
            finally { Monitor.Exit(_runner.Lock); }
        }

        /// <summary>Says "offline" (retained, as the will would) and leaves the broker with DISCONNECT.</summary>
        public void Stop()
        {
            Monitor.Enter(_runner.Lock);
            try
            {
                if (_mqtt.IsConnected)
                    _mqtt.Publish(_statusTopic, _offline, 0, _offline.Length, 0, true);
                _mqtt.Stop();
                _sntp.Stop();
            }
            finally { Monitor.Exit(_runner.Lock); }
        }

        /// <summary>{"id":"sensor1","seq":12,"temp":21.53,"time":"2026-12-01T11:40:05Z"} (time null until SNTP answered).</summary>
        private void PublishReading(long now)
        {
            int reading = _read(now);
            LastReading = reading;
            AsciiWriter w = _payload;
            w.Clear();
            w.Text("{\"id\":\"").Text(_config.DeviceId).Text("\",\"seq\":").Number(ReadingsPublished + ReadingsDropped + 1).Text(",\"temp\":");
            if (reading < 0) { w.Byte('-'); reading = -reading; }
            w.Number(reading / 100).Byte('.');
            TwoDigits(w, reading % 100);
            w.Text(",\"time\":");
            if (_sntp.IsSynchronized)
            {
                System.DateTime t = _sntp.UtcTime(now);
                w.Byte('"').Number(t.Year).Byte('-');
                TwoDigits(w, t.Month); w.Byte('-');
                TwoDigits(w, t.Day); w.Byte('T');
                TwoDigits(w, t.Hour); w.Byte(':');
                TwoDigits(w, t.Minute); w.Byte(':');
                TwoDigits(w, t.Second); w.Text("Z\"");
            }
            else
                w.Text("null");
            w.Byte('}');
            if (_mqtt.Publish(_readingTopic, w.Buffer, 0, w.Length, _config.ReadingQos, false))
                ReadingsPublished++;
            else
                ReadingsDropped++;
        }

        private static void TwoDigits(AsciiWriter w, int value)
        {
            w.Byte((char)('0' + value / 10 % 10)).Byte((char)('0' + value % 10));
        }

        /// <summary>"interval <ms>" (1 s to 1 h) or "publish"; anything else is counted and ignored.</summary>
        private void OnCommand(MqttClient client, byte[] buffer, int topicOffset, int topicLength, int payloadOffset, int payloadLength, int qos, bool retain)
        {
            if (!_commandTopic.Matches(buffer, topicOffset, topicLength))
                return;
            CommandsReceived++;
            if (StartsWith(buffer, payloadOffset, payloadLength, "publish") && payloadLength == 7)
            {
                _publishNow = true;
                return;
            }
            if (StartsWith(buffer, payloadOffset, payloadLength, "interval "))
            {
                long ms = 0;
                int digits = 0;
                for (int i = payloadOffset + 9; i < payloadOffset + payloadLength && digits < 8; i++, digits++)
                {
                    int d = buffer[i] - '0';
                    if (d < 0 || d > 9) { digits = 0; break; }
                    ms = ms * 10 + d;
                }
                if (digits > 0 && payloadOffset + 9 + digits == payloadOffset + payloadLength && ms >= MinimumIntervalMs && ms <= MaximumIntervalMs)
                {
                    IntervalMs = (int)ms;
                    _nextReadingAt = _runner.NowMs + IntervalMs;
                    return;
                }
            }
            CommandsRejected++;
        }

        private static bool StartsWith(byte[] buffer, int offset, int length, string text)
        {
            if (length < text.Length)
                return false;
            for (int i = 0; i < text.Length; i++)
                if (buffer[offset + i] != text[i])
                    return false;
            return true;
        }
    }
}
