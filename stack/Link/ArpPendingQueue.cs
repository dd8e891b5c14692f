// IP packets waiting for their next hop's MAC (RFC 1122 2.3.2.2: "SHOULD save (rather than discard)
// at least one (the latest) packet"). Fixed slots; when full, the oldest is replaced by the newest.
namespace NanoTcp.Link
{
    public sealed class ArpPendingQueue
    {
        private readonly byte[][] _packets;
        private readonly int[] _length;
        private readonly uint[] _nextHop;
        private readonly long[] _queuedAt;

        public ArpPendingQueue(int slots, int packetCapacity)
        {
            _packets = new byte[slots][];
            for (int i = 0; i < slots; i++)
                _packets[i] = new byte[packetCapacity];
            _length = new int[slots];
            _nextHop = new uint[slots];
            _queuedAt = new long[slots];
        }

        public int Capacity { get { return _packets.Length; } }

        /// <summary>Copies an IP packet in; returns true when an older packet had to make room.</summary>
        public bool Enqueue(uint nextHop, byte[] packet, int offset, int length, long now)
        {
            int slot = -1;
            bool replaced = false;
            for (int i = 0; i < _packets.Length; i++)
            {
                if (_length[i] == 0)
                {
                    slot = i;
                    break;
                }
                if (slot < 0 || _queuedAt[i] < _queuedAt[slot])
                    slot = i;
            }
            if (slot < 0)
                return true;
            replaced = _length[slot] != 0;
            System.Array.Copy(packet, offset, _packets[slot], 0, length);
            _length[slot] = length;
            _nextHop[slot] = nextHop;
            _queuedAt[slot] = now;
            return replaced;
        }

        /// <summary>The next packet waiting for nextHop, or -1. Release it after sending.</summary>
        public int Find(uint nextHop)
        {
            for (int i = 0; i < _packets.Length; i++)
                if (_length[i] != 0 && _nextHop[i] == nextHop)
                    return i;
            return -1;
        }

        public byte[] PacketAt(int slot) { return _packets[slot]; }
        public int LengthAt(int slot) { return _length[slot]; }

        public void Release(int slot) { _length[slot] = 0; }

        /// <summary>Drops every packet for nextHop (it could not be resolved); returns how many.</summary>
        public int DropFor(uint nextHop)
        {
            int dropped = 0;
            for (int i = 0; i < _packets.Length; i++)
            {
                if (_length[i] != 0 && _nextHop[i] == nextHop)
                {
                    _length[i] = 0;
                    dropped++;
                }
            }
            return dropped;
        }
    }
}
