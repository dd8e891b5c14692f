// IPv4 Identification values, RFC 7739 section 5.3 (hash-based): a small table of counters indexed by a
// keyed hash of destination and protocol, plus a keyed per-destination offset. A host that talks to
// us sees the IDs of its own packets advance, not the device's traffic to others, so the device is no
// idle-scan "zombie" (RFC 7739 section 3). Every datagram we send is atomic (DF set, never fragmented),
// for which RFC 6864 4.1 asks only that the field not be relied upon; a counter still keeps
// consecutive IDs to one peer distinct.
using NanoTcp.Tcp;

namespace NanoTcp
{
    public sealed class IpIdentification
    {
        private const int Buckets = 64; // a power of two: the hash is masked
        private readonly ushort[] _counters = new ushort[Buckets];
        private readonly uint _key0, _key1;
        // The hash of the last (source, destination, protocol): a connection's packets all share it, and
        // HalfSipHash costs some 1,900 interpreted instructions, more than the rest of a packet's IPv4 path.
        private uint _lastSource, _lastDestination;
        private int _lastProtocol = -1;
        private int _lastBucket, _lastOffset; // the last hash's bucket and offset, worked out once with it

        public IpIdentification(IRandomSource random)
        {
            _key0 = random.NextUInt32();
            _key1 = random.NextUInt32();
            for (int i = 0; i < Buckets; i++)
                _counters[i] = (ushort)random.NextUInt32();
        }

        /// <summary>The Identification for the next datagram from source to destination with protocol.</summary>
        public int Next(uint source, uint destination, int protocol)
        {
            if (protocol != _lastProtocol || destination != _lastDestination || source != _lastSource)
            {
                uint h = KeyedHash.Hash(_key0, _key1, source, destination, (uint)protocol, 0x7739);
                _lastSource = source;
                _lastDestination = destination;
                _lastProtocol = protocol;
                _lastBucket = (int)(h & (Buckets - 1));
                _lastOffset = (int)(h >> 16);
            }
            ushort[] counters = _counters;
            int bucket = _lastBucket;
            int count = counters[bucket];
            counters[bucket] = (ushort)(count + 1);
            return (count + _lastOffset) & 0xFFFF;
        }
    }
}
