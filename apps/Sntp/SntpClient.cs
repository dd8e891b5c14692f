// SNTP client, RFC 4330 (SNTPv4) in unicast mode, which is RFC 5905's client mode without the clock
// filter: one request at a time to one server, the clock offset from the four timestamps (RFC 4330
// section 5). The request's transmit timestamp is a random nonce, not our time (we have none before the
// first reply): the server echoes it as origin timestamp, and a reply whose origin differs is not an
// answer to us (RFC 5905 8, "bogus"). Polled like the stack: Poll(now) returns the next deadline.
// Polls never come faster than 15 s apart, and unanswered ones back off (RFC 4330 section 10).
using NanoTcp.Udp;
using NanoTcp.Wire;

namespace NanoTcp.Sntp
{
    public sealed class SntpClient
    {
        /// <summary>RFC 4330 section 10: a client MUST NOT poll more often than every 15 s.</summary>
        public const int MinimumPollIntervalMs = 15000;
        private const int NoServerRecheckMs = 1000;
        private const long UnixEpochTicks = 621355968000000000; // DateTime ticks at 1970-01-01
        private const uint MaxRootDistance = 0x10000;          // 1 s in NTP short format (RFC 5905 MAXDIST)

        private readonly NetworkStack _stack;
        private readonly SntpConfig _config;
        private readonly IRandomSource _random;
        private readonly UdpSocket _socket;
        private readonly byte[] _request = new byte[NtpPacket.Length];
        private readonly byte[] _reply = new byte[NtpPacket.Length];
        private uint _nonceHigh, _nonceLow; // the transmit timestamp we sent
        private bool _running;
        private bool _awaiting;
        private uint _queried;     // the server the pending request went to
        private uint _denied;      // a server that said DENY or RSTR
        private long _sentAt;
        private long _timeoutAt = long.MaxValue;
        private long _nextQueryAt = long.MaxValue;
        private int _pollMs;
        private int _retryMs;

        /// <summary>Takes a UDP socket from the stack (at a random port); throws when none is free.</summary>
        public SntpClient(NetworkStack stack, SntpConfig config, IRandomSource random)
        {
            _stack = stack;
            _config = config;
            _random = random;
            _socket = stack.OpenUdpAtRandomPort();
            if (_socket == null)
                throw new System.InvalidOperationException("SNTP: no free UDP socket (raise StackConfig.UdpSockets)");
            _pollMs = config.PollIntervalMs < MinimumPollIntervalMs ? MinimumPollIntervalMs : config.PollIntervalMs;
            _request[NtpPacket.Flags] = (byte)((NtpPacket.Version << 3) | NtpPacket.ModeClient); // LI 0, VN 4, mode 3
        }

        public bool IsSynchronized { get; private set; }
        public SntpOutcome LastOutcome { get; private set; }
        /// <summary>Unix time in milliseconds minus the local clock (the now given to Poll).</summary>
        public long OffsetMs { get; private set; }
        /// <summary>Round-trip delay of the last accepted exchange, without the server's own time.</summary>
        public int RoundTripMs { get; private set; }
        public int ServerStratum { get; private set; }
        /// <summary>The server of the last accepted reply.</summary>
        public uint SynchronizedWith { get; private set; }
        public long SynchronizedAt { get; private set; }
        /// <summary>Local time the last request was handed to the stack (T1 of RFC 4330 section 5).</summary>
        public long LastQueryAt { get { return _sentAt; } }
        /// <summary>The poll interval now in force (grows on kiss code RATE).</summary>
        public int PollIntervalMs { get { return _pollMs; } }
        public int LocalPort { get { return _socket.LocalPort; } }

        public int RequestsSent { get; private set; }
        public int RepliesAccepted { get; private set; }
        /// <summary>Datagrams that were not the answer to our pending request (other source or port,
        /// short, not mode 4, origin not our nonce, duplicates).</summary>
        public int RepliesIgnored { get; private set; }
        /// <summary>Answers that failed a sanity check.</summary>
        public int RepliesRejected { get; private set; }
        public int KissesOfDeath { get; private set; }
        public int Timeouts { get; private set; }

        /// <summary>Queries at now, then every poll interval.</summary>
        public void Start(long now)
        {
            _running = true;
            _awaiting = false;
            _retryMs = 0;
            _nextQueryAt = now;
        }

        public void Stop()
        {
            _running = false;
            _awaiting = false;
            _nextQueryAt = long.MaxValue;
            _timeoutAt = long.MaxValue;
        }

        /// <summary>Unix time in milliseconds at local time now; meaningful once IsSynchronized.</summary>
        public long UnixTimeMs(long now)
        {
            return now + OffsetMs;
        }

        /// <summary>UTC at local time now; meaningful once IsSynchronized.</summary>
        public System.DateTime UtcTime(long now)
        {
            return new System.DateTime(UnixEpochTicks + UnixTimeMs(now) * 10000, System.DateTimeKind.Utc);
        }

        /// <summary>Handles waiting replies, the reply timeout and the next query; returns the next deadline.</summary>
        public long Poll(long now)
        {
            uint source;
            int sourcePort;
            int length;
            while ((length = _stack.ReceiveFrom(_socket, _reply, 0, _reply.Length, out source, out sourcePort)) >= 0)
                HandleDatagram(length, source, sourcePort, now);
            if (!_running)
                return long.MaxValue;
            if (_awaiting && now >= _timeoutAt)
            {
                _awaiting = false;
                Timeouts++;
                LastOutcome = SntpOutcome.TimedOut;
                BackOff(_sentAt);
            }
            if (!_awaiting && now >= _nextQueryAt)
                Query(now);
            return _awaiting ? _timeoutAt : _nextQueryAt;
        }

        private uint ChooseServer()
        {
            if (_config.Server != 0)
                return _config.Server;
            return _stack.Dhcp != null ? _stack.Dhcp.NtpServer : 0;
        }

        private void Query(long now)
        {
            uint server = ChooseServer();
            if (server == 0 || !_stack.IsConfigured || server == _denied)
            {
                if (server != 0 && server == _denied)
                    LastOutcome = SntpOutcome.KissDeny;
                else
                    LastOutcome = SntpOutcome.NoServer;
                _nextQueryAt = now + NoServerRecheckMs; // no traffic: wait for DHCP or a new server
                return;
            }
            _nonceHigh = _random.NextUInt32();
            _nonceLow = _random.NextUInt32();
            NetworkOrder.WriteUInt32(_request, NtpPacket.TransmitTimestamp, _nonceHigh);
            NetworkOrder.WriteUInt32(_request, NtpPacket.TransmitTimestamp + 4, _nonceLow);
            _queried = server;
            _sentAt = now;
            _awaiting = true;
            _timeoutAt = now + _config.ReplyTimeoutMs;
            RequestsSent++;
            if (_stack.SendTo(_socket, server, NtpPacket.Port, _request, 0, NtpPacket.Length) < 0)
            {
                _awaiting = false; // no route now: counts as unanswered
                Timeouts++;
                LastOutcome = SntpOutcome.TimedOut;
                BackOff(now);
            }
        }

        /// <summary>Unanswered: 15 s, then twice as long each time, up to the poll interval.</summary>
        private void BackOff(long from)
        {
            _retryMs = _retryMs == 0 ? MinimumPollIntervalMs : _retryMs * 2;
            if (_retryMs > _pollMs)
                _retryMs = _pollMs;
            _nextQueryAt = from + _retryMs;
        }

        private void HandleDatagram(int length, uint source, int sourcePort, long now)
        {
            // RFC 4330 section 5: from the server we asked, its port 123, a server-mode reply to our request.
            if (!_awaiting || source != _queried || sourcePort != NtpPacket.Port || length < NtpPacket.Length
                || NtpPacket.Mode(_reply, 0) != NtpPacket.ModeServer
                || NtpPacket.VersionNumber(_reply, 0) < 3 || NtpPacket.VersionNumber(_reply, 0) > 4
                || NetworkOrder.ReadUInt32(_reply, NtpPacket.OriginTimestamp) != _nonceHigh
                || NetworkOrder.ReadUInt32(_reply, NtpPacket.OriginTimestamp + 4) != _nonceLow)
            {
                RepliesIgnored++;
                return;
            }
            _awaiting = false; // answered: a duplicate or replay of this reply is ignored
            int stratum = _reply[NtpPacket.Stratum];
            if (stratum == 0)
            {
                HandleKiss(now);
                return;
            }
            uint rootDistance = (NetworkOrder.ReadUInt32(_reply, NtpPacket.RootDelay) >> 1)
                              + NetworkOrder.ReadUInt32(_reply, NtpPacket.RootDispersion);
            if (NtpPacket.LeapIndicator(_reply, 0) == NtpPacket.LeapAlarm || stratum >= NtpPacket.StratumUnsynchronized
                || NtpPacket.IsZero(_reply, NtpPacket.TransmitTimestamp) || NtpPacket.IsZero(_reply, NtpPacket.ReceiveTimestamp)
                || rootDistance >= MaxRootDistance)
            {
                RepliesRejected++;
                LastOutcome = SntpOutcome.Rejected;
                BackOff(_sentAt);
                return;
            }
            // RFC 4330 section 5: t1 sent, t2 received by the server, t3 sent by it, t4 received here.
            long t2 = NtpPacket.ToUnixMilliseconds(_reply, NtpPacket.ReceiveTimestamp);
            long t3 = NtpPacket.ToUnixMilliseconds(_reply, NtpPacket.TransmitTimestamp);
            long delay = (now - _sentAt) - (t3 - t2);
            OffsetMs = ((t2 - _sentAt) + (t3 - now)) / 2;
            RoundTripMs = delay < 0 ? 0 : (int)delay;
            ServerStratum = stratum;
            SynchronizedWith = _queried;
            SynchronizedAt = now;
            IsSynchronized = true;
            RepliesAccepted++;
            LastOutcome = SntpOutcome.Synchronized;
            _retryMs = 0;
            _nextQueryAt = _sentAt + _pollMs;
        }

        /// <summary>Stratum 0: the reference id holds a four-letter kiss code (RFC 5905 7.4, RFC 4330 8).</summary>
        private void HandleKiss(long now)
        {
            KissesOfDeath++;
            uint code = NetworkOrder.ReadUInt32(_reply, NtpPacket.ReferenceId);
            if (code == 0x44454E59 || code == 0x52535452) // "DENY", "RSTR": stop asking this server
            {
                _denied = _queried;
                LastOutcome = SntpOutcome.KissDeny;
                _nextQueryAt = now + NoServerRecheckMs;
                return;
            }
            if (code == 0x52415445) // "RATE": poll less often
            {
                long doubled = (long)_pollMs * 2;
                _pollMs = doubled > _config.MaxPollIntervalMs ? _config.MaxPollIntervalMs : (int)doubled;
                if (_pollMs < MinimumPollIntervalMs)
                    _pollMs = MinimumPollIntervalMs;
                LastOutcome = SntpOutcome.KissRate;
                _retryMs = 0;
                _nextQueryAt = _sentAt + _pollMs;
                return;
            }
            LastOutcome = SntpOutcome.KissOther;
            BackOff(_sentAt);
        }
    }
}
