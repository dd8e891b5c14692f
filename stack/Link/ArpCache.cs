// The ARP table (RFC 826 "packet reception" merge rules, RFC 1122 2.3.2.1 cache timeout and flooding
// limits): fixed entries of IPv4 address, MAC, state and timers. No allocation after construction.
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

        public ArpCache(int entries)
        {
            _address = new uint[entries];
            _mac = new byte[entries * 6];
            _state = new int[entries];
            _expiresAt = new long[entries];
            _lastRequestAt = new long[entries];
            _requests = new int[entries];
            _lastUsedAt = new long[entries];
        }

        public int Capacity { get { return _state.Length; } }
        public int StateAt(int index) { return _state[index]; }
        public uint AddressAt(int index) { return _address[index]; }
        public byte[] MacBuffer { get { return _mac; } }
        public int MacOffset(int index) { return index * 6; }
        public long ExpiresAt(int index) { return _expiresAt[index]; }
        public long LastRequestAt(int index) { return _lastRequestAt[index]; }
        public int RequestCount(int index) { return _requests[index]; }

        /// <summary>Index of the entry for address (any state but Free), or -1.</summary>
        public int Find(uint address)
        {
            for (int i = 0; i < _state.Length; i++)
                if (_state[i] != Free && _address[i] == address)
                    return i;
            return -1;
        }

        /// <summary>Index of a resolved, unexpired entry, marking it used; -1 when there is none.</summary>
        public int Lookup(uint address, long now)
        {
            int i = Find(address);
            if (i < 0 || _state[i] != Resolved || now >= _expiresAt[i])
                return -1;
            _lastUsedAt[i] = now;
            return i;
        }

        /// <summary>Records address at mac (RFC 826 merge). Returns the entry's index.</summary>
        public int Update(uint address, byte[] mac, int macOffset, long now, int lifetimeMs, out bool evicted)
        {
            evicted = false;
            int i = Find(address);
            if (i < 0)
                i = Allocate(now, false, out evicted);
            _address[i] = address;
            System.Array.Copy(mac, macOffset, _mac, i * 6, 6);
            _state[i] = Resolved;
            _expiresAt[i] = now + lifetimeMs;
            _requests[i] = 0;
            _lastUsedAt[i] = now;
            return i;
        }

        /// <summary>Starts (or continues) resolving address; returns the entry's index.</summary>
        public int BeginResolve(uint address, long now, out bool evicted)
        {
            evicted = false;
            int i = Find(address);
            if (i >= 0 && _state[i] == Resolving)
                return i;
            if (i < 0)
                i = Allocate(now, true, out evicted);
            _address[i] = address;
            _state[i] = Resolving;
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
            _state[index] = Free;
        }

        /// <summary>A free entry, else the least recently used one. A new resolution takes the oldest entry
        /// still resolving when there is one: a flood of lookups for addresses that never answer (a SYN flood
        /// from spoofed sources, each SYN-ACK needing its next hop) then churns only its own entries, and the
        /// resolved entries of live peers stay.</summary>
        private int Allocate(long now, bool forResolution, out bool evicted)
        {
            int victim = -1;
            for (int i = 0; i < _state.Length; i++)
            {
                if (_state[i] == Free)
                {
                    evicted = false;
                    return i;
                }
                if (victim < 0 || Older(i, victim, forResolution))
                    victim = i;
            }
            evicted = true;
            return victim;
        }

        private bool Older(int a, int b, bool preferResolving)
        {
            if (preferResolving && _state[a] != _state[b])
                return _state[a] == Resolving;
            return _lastUsedAt[a] < _lastUsedAt[b];
        }
    }
}
