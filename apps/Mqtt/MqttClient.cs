// An MQTT 3.1.1 client (OASIS standard, 29 October 2014), polled like the stack: Poll(now) does what
// is due and returns when it is next due (ARCHITECTURE.md "Above the stack"). Its TCP connection is a
// StreamSocket used only through the non-blocking calls, so Poll may run on the poll thread
// (StackRunner.OnPolled), on any firmware thread, or in a test's loop; every public member takes the
// runner's lock. Buffers are allocated here, in the constructor; Poll, Publish and delivery allocate
// nothing.
//
// Order of a Poll: connection steps (resolve 3.1 broker name, TCP handshake, CONNECT 3.1, CONNACK 3.2);
// once connected: send what waits (QoS 1 messages in publication order 4.6, SUBSCRIBE 3.8, UNSUBSCRIBE
// 3.10), read and handle packets (PUBLISH 3.3 with PUBACK 3.4, SUBACK 3.9, UNSUBACK 3.11, PINGRESP
// 3.13), keep-alive (PINGREQ 3.12 after KeepAlive seconds without sending, 3.1.2.10; a broker that does
// not answer within PingTimeoutMs is dead). A lost connection is retried with doubling back-off; QoS 1
// messages not acknowledged are sent again on the new connection (4.4: with DUP and their packet
// identifier in a kept session; as new messages in a clean one).
using NanoTcp.Firmware.Services;
using NanoTcp.Sockets;

namespace NanoTcp.Mqtt
{
    public enum MqttState : byte
    {
        Stopped,
        WaitingToReconnect,
        Resolving,
        Connecting,
        WaitingForConnAck,
        Connected,
    }

    /// <summary>A PUBLISH from the broker: topic and payload are views of the client's receive buffer, valid
    /// only during the call (copy what you keep).</summary>
    public delegate void MqttMessageHandler(MqttClient client, byte[] buffer, int topicOffset, int topicLength,
        int payloadOffset, int payloadLength, int qos, bool retain);

    public sealed class MqttClient
    {
        private const int PollIntervalMs = 10; // while waiting for the network, how soon Poll wants to run again
        private const int Refused = -2;
        private const byte SubFree = 0, SubToSend = 1, SubSent = 2, SubAcked = 3, SubRefused = 4, UnsubToSend = 5, UnsubSent = 6;

        private readonly SocketFactory _factory;
        private readonly StackRunner _runner;
        private readonly MqttConfig _config;
        private readonly StreamSocket _socket;
        private readonly byte[] _rx;
        private readonly byte[] _tx;
        private int _rxCount, _txCount, _skip;

        private readonly byte[] _clientId, _userName, _password, _willTopic;

        private readonly byte[][] _inflight;
        private readonly int[] _inflightLength, _inflightId;
        private readonly long[] _inflightSequence;
        private readonly bool[] _inflightUsed, _inflightSent, _inflightQueued;
        private long _sequence;
        private int _nextPacketId = 1;

        private readonly MqttTopic[] _subTopic;
        private readonly int[] _subQos, _subPacketId;
        private readonly byte[] _subState;

        private MqttState _state;
        private long _now, _deadline, _reconnectAt, _lastSentAt, _pingSentAt;
        private bool _pingOutstanding;
        private int _backoffMs;

        public MqttClient(SocketFactory factory, MqttConfig config)
        {
            _factory = factory;
            _runner = factory.Runner;
            _config = config;
            _socket = factory.CreateStream();
            _rx = new byte[config.PacketCapacity];
            _tx = new byte[config.PacketCapacity];
            _clientId = Utf8.GetBytes(config.ClientId == null ? "" : config.ClientId);
            _userName = config.UserName == null ? null : Utf8.GetBytes(config.UserName);
            _password = config.Password == null ? null : Utf8.GetBytes(config.Password);
            _willTopic = config.WillTopic == null ? null : new MqttTopic(config.WillTopic).Bytes;
            if (_willTopic != null && (config.WillQos < 0 || config.WillQos > 1))
                throw new System.ArgumentException("will QoS must be 0 or 1");
            if (ConnectLength() > config.PacketCapacity)
                throw new System.ArgumentException("the CONNECT packet (client id, credentials, will) exceeds PacketCapacity");
            if (_clientId.Length == 0 && !config.CleanSession)
                throw new System.ArgumentException("an empty client id needs CleanSession (3.1.3.1)");
            _inflight = new byte[config.InflightMessages][];
            for (int i = 0; i < _inflight.Length; i++)
                _inflight[i] = new byte[config.PacketCapacity];
            _inflightLength = new int[config.InflightMessages];
            _inflightId = new int[config.InflightMessages];
            _inflightSequence = new long[config.InflightMessages];
            _inflightUsed = new bool[config.InflightMessages];
            _inflightSent = new bool[config.InflightMessages];
            _inflightQueued = new bool[config.InflightMessages];
            _subTopic = new MqttTopic[config.Subscriptions];
            _subQos = new int[config.Subscriptions];
            _subPacketId = new int[config.Subscriptions];
            _subState = new byte[config.Subscriptions];
            _backoffMs = config.ReconnectMinMs;
        }

        /// <summary>What a client with this configuration takes from the stack: one TCP connection, and the DNS
        /// resolver when the broker is a name.</summary>
        public static void Reserve(StackConfigBuilder builder, MqttConfig config)
        {
            builder.AddTcpConnections(1);
            uint address;
            if (config.BrokerHost == null || !NanoTcp.Wire.Ipv4Address.TryParse(config.BrokerHost, out address))
                builder.AddDnsResolver();
        }

        /// <summary>Called from Poll for each PUBLISH received.</summary>
        public MqttMessageHandler OnMessage;

        public MqttState State { get { return _state; } }
        public bool IsConnected { get { return _state == MqttState.Connected; } }
        public MqttConfig Config { get { return _config; } }
        /// <summary>The packet identifier of the last QoS 1 message Publish accepted.</summary>
        public int LastPacketId { get; private set; }
        /// <summary>QoS 1 messages waiting for their PUBACK (or for a connection to be sent on).</summary>
        public int InflightCount
        {
            get
            {
                int n = 0;
                for (int i = 0; i < _inflightUsed.Length; i++) if (_inflightUsed[i]) n++;
                return n;
            }
        }

        /// <summary>3.2.2.3: the broker's last CONNACK return code (0 accepted; 1-5 refused, see the spec's table 3.1).</summary>
        public int LastConnAckCode { get; private set; }
        /// <summary>Why the last connection attempt or connection ended (socket level).</summary>
        public SocketError LastSocketError { get; private set; }
        /// <summary>3.2.2.2: the broker kept our session at the last CONNACK.</summary>
        public bool SessionPresent { get; private set; }

        public int Connections, ConnectionsLost, DeadBrokerDetections, ProtocolErrors, PacketsTooLarge;
        public int MessagesReceived, MessagesSent, PubAcksReceived, Retransmissions;

        // ---- Application calls ---------------------------------------------------------------

        /// <summary>Starts connecting at the next Poll; after a loss it reconnects by itself until Stop.</summary>
        public void Start()
        {
            System.Threading.Monitor.Enter(_runner.Lock);
            try
            {
                if (_state == MqttState.Stopped)
                {
                    _state = MqttState.WaitingToReconnect;
                    _reconnectAt = 0;
                    _backoffMs = _config.ReconnectMinMs;
                }
            }
            finally { System.Threading.Monitor.Exit(_runner.Lock); }
            _runner.Wake();
        }

        /// <summary>DISCONNECT (3.14: the broker then drops the will) and close; no reconnect.</summary>
        public void Stop()
        {
            System.Threading.Monitor.Enter(_runner.Lock);
            try
            {
                if (_state == MqttState.Connected && Room(2))
                {
                    Put2(MqttPacket.Disconnect << 4, 0);
                    Flush();
                }
                _socket.Close();
                _state = MqttState.Stopped;
                _rxCount = _txCount = _skip = 0;
            }
            finally { System.Threading.Monitor.Exit(_runner.Lock); }
            _runner.Wake();
        }

        /// <summary>Publishes at QoS 0 (connected, and room in the send buffer) or 1 (a free in-flight slot; sent
        /// now if connected, else on the next connection). False when it cannot be taken now.</summary>
        public bool Publish(MqttTopic topic, byte[] payload, int offset, int count, int qos, bool retain)
        {
            if (topic.IsFilter || qos < 0 || qos > 1 || count < 0)
                return false;
            int remaining = 2 + topic.Length + (qos > 0 ? 2 : 0) + count;
            int total = 1 + MqttPacket.RemainingLengthSize(remaining) + remaining;
            if (total > _tx.Length)
                return false;
            System.Threading.Monitor.Enter(_runner.Lock);
            try
            {
                if (qos == 0)
                {
                    if (_state != MqttState.Connected || !Room(total))
                        return false;
                    _txCount = WritePublish(_tx, _txCount, topic, payload, offset, count, 0, retain, 0, remaining);
                    MessagesSent++;
                    Sent();
                    Flush();
                    return true;
                }
                int slot = FreeInflightSlot();
                if (slot < 0)
                    return false;
                int id = NextPacketId();
                _inflightLength[slot] = WritePublish(_inflight[slot], 0, topic, payload, offset, count, 1, retain, id, remaining);
                _inflightId[slot] = id;
                _inflightUsed[slot] = true;
                _inflightSent[slot] = false;
                _inflightQueued[slot] = true;
                _inflightSequence[slot] = ++_sequence;
                LastPacketId = id;
                if (_state == MqttState.Connected)
                {
                    SendQueuedInflight();
                    Flush();
                }
                return true;
            }
            finally { System.Threading.Monitor.Exit(_runner.Lock); }
        }

        /// <summary>Subscribes to filter at QoS 0 or 1, now or on connecting; kept across reconnects. False when
        /// every subscription slot is taken or qos is not 0 or 1.</summary>
        public bool Subscribe(MqttTopic filter, int qos)
        {
            if (qos < 0 || qos > 1 || 2 + filter.Length + 1 + 2 + 5 > _tx.Length)
                return false;
            System.Threading.Monitor.Enter(_runner.Lock);
            try
            {
                for (int i = 0; i < _subState.Length; i++)
                {
                    if (_subState[i] != SubFree)
                        continue;
                    _subTopic[i] = filter;
                    _subQos[i] = qos;
                    _subState[i] = SubToSend;
                    if (_state == MqttState.Connected)
                        SendQueuedSubscriptions();
                    return true;
                }
                return false;
            }
            finally { System.Threading.Monitor.Exit(_runner.Lock); }
        }

        /// <summary>The broker's answer to Subscribe: true once acknowledged (SUBACK with a granted QoS).</summary>
        public bool IsSubscribed(MqttTopic filter)
        {
            int i = FindSubscription(filter);
            return i >= 0 && _subState[i] == SubAcked;
        }

        /// <summary>The broker refused the subscription (SUBACK 0x80, 3.9.3).</summary>
        public bool IsSubscriptionRefused(MqttTopic filter)
        {
            int i = FindSubscription(filter);
            return i >= 0 && _subState[i] == SubRefused;
        }

        /// <summary>Ends the subscription (UNSUBSCRIBE, 3.10); the slot is free once the broker acknowledged it.</summary>
        public bool Unsubscribe(MqttTopic filter)
        {
            System.Threading.Monitor.Enter(_runner.Lock);
            try
            {
                int i = FindSubscription(filter);
                if (i < 0)
                    return false;
                if (_subState[i] == SubToSend || _subState[i] == SubRefused)
                {
                    Free(i); // the broker holds no such subscription
                    return true;
                }
                _subState[i] = UnsubToSend;
                SendQueuedSubscriptions();
                return true;
            }
            finally { System.Threading.Monitor.Exit(_runner.Lock); }
        }

        /// <summary>For firmware threads: polls until connected or timeoutMs passed (also when another thread polls).</summary>
        public bool WaitUntilConnected(int timeoutMs)
        {
            long deadline = _runner.NowMs + timeoutMs;
            while (true)
            {
                Poll(_runner.NowMs);
                if (_state == MqttState.Connected)
                    return true;
                if (!_runner.AwaitProgress(deadline))
                    return false;
            }
        }

        /// <summary>For firmware threads: polls until every QoS 1 message was acknowledged or timeoutMs passed.</summary>
        public bool WaitUntilAcknowledged(int timeoutMs)
        {
            long deadline = _runner.NowMs + timeoutMs;
            while (true)
            {
                Poll(_runner.NowMs);
                if (InflightCount == 0)
                    return true;
                if (!_runner.AwaitProgress(deadline))
                    return false;
            }
        }

        // ---- The state machine -----------------------------------------------------------------

        /// <summary>Runs the client at now (ms, the runner's clock); returns when it wants to run next. Call it
        /// also after each stack poll: data that arrives does not move the deadline.</summary>
        public long Poll(long now)
        {
            System.Threading.Monitor.Enter(_runner.Lock);
            try
            {
                _now = now;
                switch (_state)
                {
                    case MqttState.Stopped:
                        return long.MaxValue;
                    case MqttState.WaitingToReconnect:
                        if (now < _reconnectAt)
                            return _reconnectAt;
                        _state = MqttState.Resolving;
                        _deadline = now + _config.ConnectTimeoutMs;
                        return PollResolving(now);
                    case MqttState.Resolving:
                        return PollResolving(now);
                    case MqttState.Connecting:
                        return PollConnecting(now);
                    default:
                        return PollSession(now);
                }
            }
            finally { System.Threading.Monitor.Exit(_runner.Lock); }
        }

        private long PollResolving(long now)
        {
            uint address;
            SocketError error = _factory.TryResolve(_config.BrokerHost, out address);
            if (error == SocketError.InProgress)
                return now >= _deadline ? Lost(now, SocketError.TimedOut) : now + PollIntervalMs;
            if (error != SocketError.Success)
                return Lost(now, error);
            error = _socket.BeginConnect(address, _config.BrokerPort);
            if (error != SocketError.InProgress)
                return Lost(now, error);
            _state = MqttState.Connecting;
            _deadline = now + _config.ConnectTimeoutMs;
            return PollConnecting(now);
        }

        private long PollConnecting(long now)
        {
            SocketError status = _socket.ConnectStatus;
            if (status == SocketError.InProgress)
                return now >= _deadline ? Lost(now, SocketError.TimedOut) : now + PollIntervalMs;
            if (status != SocketError.Success)
                return Lost(now, status);
            _socket.NoDelay = true; // each packet is one message: do not hold small ones back (RFC 1122 4.2.3.4)
            _rxCount = _txCount = _skip = 0;
            _pingOutstanding = false;
            WriteConnect();
            Sent();
            _state = MqttState.WaitingForConnAck;
            _deadline = now + _config.ConnectTimeoutMs;
            return PollSession(now);
        }

        private long PollSession(long now)
        {
            if (!Flush())
                return Lost(now, _socket.Error);
            if (_state == MqttState.Connected)
            {
                SendQueuedInflight();
                SendQueuedSubscriptions();
            }
            while (true)
            {
                int n = _rxCount < _rx.Length ? _socket.TryReceive(_rx, _rxCount, _rx.Length - _rxCount) : 0;
                if (n < 0)
                    return Lost(now, _socket.Error == SocketError.Success ? SocketError.NotConnected : _socket.Error);
                _rxCount += n;
                int handled = HandlePackets();
                if (handled == Refused)
                    return Lost(now, SocketError.Success); // LastConnAckCode says why
                if (handled < 0)
                {
                    ProtocolErrors++;
                    return Lost(now, SocketError.Success);
                }
                if (_state != MqttState.Connected && _state != MqttState.WaitingForConnAck)
                    return Poll(now); // the message handler called Stop
                if (n == 0 || handled == 0)
                    break;
            }
            if (_state == MqttState.Connected)
            {
                SendQueuedInflight(); // also right after CONNACK, not a keep-alive later
                SendQueuedSubscriptions();
            }
            if (_state == MqttState.WaitingForConnAck)
            {
                if (now >= _deadline)
                    return Lost(now, SocketError.TimedOut);
                Flush();
                return now + PollIntervalMs;
            }
            long next = long.MaxValue;
            int keepAliveMs = _config.KeepAliveSeconds * 1000;
            if (keepAliveMs > 0)
            {
                if (_pingOutstanding)
                {
                    if (now - _pingSentAt >= _config.PingTimeoutMs)
                    {
                        DeadBrokerDetections++;
                        return Lost(now, SocketError.TimedOut);
                    }
                    next = _pingSentAt + _config.PingTimeoutMs;
                }
                else if (now - _lastSentAt >= keepAliveMs && Room(2))
                {
                    Put2(MqttPacket.PingReq << 4, 0);
                    Sent();
                    _pingSentAt = now;
                    _pingOutstanding = true;
                    next = now + _config.PingTimeoutMs;
                }
                else
                    next = _lastSentAt + keepAliveMs;
            }
            if (!Flush())
                return Lost(now, _socket.Error);
            if (_txCount > 0 && next > now + PollIntervalMs)
                next = now + PollIntervalMs;
            return next;
        }

        /// <summary>Handles every complete packet in the receive buffer: how many, -1 on a protocol error, Refused
        /// when CONNACK said no.</summary>
        private int HandlePackets()
        {
            int handled = 0;
            while (true)
            {
                if (_skip > 0)
                {
                    int drop = _skip < _rxCount ? _skip : _rxCount;
                    Consume(drop);
                    _skip -= drop;
                    if (_skip > 0)
                        return handled + 1; // more to drop when it arrives
                }
                if (_rxCount < 2)
                    return handled;
                int length;
                int lengthBytes = MqttPacket.ReadRemainingLength(_rx, 1, _rxCount, out length);
                if (lengthBytes < 0)
                    return -1;
                if (lengthBytes == 0)
                    return handled;
                int header = 1 + lengthBytes;
                int type = _rx[0] >> 4;
                if (header + length > _rx.Length)
                {
                    if (type != MqttPacket.Publish)
                        return -1;
                    if (_rxCount < _rx.Length)
                        return handled; // fill the buffer first: the packet identifier is near the start
                    if (!SkipLargePublish(header, length))
                        return handled;
                    handled++;
                    continue;
                }
                if (_rxCount < header + length)
                    return handled;
                int result = HandlePacket(type, _rx[0] & 0x0F, header, length);
                if (result < 0)
                    return result;
                if (result == 0)
                    return handled; // needs room in the send buffer: next Poll
                Consume(header + length);
                handled++;
            }
        }

        /// <summary>1 handled, 0 wait for send-buffer room, -1 protocol error, Refused.</summary>
        private int HandlePacket(int type, int flags, int p, int length)
        {
            if (_state == MqttState.WaitingForConnAck && type != MqttPacket.ConnAck)
                return -1; // 3.2: the first packet from the server is CONNACK
            switch (type)
            {
                case MqttPacket.ConnAck:
                    return HandleConnAck(flags, p, length);
                case MqttPacket.Publish:
                    return HandlePublish(flags, p, length);
                case MqttPacket.PubAck:
                    if (flags != 0 || length != 2)
                        return -1;
                    Acknowledged(MqttPacket.ReadUInt16(_rx, p));
                    return 1;
                case MqttPacket.SubAck:
                    return HandleSubAck(flags, p, length);
                case MqttPacket.UnsubAck:
                    if (flags != 0 || length != 2)
                        return -1;
                    int id = MqttPacket.ReadUInt16(_rx, p);
                    for (int i = 0; i < _subState.Length; i++)
                        if (_subState[i] == UnsubSent && _subPacketId[i] == id)
                            Free(i);
                    return 1;
                case MqttPacket.PingResp:
                    if (flags != 0 || length != 0)
                        return -1;
                    _pingOutstanding = false;
                    return 1;
                default:
                    return -1; // QoS 2 flows (we never ask for QoS 2) and client-to-server types
            }
        }

        private int HandleConnAck(int flags, int p, int length)
        {
            if (_state != MqttState.WaitingForConnAck || flags != 0 || length != 2 || (_rx[p] & 0xFE) != 0)
                return -1; // 3.2.2.1: bits 7-1 of the acknowledge flags are reserved, 0
            int code = _rx[p + 1];
            LastConnAckCode = code;
            if (code != 0)
                return Refused;
            SessionPresent = (_rx[p] & 1) != 0 && !_config.CleanSession;
            _state = MqttState.Connected;
            _backoffMs = _config.ReconnectMinMs;
            Connections++;
            // 4.4: what the session must carry over. Without a kept session the broker knows none of our
            // subscriptions; in-flight SUBSCRIBEs are asked again either way.
            for (int i = 0; i < _subState.Length; i++)
            {
                if (_subState[i] == SubSent || (_subState[i] == SubAcked && !SessionPresent))
                    _subState[i] = SubToSend;
                else if (_subState[i] == UnsubSent)
                    _subState[i] = UnsubToSend;
            }
            for (int i = 0; i < _inflightUsed.Length; i++)
            {
                if (!_inflightUsed[i])
                    continue;
                _inflightQueued[i] = true;
                bool dup = _inflightSent[i] && SessionPresent;
                byte first = _inflight[i][0];
                _inflight[i][0] = (byte)(dup ? first | 0x08 : first & ~0x08); // 3.3.1.1 DUP
            }
            return 1;
        }

        private int HandlePublish(int flags, int p, int length)
        {
            int qos = (flags >> 1) & 3;
            if (qos > 1 || length < 2)
                return -1; // we subscribe at QoS 0 or 1 only, so the broker never sends 2 (3.8.4); 3 is malformed (3.3.1.2)
            int topicLength = MqttPacket.ReadUInt16(_rx, p);
            int payload = p + 2 + topicLength + (qos > 0 ? 2 : 0);
            int end = p + length;
            if (topicLength == 0 || payload > end)
                return -1;
            if (qos > 0 && !Room(4))
                return 0;
            MessagesReceived++;
            MqttMessageHandler handler = OnMessage;
            if (handler != null)
                handler(this, _rx, p + 2, topicLength, payload, end - payload, qos, (flags & 1) != 0);
            if (qos > 0)
            {
                Put2(MqttPacket.PubAck << 4, 2);
                MqttPacket.WriteUInt16(_tx, _txCount, MqttPacket.ReadUInt16(_rx, p + 2 + topicLength));
                _txCount += 2;
                Sent();
            }
            return 1;
        }

        /// <summary>A PUBLISH larger than the receive buffer: acknowledged when QoS 1 (so it is not sent forever)
        /// and dropped. False when the packet identifier cannot be read or acknowledged yet.</summary>
        private bool SkipLargePublish(int header, int length)
        {
            int qos = (_rx[0] >> 1) & 3;
            if (qos == 1)
            {
                int idAt = header + 2 + MqttPacket.ReadUInt16(_rx, header);
                if (idAt + 2 > _rx.Length)
                {
                    _skip = header + length; // cannot even see the identifier: drop it
                    PacketsTooLarge++;
                    return true;
                }
                if (!Room(4))
                    return false;
                Put2(MqttPacket.PubAck << 4, 2);
                MqttPacket.WriteUInt16(_tx, _txCount, MqttPacket.ReadUInt16(_rx, idAt));
                _txCount += 2;
                Sent();
            }
            PacketsTooLarge++;
            _skip = header + length;
            return true;
        }

        private int HandleSubAck(int flags, int p, int length)
        {
            if (flags != 0 || length != 3)
                return -1; // we send one filter per SUBSCRIBE: one return code
            int id = MqttPacket.ReadUInt16(_rx, p);
            int code = _rx[p + 2];
            for (int i = 0; i < _subState.Length; i++)
            {
                if (_subState[i] != SubSent || _subPacketId[i] != id)
                    continue;
                _subState[i] = code == 0x80 ? SubRefused : SubAcked;
            }
            return 1;
        }

        private void Acknowledged(int id)
        {
            for (int i = 0; i < _inflightUsed.Length; i++)
            {
                if (_inflightUsed[i] && _inflightSent[i] && _inflightId[i] == id)
                {
                    _inflightUsed[i] = false;
                    PubAcksReceived++;
                    return;
                }
            }
        }

        /// <summary>Connection over: close it and wait for the back-off. Returns the reconnect time.</summary>
        private long Lost(long now, SocketError error)
        {
            if (_state == MqttState.Connected)
                ConnectionsLost++;
            LastSocketError = error;
            _socket.Abort(); // RST: a dead or misbehaving broker gets no graceful close, and the slot is free at once
            _rxCount = _txCount = _skip = 0;
            _pingOutstanding = false;
            _state = MqttState.WaitingToReconnect;
            _reconnectAt = now + _backoffMs;
            _backoffMs = _backoffMs * 2 > _config.ReconnectMaxMs ? _config.ReconnectMaxMs : _backoffMs * 2;
            return _reconnectAt;
        }

        // ---- Output ------------------------------------------------------------------------------

        private void SendQueuedInflight()
        {
            while (true)
            {
                int oldest = -1;
                for (int i = 0; i < _inflightUsed.Length; i++)
                    if (_inflightUsed[i] && _inflightQueued[i] && (oldest < 0 || _inflightSequence[i] < _inflightSequence[oldest]))
                        oldest = i;
                if (oldest < 0 || !Room(_inflightLength[oldest]))
                    return;
                System.Array.Copy(_inflight[oldest], 0, _tx, _txCount, _inflightLength[oldest]);
                _txCount += _inflightLength[oldest];
                if (_inflightSent[oldest])
                    Retransmissions++;
                else
                    MessagesSent++;
                _inflightSent[oldest] = true;
                _inflightQueued[oldest] = false;
                Sent();
            }
        }

        private void SendQueuedSubscriptions()
        {
            for (int i = 0; i < _subState.Length; i++)
            {
                byte state = _subState[i];
                if (state != SubToSend && state != UnsubToSend)
                    continue;
                MqttTopic t = _subTopic[i];
                bool subscribe = state == SubToSend;
                int remaining = 2 + 2 + t.Length + (subscribe ? 1 : 0);
                if (!Room(1 + MqttPacket.RemainingLengthSize(remaining) + remaining))
                    return;
                int id = NextPacketId();
                // 3.8.1 / 3.10.1: bits 3-0 of the fixed header are 0010.
                _tx[_txCount++] = (byte)(((subscribe ? MqttPacket.Subscribe : MqttPacket.Unsubscribe) << 4) | 0x02);
                _txCount += MqttPacket.WriteRemainingLength(_tx, _txCount, remaining);
                MqttPacket.WriteUInt16(_tx, _txCount, id);
                _txCount = MqttPacket.WriteString(_tx, _txCount + 2, t.Bytes, t.Length);
                if (subscribe)
                    _tx[_txCount++] = (byte)_subQos[i];
                _subPacketId[i] = id;
                _subState[i] = subscribe ? SubSent : UnsubSent;
                Sent();
            }
        }

        private int ConnectLength()
        {
            int remaining = ConnectRemainingLength();
            return 1 + MqttPacket.RemainingLengthSize(remaining) + remaining;
        }

        private int ConnectRemainingLength()
        {
            int remaining = 10 + 2 + _clientId.Length;
            if (_willTopic != null)
                remaining += 2 + _willTopic.Length + 2 + (_config.WillMessage == null ? 0 : _config.WillMessage.Length);
            if (_userName != null)
                remaining += 2 + _userName.Length;
            if (_password != null)
                remaining += 2 + _password.Length;
            return remaining;
        }

        /// <summary>3.1: fixed header, protocol name "MQTT", level 4, connect flags, keep-alive, then the payload
        /// in the order client id, will topic, will message, user name, password (3.1.3).</summary>
        private void WriteConnect()
        {
            int remaining = ConnectRemainingLength();
            int p = 0;
            _tx[p++] = MqttPacket.Connect << 4;
            p += MqttPacket.WriteRemainingLength(_tx, p, remaining);
            _tx[p++] = 0; _tx[p++] = 4;
            _tx[p++] = (byte)'M'; _tx[p++] = (byte)'Q'; _tx[p++] = (byte)'T'; _tx[p++] = (byte)'T';
            _tx[p++] = 4; // 3.1.2.2: protocol level 4 is 3.1.1
            int flags = 0;
            if (_userName != null) flags |= 0x80;
            if (_password != null) flags |= 0x40;
            if (_willTopic != null)
            {
                flags |= 0x04 | (_config.WillQos << 3);
                if (_config.WillRetain) flags |= 0x20;
            }
            if (_config.CleanSession) flags |= 0x02;
            _tx[p++] = (byte)flags;
            MqttPacket.WriteUInt16(_tx, p, _config.KeepAliveSeconds);
            p = MqttPacket.WriteString(_tx, p + 2, _clientId, _clientId.Length);
            if (_willTopic != null)
            {
                p = MqttPacket.WriteString(_tx, p, _willTopic, _willTopic.Length);
                byte[] will = _config.WillMessage;
                p = will == null ? MqttPacket.WriteString(_tx, p, _tx, 0) : MqttPacket.WriteString(_tx, p, will, will.Length);
            }
            if (_userName != null)
                p = MqttPacket.WriteString(_tx, p, _userName, _userName.Length);
            if (_password != null)
                p = MqttPacket.WriteString(_tx, p, _password, _password.Length);
            _txCount = p;
        }

        private static int WritePublish(byte[] buffer, int p, MqttTopic topic, byte[] payload, int offset, int count, int qos, bool retain, int id, int remaining)
        {
            buffer[p++] = (byte)((MqttPacket.Publish << 4) | (qos << 1) | (retain ? 1 : 0));
            p += MqttPacket.WriteRemainingLength(buffer, p, remaining);
            p = MqttPacket.WriteString(buffer, p, topic.Bytes, topic.Length);
            if (qos > 0)
            {
                MqttPacket.WriteUInt16(buffer, p, id);
                p += 2;
            }
            System.Array.Copy(payload, offset, buffer, p, count);
            return p + count;
        }

        private void Put2(int first, int second)
        {
            _tx[_txCount++] = (byte)first;
            _tx[_txCount++] = (byte)second;
        }

        private bool Room(int bytes)
        {
            return _txCount + bytes <= _tx.Length;
        }

        private void Sent()
        {
            _lastSentAt = _now;
        }

        /// <summary>Moves the send buffer into the socket's ring; false when the connection can no longer send.</summary>
        private bool Flush()
        {
            if (_txCount == 0)
                return true;
            int n = _socket.TrySend(_tx, 0, _txCount);
            if (n < 0)
                return false;
            if (n > 0)
            {
                System.Array.Copy(_tx, n, _tx, 0, _txCount - n);
                _txCount -= n;
            }
            return true;
        }

        private void Consume(int bytes)
        {
            System.Array.Copy(_rx, bytes, _rx, 0, _rxCount - bytes);
            _rxCount -= bytes;
        }

        private int NextPacketId()
        {
            // 2.3.1: non-zero, and not one still in use by an unacknowledged packet.
            while (true)
            {
                int id = _nextPacketId;
                _nextPacketId = id == 65535 ? 1 : id + 1;
                if (!PacketIdInUse(id))
                    return id;
            }
        }

        private bool PacketIdInUse(int id)
        {
            for (int i = 0; i < _inflightUsed.Length; i++)
                if (_inflightUsed[i] && _inflightId[i] == id)
                    return true;
            for (int i = 0; i < _subState.Length; i++)
                if ((_subState[i] == SubSent || _subState[i] == UnsubSent) && _subPacketId[i] == id)
                    return true;
            return false;
        }

        private int FreeInflightSlot()
        {
            for (int i = 0; i < _inflightUsed.Length; i++)
                if (!_inflightUsed[i])
                    return i;
            return -1;
        }

        private int FindSubscription(MqttTopic filter)
        {
            for (int i = 0; i < _subState.Length; i++)
                if (_subState[i] != SubFree && _subTopic[i] == filter)
                    return i;
            return -1;
        }

        private void Free(int i)
        {
            _subState[i] = SubFree;
            _subTopic[i] = null;
        }
    }
}
