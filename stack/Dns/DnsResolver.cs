// A stub resolver for A records, RFC 1035 (7.1-7.3 resolver behaviour): one query at a time, a random
// id and a random source port for each (RFC 5452 section 9), retries at 1, 2 and 4 s, and a small
// cache that honours the TTL. A reply counts only when it comes from the server's port 53 and its id
// and question match ours; anything else is counted and ignored.
using NanoTcp.Udp;
using NanoTcp.Wire;

namespace NanoTcp.Dns
{
    public enum DnsStatus : byte
    {
        Idle,
        Pending,
        Resolved,
        /// <summary>The server said the name does not exist (RCODE 3).</summary>
        NotFound,
        /// <summary>The server failed or refused, or the answer held no A record.</summary>
        Failed,
        TimedOut,
        NoServer,
        InvalidName,
    }

    public sealed class DnsResolver
    {
        private const int QueryCapacity = 12 + 256 + 4;
        private const int ReplyCapacity = 576;
        private const int Tries = 3;
        private const int CacheEntries = 4;
        private const uint MaxCacheSeconds = 3600;

        private readonly NetworkStack _stack;
        private readonly IRandomSource _random;
        private UdpSocket _socket;
        private readonly byte[] _query = new byte[QueryCapacity];
        private readonly byte[] _reply = new byte[ReplyCapacity];
        private readonly byte[] _name = new byte[256];
        private int _nameLength;
        private int _queryLength;
        private int _id;
        private uint _server;
        private int _tries;
        private long _retransmitAt = long.MaxValue;

        private readonly byte[][] _cacheNames = new byte[CacheEntries][];
        private readonly int[] _cacheNameLength = new int[CacheEntries];
        private readonly uint[] _cacheAddress = new uint[CacheEntries];
        private readonly long[] _cacheExpires = new long[CacheEntries];

        public DnsResolver(NetworkStack stack, UdpSocket socket, IRandomSource random)
        {
            _stack = stack;
            _socket = socket;
            _random = random;
            for (int i = 0; i < CacheEntries; i++)
                _cacheNames[i] = new byte[256];
        }

        public DnsStatus Status { get; private set; }
        /// <summary>The address of the last name resolved.</summary>
        public uint Result { get; private set; }
        public int RepliesIgnored { get; private set; }
        public int RepliesMalformed { get; private set; }
        public int CacheHits { get; private set; }

        /// <summary>Starts resolving name (answered from the cache when fresh). False when a query is
        /// already pending; Status then tells how it went.</summary>
        public bool Resolve(string name)
        {
            if (Status == DnsStatus.Pending)
                return false;
            int length = DnsMessage.EncodeName(name, _name, 0);
            if (length < 0)
            {
                Status = DnsStatus.InvalidName;
                return true;
            }
            _nameLength = length;
            long now = _stack.Now;
            for (int i = 0; i < CacheEntries; i++)
            {
                if (_cacheExpires[i] > now && _cacheNameLength[i] == length && DnsMessage.NameEquals(_cacheNames[i], 0, length, _name, length))
                {
                    CacheHits++;
                    Result = _cacheAddress[i];
                    Status = DnsStatus.Resolved;
                    return true;
                }
            }
            _server = _stack.DnsServer;
            if (_server == 0)
            {
                Status = DnsStatus.NoServer;
                return true;
            }
            // A fresh source port and id for every query (RFC 5452 section 9).
            _stack.CloseUdp(_socket);
            _socket = _stack.OpenUdpAtRandomPort();
            _id = (int)(_random.NextUInt32() & 0xFFFF);
            BuildQuery();
            _tries = 0;
            Status = DnsStatus.Pending;
            Send(now);
            return true;
        }

        public long Poll(long now)
        {
            if (Status != DnsStatus.Pending || _socket == null)
                return long.MaxValue;
            uint source;
            int sourcePort;
            int length;
            while ((length = _stack.ReceiveFrom(_socket, _reply, 0, _reply.Length, out source, out sourcePort)) >= 0)
            {
                if (source != _server || sourcePort != DnsMessage.Port)
                {
                    RepliesIgnored++;
                    continue;
                }
                if (HandleReply(length, now))
                    return long.MaxValue;
            }
            if (now >= _retransmitAt)
            {
                if (_tries >= Tries)
                {
                    Status = DnsStatus.TimedOut;
                    return long.MaxValue;
                }
                Send(now);
            }
            return _retransmitAt;
        }

        private void BuildQuery()
        {
            System.Array.Clear(_query, 0, DnsMessage.HeaderLength);
            NetworkOrder.WriteUInt16(_query, 0, _id);
            NetworkOrder.WriteUInt16(_query, 2, 0x0100); // standard query, recursion desired
            NetworkOrder.WriteUInt16(_query, 4, 1);
            System.Array.Copy(_name, 0, _query, DnsMessage.HeaderLength, _nameLength);
            int p = DnsMessage.HeaderLength + _nameLength;
            NetworkOrder.WriteUInt16(_query, p, DnsMessage.TypeA);
            NetworkOrder.WriteUInt16(_query, p + 2, DnsMessage.ClassIn);
            _queryLength = p + 4;
        }

        private void Send(long now)
        {
            _stack.SendTo(_socket, _server, DnsMessage.Port, _query, 0, _queryLength);
            _retransmitAt = now + (1000 << _tries);
            _tries++;
        }

        /// <summary>True when the reply settled the query (either way).</summary>
        private bool HandleReply(int length, long now)
        {
            if (length < DnsMessage.HeaderLength || DnsMessage.ReadId(_reply, 0) != _id)
            {
                RepliesIgnored++;
                return false;
            }
            int flags = DnsMessage.ReadFlags(_reply, 0);
            if ((flags & 0x8000) == 0 || ((flags >> 11) & 0xF) != 0 || DnsMessage.ReadQuestionCount(_reply, 0) != 1)
            {
                RepliesIgnored++;
                return false;
            }
            // The question must be ours, uncompressed (RFC 5452 section 9).
            int p = DnsMessage.HeaderLength;
            if (!DnsMessage.NameEquals(_reply, p, length, _name, _nameLength) || p + _nameLength + 4 > length
                || NetworkOrder.ReadUInt16(_reply, p + _nameLength) != DnsMessage.TypeA
                || NetworkOrder.ReadUInt16(_reply, p + _nameLength + 2) != DnsMessage.ClassIn)
            {
                RepliesIgnored++;
                return false;
            }
            int rcode = flags & 0xF;
            if (rcode == 3)
            {
                Status = DnsStatus.NotFound;
                return true;
            }
            if (rcode != 0)
            {
                Status = DnsStatus.Failed;
                return true;
            }
            p += _nameLength + 4;
            int answers = DnsMessage.ReadAnswerCount(_reply, 0);
            for (int i = 0; i < answers; i++)
            {
                p = DnsMessage.SkipName(_reply, 0, length, p);
                if (p < 0 || p + 10 > length)
                {
                    RepliesMalformed++;
                    Status = DnsStatus.Failed;
                    return true;
                }
                int type = NetworkOrder.ReadUInt16(_reply, p);
                int klass = NetworkOrder.ReadUInt16(_reply, p + 2);
                uint ttl = NetworkOrder.ReadUInt32(_reply, p + 4);
                int rdLength = NetworkOrder.ReadUInt16(_reply, p + 8);
                p += 10;
                if (p + rdLength > length)
                {
                    RepliesMalformed++;
                    Status = DnsStatus.Failed;
                    return true;
                }
                if (type == DnsMessage.TypeA && klass == DnsMessage.ClassIn && rdLength == 4)
                {
                    Result = NetworkOrder.ReadUInt32(_reply, p);
                    Status = DnsStatus.Resolved;
                    Remember(ttl, now);
                    return true;
                }
                p += rdLength; // CNAME and others: the A record follows (RFC 1034 3.6.2)
            }
            Status = DnsStatus.Failed;
            return true;
        }

        private void Remember(uint ttl, long now)
        {
            if (ttl == 0 || (ttl & 0x80000000) != 0)
                return; // TTL 0: use once; negative TTLs (RFC 2181 8) are treated as 0
            if (ttl > MaxCacheSeconds) ttl = MaxCacheSeconds;
            int slot = 0;
            for (int i = 1; i < CacheEntries; i++)
                if (_cacheExpires[i] < _cacheExpires[slot]) slot = i;
            System.Array.Copy(_name, 0, _cacheNames[slot], 0, _nameLength);
            _cacheNameLength[slot] = _nameLength;
            _cacheAddress[slot] = Result;
            _cacheExpires[slot] = now + (long)ttl * 1000;
        }
    }
}
