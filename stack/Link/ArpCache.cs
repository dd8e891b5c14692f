// The ARP table (RFC 826 "packet reception" merge rules, RFC 1122 2.3.2.1 cache timeout and flooding
// limits): fixed entries of IPv4 address, MAC, state and timers. No allocation after construction.
// Which entry a new address may take depends on why it is wanted (see Allocate): an entry the stack has
// pinned (its address carries a TCP connection, or it is the gateway: an upper layer's hint that the
// neighbour is in use, as RFC 4861 7.3.1 has for IPv6) is never taken by ARP from a new sender nor by
// spoofed traffic.
namespace NanoTcp.Link
{
    public sealed class ArpCache
    {
        public const int Free = 0;
        public const int Resolving = 1;
        public const int Resolved = 2;

        private readonly uint[] _address;
        private readonly byte[] _mac;
        private readonly int[] _state;
        private readonly long[] _expiresAt;
        private readonly long[] _lastRequestAt;
        private readonly int[] _requests;
        private readonly long[] _lastUsedAt;
        private readonly long[] _lastSentAt;  // when a packet last went out through the entry
        /// <summary>An entry that carried a packet this recently is not evicted for an address learned from an
        /// unsolicited ARP packet, so a flood of ARP from ever new senders cannot push out the peers we talk to.</summary>
        public const int InUseMs = 10000;
        private readonly bool[] _pinned;      // set by the stack before an allocation: the entry must stay

        /// <summary>Why a new address wants an entry (Allocate): each may take less than the next.</summary>
        public const int ForAnnouncedSender = 0; // RFC 826: an ARP packet for us from a sender we did not know
        public const int ForResolution = 1;      // a packet of ours waits for its next hop (budgeted requests)
        public const int ForConnection = 2;      // a TCP connection's peer, learned from the frame it sent us
        private readonly byte[] _claimedMac;  // a different MAC someone claimed for a resolved entry
        private readonly long[] _disputedAt;  // when that claim's verification began; NotDisputed when none
        public const long NotDisputed = long.MaxValue;

        public ArpCache(int entries)
        {
            _address = new uint[entries];
            _mac = new byte[entries * 6];
            _state = new int[entries];
            _expiresAt = new long[entries];
            _lastRequestAt = new long[entries];
            _requests = new int[entries];
            _lastUsedAt = new long[entries];
            _lastSentAt = new long[entries];
            _claimedMac = new byte[entries * 6];
            _disputedAt = new long[entries];
            _pinned = new bool[entries];
            for (int i = 0; i < entries; i++)
                _disputedAt[i] = NotDisputed;
        }

        public int Capacity { get { return _state.Length; } }
        public int StateAt(int index) { return _state[index]; }
        public uint AddressAt(int index) { return _address[index]; }
        public byte[] MacBuffer { get { return _mac; } }
        public int MacOffset(int index) { return index * 6; }
        public long ExpiresAt(int index) { return _expiresAt[index]; }
        public long LastRequestAt(int index) { return _lastRequestAt[index]; }
        public int RequestCount(int index) { return _requests[index]; }

        private int _lastFound; // the entry Find returned last: a frame and its answer ask for the same address
        internal int _version;  // read directly by SendIpv4's kept way out (every packet); advanced whenever an entry's address, MAC, state or lifetime changes

        /// <summary>Changes whenever any entry's address, MAC, state or lifetime does (never negative): while it
        /// stays the same, an entry Lookup returned still holds the same address and MAC until the same expiry.</summary>
        public int Version { get { return _version; } }

        private void Changed() { _version = (_version + 1) & 0x7FFFFFFF; }

        /// <summary>What Lookup records for an entry a packet goes out through, for a caller that kept its index
        /// (and Version) from an earlier Lookup.</summary>
        public void MarkSent(int index, long now)
        {
            _lastUsedAt[index] = now;
            _lastSentAt[index] = now;
        }

        /// <summary>Index of the entry for address (any state but Free), or -1.</summary>
        public int Find(uint address)
        {
            int last = _lastFound;
            if (_address[last] == address && _state[last] != Free)
                return last;
            for (int i = 0; i < _state.Length; i++)
            {
                if (_state[i] != Free && _address[i] == address)
                {
                    _lastFound = i;
                    return i;
                }
            }
            return -1;
        }

        /// <summary>Marks whether an entry must stay (the stack sets these just before anything may allocate).</summary>
        public void SetPinned(int index, bool pinned) { _pinned[index] = pinned; }

        /// <summary>Index of a resolved, unexpired entry, marking it used; -1 when there is none.</summary>
        public int Lookup(uint address, long now)
        {
            int i = Find(address);
            if (i < 0 || _state[i] != Resolved || now >= _expiresAt[i])
                return -1;
            _lastUsedAt[i] = now;
            _lastSentAt[i] = now;
            return i;
        }

        /// <summary>Records address at mac (RFC 826 merge). A new address takes an entry as purpose (For*)
        /// allows; returns the entry's index, or -1 when none may be taken (nothing is learned then: a cache
        /// may forget).</summary>
        public int Update(uint address, byte[] mac, int macOffset, long now, int lifetimeMs, int purpose, out bool evicted)
        {
            evicted = false;
            int i = Find(address);
            if (i < 0)
            {
                i = Allocate(now, purpose, out evicted);
                if (i < 0)
                    return -1;
                _lastSentAt[i] = long.MinValue / 2; // never used yet
            }
            Changed();
            _address[i] = address;
            System.Array.Copy(mac, macOffset, _mac, i * 6, 6);
            _state[i] = Resolved;
            _expiresAt[i] = now + lifetimeMs;
            _requests[i] = 0;
            _lastUsedAt[i] = now;
            _disputedAt[i] = NotDisputed;
            return i;
        }

        /// <summary>Does the entry hold this MAC?</summary>
        public bool HasMac(int index, byte[] mac, int macOffset)
        {
            for (int k = 0; k < 6; k++)
                if (_mac[index * 6 + k] != mac[macOffset + k])
                    return false;
            return true;
        }

        /// <summary>Someone claims a different MAC for a resolved entry: remembered, not believed, until the
        /// MAC we have fails to answer a unicast poll. True when this starts a verification (send the poll).</summary>
        public bool Dispute(int index, byte[] mac, int macOffset, long now)
        {
            System.Array.Copy(mac, macOffset, _claimedMac, index * 6, 6);
            if (_disputedAt[index] != NotDisputed)
                return false;
            _disputedAt[index] = now;
            return true;
        }

        public long DisputedAt(int index) { return _disputedAt[index]; }

        /// <summary>The MAC we had did not answer: the claimed one takes its place.</summary>
        public void AcceptClaim(int index, long now, int lifetimeMs)
        {
            Changed();
            System.Array.Copy(_claimedMac, index * 6, _mac, index * 6, 6);
            _state[index] = Resolved;
            _expiresAt[index] = now + lifetimeMs;
            _requests[index] = 0;
            _disputedAt[index] = NotDisputed;
        }

        /// <summary>Starts (or continues) resolving address; returns the entry's index, -1 when every entry
        /// is in use.</summary>
        public int BeginResolve(uint address, long now, out bool evicted)
        {
            evicted = false;
            int i = Find(address);
            if (i >= 0 && _state[i] == Resolving)
                return i;
            if (i < 0)
            {
                i = Allocate(now, ForResolution, out evicted);
                if (i < 0)
                    return -1;
                _lastSentAt[i] = long.MinValue / 2;
            }
            Changed();
            _address[i] = address;
            _state[i] = Resolving;
            _disputedAt[i] = NotDisputed;
            _requests[i] = 0;
            _lastRequestAt[i] = long.MinValue / 2; // "never", without overflow in now - last
            _lastUsedAt[i] = now;
            return i;
        }

        public void MarkRequestSent(int index, long now)
        {
            _lastRequestAt[index] = now;
            _requests[index]++;
        }

        public void Remove(int index)
        {
            Changed();
            _state[index] = Free;
            _disputedAt[index] = NotDisputed;
        }

        /// <summary>A free entry, else the entry purpose may take that ranks first below, least recently used
        /// within its rank; -1 when there is none (then nothing is learned: a cache may forget).
        ///   rank 1: resolving, not pinned (a request nobody answered yet; a flood toward spoofed sources churns
        ///           only these);
        ///   rank 2: resolved, not pinned, no packet out through it for InUseMs;
        ///   rank 3: resolved, not pinned, in recent use (a UDP peer, a connection that ended);
        ///   rank 4: pinned (only when every entry is: a configuration with more connections than entries).
        /// An unsolicited ARP packet (ForAnnouncedSender) may take ranks 1-2: ARP from ever new senders, which
        /// RFC 826 would add because we are the target, cannot push out a peer we talk to. Our own resolution
        /// may take ranks 1-4: it is budgeted (ArpRequestsPerSecond, RFC 1122 2.3.2.1). A connection's peer
        /// (ForConnection) may take ranks 1-4: the number of connections bounds how often that happens.</summary>
        private int Allocate(long now, int purpose, out bool evicted)
        {
            int victim = -1, victimRank = 5;
            int allowed = purpose == ForAnnouncedSender ? 2 : 4;
            evicted = false;
            for (int i = 0; i < _state.Length; i++)
            {
                if (_state[i] == Free)
                    return i;
                int rank = _pinned[i] ? 4 : _state[i] == Resolving ? 1 : now - _lastSentAt[i] >= InUseMs ? 2 : 3;
                if (rank > allowed)
                    continue;
                if (rank < victimRank || (rank == victimRank && _lastUsedAt[i] < _lastUsedAt[victim]))
                {
                    victim = i;
                    victimRank = rank;
                }
            }
            evicted = victim >= 0;
            return victim;
        }
    }
}
