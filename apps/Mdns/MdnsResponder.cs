// mDNS responder, RFC 6762, for one record: the A record of <HostName>.local with the stack's address.
// It joins 224.0.0.251 on port 5353, announces the record when the stack has an address (8.3) and
// again whenever the address changes, answers A and ANY questions at once (6: a unique record needs
// no random delay), NSEC for AAAA (6.1: we have no IPv6 address), by multicast, or by unicast when
// the question asks for it (5.4, the QU bit) or comes from a port other than 5353 (6.7, legacy
// unicast: id and question echoed, TTL at most 10 s). A query that already holds our record with at
// least half its TTL left gets no answer (7.1, known-answer suppression), and the record is never
// multicast twice within a second (6). Stop sends a goodbye (TTL 0, 10.1).
// Not done: probing (8.1) and conflict resolution (9): the name is assumed to be ours. Messages over
// StackConfig.UdpDatagramCapacity are dropped by the stack (counted there), truncated (TC) queries
// are answered from their first part.
using NanoTcp.Dns;
using NanoTcp.Udp;
using NanoTcp.Wire;

namespace NanoTcp.Mdns
{
    public sealed class MdnsResponder
    {
        private const int LegacyTtlSeconds = 10;
        private const int MulticastIntervalMs = 1000;
        private const int MaxQuestions = 32;
        private const int MaxAnswers = 32;

        private readonly NetworkStack _stack;
        private readonly MdnsConfig _config;
        private readonly UdpSocket _socket;
        private readonly byte[] _name = new byte[DnsMessage.MaxNameLength + 1];
        private readonly int _nameLength;
        private readonly string _fullName;
        private readonly byte[] _query;
        private readonly byte[] _response;
        private bool _running;
        private uint _announced;          // the address the last announcement carried
        private int _announcementsLeft;
        private int _announceIntervalMs;
        private long _announceAt = long.MaxValue;
        private long _lastMulticastAt = long.MinValue / 2;

        /// <summary>Takes UDP port 5353 and the 224.0.0.251 group from the stack; throws when the name is
        /// not a valid label, or the port, a socket or a group slot is not free.</summary>
        public MdnsResponder(NetworkStack stack, MdnsConfig config)
        {
            _stack = stack;
            _config = config;
            if (config.HostName == null || config.HostName.IndexOf('.') >= 0)
                throw new System.ArgumentException("mDNS: HostName must be one label, without dots");
            _fullName = config.HostName + ".local";
            _nameLength = DnsMessage.EncodeName(_fullName, _name, 0);
            if (_nameLength < 0)
                throw new System.ArgumentException("mDNS: HostName is not a valid host name label");
            _socket = stack.OpenUdp(MdnsMessage.Port);
            if (_socket == null)
                throw new System.InvalidOperationException("mDNS: UDP port 5353 or a socket is not free (raise StackConfig.UdpSockets)");
            if (!stack.JoinMulticast(MdnsMessage.Group))
                throw new System.InvalidOperationException("mDNS: no multicast group slot (raise StackConfig.MulticastGroups)");
            _socket.TimeToLive = 255; // RFC 6762 11
            _query = new byte[stack.Config.UdpDatagramCapacity];
            // Header, one question (legacy replies echo it), the A record, the NSEC record (name twice).
            _response = new byte[MdnsMessage.HeaderLength + (_nameLength + 4) + (_nameLength + 14) + (2 * _nameLength + 13)];
        }

        /// <summary>The name it answers for, "<HostName>.local".</summary>
        public string Name { get { return _fullName; } }
        public bool IsRunning { get { return _running; } }

        public int QueriesReceived { get; private set; }
        public int MulticastAnswers { get; private set; }
        public int UnicastAnswers { get; private set; }
        public int LegacyAnswers { get; private set; }
        public int Announcements { get; private set; }
        /// <summary>Answers not sent: the query held our record (7.1), or we multicast it under a second ago (6).</summary>
        public int KnownAnswerSuppressions { get; private set; }
        public int RateLimited { get; private set; }
        /// <summary>Responses from other hosts, and messages with a non-zero opcode or rcode (18.3, 18.11).</summary>
        public int MessagesIgnored { get; private set; }
        public int MessagesMalformed { get; private set; }

        /// <summary>Announces as soon as the stack has an address, then answers queries.</summary>
        public void Start(long now)
        {
            _running = true;
            _announced = 0;
        }

        /// <summary>Says goodbye (the record with TTL 0, RFC 6762 10.1) and stops answering.</summary>
        public void Stop(long now)
        {
            if (_running && _stack.IsConfigured && _announced != 0)
                Send(MdnsMessage.Group, MdnsMessage.Port, 0, false, 0, true, true, 0);
            _running = false;
            _announcementsLeft = 0;
            _announceAt = long.MaxValue;
        }

        /// <summary>Answers waiting queries and sends due announcements; returns the next deadline.</summary>
        public long Poll(long now)
        {
            uint source;
            int sourcePort;
            int length;
            while ((length = _stack.ReceiveFrom(_socket, _query, 0, _query.Length, out source, out sourcePort)) >= 0)
            {
                if (_running && _stack.IsConfigured)
                    HandleMessage(length, source, sourcePort, now);
            }
            if (!_running)
                return long.MaxValue;
            uint address = _stack.Address;
            if (address != 0 && address != _announced)
            {
                _announced = address;
                _announcementsLeft = _config.Announcements < 1 ? 1 : (_config.Announcements > 8 ? 8 : _config.Announcements);
                _announceIntervalMs = MulticastIntervalMs;
                _announceAt = now;
            }
            if (address != 0 && _announcementsLeft > 0 && now >= _announceAt)
            {
                Send(MdnsMessage.Group, MdnsMessage.Port, 0, false, 0, true, true, _config.TimeToLiveSeconds);
                _lastMulticastAt = now;
                Announcements++;
                _announcementsLeft--;
                _announceAt = _announcementsLeft > 0 ? now + _announceIntervalMs : long.MaxValue;
                _announceIntervalMs *= 2;
            }
            return _announceAt;
        }

        private void HandleMessage(int length, uint source, int sourcePort, long now)
        {
            if (length < MdnsMessage.HeaderLength)
            {
                MessagesMalformed++;
                return;
            }
            int flags = NetworkOrder.ReadUInt16(_query, 2);
            if ((flags & MdnsMessage.FlagResponse) != 0 || ((flags >> 11) & 0xF) != 0 || (flags & 0xF) != 0)
            {
                MessagesIgnored++;
                return;
            }
            QueriesReceived++;
            int questions = NetworkOrder.ReadUInt16(_query, 4);
            int answers = NetworkOrder.ReadUInt16(_query, 6);
            bool wantA = false, wantNsec = false, allUnicast = true;
            int askedType = 0;
            int p = MdnsMessage.HeaderLength;
            for (int i = 0; i < questions; i++)
            {
                int end = DnsMessage.SkipName(_query, 0, length, p);
                if (i >= MaxQuestions || end < 0 || end + 4 > length)
                {
                    MessagesMalformed++;
                    return;
                }
                int type = NetworkOrder.ReadUInt16(_query, end);
                int klass = NetworkOrder.ReadUInt16(_query, end + 2);
                int plainClass = klass & ~MdnsMessage.UnicastResponseBit;
                if ((plainClass == MdnsMessage.ClassIn || plainClass == MdnsMessage.ClassAny)
                    && MdnsMessage.NameMatches(_query, length, p, _name, _nameLength))
                {
                    bool a = type == MdnsMessage.TypeA || type == MdnsMessage.TypeAny;
                    bool nsec = type == MdnsMessage.TypeAaaa;
                    if (a || nsec)
                    {
                        wantA |= a;
                        wantNsec |= nsec;
                        if (askedType == 0) askedType = type;
                        allUnicast &= (klass & MdnsMessage.UnicastResponseBit) != 0;
                    }
                }
                p = end + 4;
            }
            if (!wantA && !wantNsec)
                return;
            if (wantA && HoldsOurRecord(length, p, answers))
            {
                KnownAnswerSuppressions++;
                wantA = false;
                if (!wantNsec)
                    return;
            }
            int ttl = _config.TimeToLiveSeconds;
            if (sourcePort != MdnsMessage.Port)
            {
                // 6.7: a one-shot resolver; it wants a plain DNS reply. No NSEC: such resolvers ask again over unicast DNS.
                if (!wantA)
                    return;
                Send(source, sourcePort, NetworkOrder.ReadUInt16(_query, 0), true, askedType, true, false,
                    ttl < LegacyTtlSeconds ? ttl : LegacyTtlSeconds);
                LegacyAnswers++;
                return;
            }
            if (allUnicast)
            {
                Send(source, MdnsMessage.Port, 0, false, 0, wantA, true, ttl);
                UnicastAnswers++;
                return;
            }
            if (now - _lastMulticastAt < MulticastIntervalMs)
            {
                RateLimited++;
                return;
            }
            Send(MdnsMessage.Group, MdnsMessage.Port, 0, false, 0, wantA, true, ttl);
            _lastMulticastAt = now;
            MulticastAnswers++;
        }

        /// <summary>7.1: the query's answer section already has our A record with at least half its TTL.</summary>
        private bool HoldsOurRecord(int length, int p, int answers)
        {
            for (int i = 0; i < answers && i < MaxAnswers; i++)
            {
                int end = DnsMessage.SkipName(_query, 0, length, p);
                if (end < 0 || end + 10 > length)
                    return false;
                int type = NetworkOrder.ReadUInt16(_query, end);
                uint ttl = NetworkOrder.ReadUInt32(_query, end + 4);
                int rdLength = NetworkOrder.ReadUInt16(_query, end + 8);
                if (end + 10 + rdLength > length)
                    return false;
                if (type == MdnsMessage.TypeA && rdLength == 4 && ttl >= (uint)_config.TimeToLiveSeconds / 2
                    && NetworkOrder.ReadUInt32(_query, end + 10) == _stack.Address
                    && MdnsMessage.NameMatches(_query, length, p, _name, _nameLength))
                    return true;
                p = end + 10 + rdLength;
            }
            return false;
        }

        /// <summary>Builds and sends a response: for legacy queries the id and question echoed and no
        /// cache-flush bit (6.7); the A record (when withA) and the NSEC saying A is all we have (6.1).</summary>
        private void Send(uint destination, int port, int id, bool legacy, int questionType, bool withA, bool withNsec, int ttl)
        {
            byte[] m = _response;
            NetworkOrder.WriteUInt16(m, 0, id);
            NetworkOrder.WriteUInt16(m, 2, MdnsMessage.FlagResponse | MdnsMessage.FlagAuthoritative);
            NetworkOrder.WriteUInt16(m, 4, legacy ? 1 : 0);
            NetworkOrder.WriteUInt16(m, 6, (withA ? 1 : 0) + (withNsec && !withA ? 1 : 0));
            NetworkOrder.WriteUInt16(m, 8, 0);
            NetworkOrder.WriteUInt16(m, 10, withA && withNsec ? 1 : 0); // NSEC goes with an A answer as additional record
            int p = MdnsMessage.HeaderLength;
            if (legacy)
            {
                p = WriteName(p);
                NetworkOrder.WriteUInt16(m, p, questionType);
                NetworkOrder.WriteUInt16(m, p + 2, MdnsMessage.ClassIn);
                p += 4;
            }
            int klass = legacy ? MdnsMessage.ClassIn : MdnsMessage.ClassIn | MdnsMessage.CacheFlushBit;
            if (withA)
            {
                p = WriteName(p);
                p = WriteRecordHeader(p, MdnsMessage.TypeA, klass, ttl, 4);
                NetworkOrder.WriteUInt32(m, p, _stack.Address);
                p += 4;
            }
            if (withNsec)
            {
                // RFC 4034 4.1: next domain name (our own, RFC 6762 6.1), then the type bitmap:
                // window 0, one byte, bit 1 (A) set.
                p = WriteName(p);
                p = WriteRecordHeader(p, MdnsMessage.TypeNsec, klass, ttl, _nameLength + 3);
                System.Array.Copy(_name, 0, m, p, _nameLength);
                p += _nameLength;
                m[p++] = 0;
                m[p++] = 1;
                m[p++] = 0x40;
            }
            _stack.SendTo(_socket, destination, port, m, 0, p);
        }

        /// <summary>Our name, uncompressed: a response holds it at most three times, and readers need no pointers.</summary>
        private int WriteName(int p)
        {
            System.Array.Copy(_name, 0, _response, p, _nameLength);
            return p + _nameLength;
        }

        private int WriteRecordHeader(int p, int type, int klass, int ttl, int rdLength)
        {
            NetworkOrder.WriteUInt16(_response, p, type);
            NetworkOrder.WriteUInt16(_response, p + 2, klass);
            NetworkOrder.WriteUInt32(_response, p + 4, (uint)ttl);
            NetworkOrder.WriteUInt16(_response, p + 8, rdLength);
            return p + 10;
        }
    }
}
