// Out-of-order data held past a hole (RFC 9293 3.10.7.4 "segment text"; RFC 5681 4.2 wants such
// segments acknowledged at once). A bounded list of [start, end) sequence ranges, kept sorted and
// merged; when it is full, a segment that would need a new range is not kept (the sender resends it).
namespace NanoTcp.Tcp
{
    public struct ReassemblyRanges
    {
        private readonly uint[] _edges; // range i is [_edges[2i], _edges[2i + 1])
        internal int _count; // read directly by header prediction (every segment)

        public ReassemblyRanges(int capacity)
        {
            _edges = new uint[2 * capacity];
            _count = 0;
        }

        public int Count { get { return _count; } }

        public void Clear() { _count = 0; }

        /// <summary>Records [start, end); false (nothing recorded) when it needs a range and none is free.</summary>
        public bool Add(uint start, uint end)
        {
            // Merge with every range it touches or overlaps.
            int i = 0;
            while (i < _count)
            {
                if (SequenceNumber.LessOrEqual(start, _edges[2 * i + 1]) && SequenceNumber.GreaterOrEqual(end, _edges[2 * i]))
                {
                    if (SequenceNumber.LessThan(_edges[2 * i], start)) start = _edges[2 * i];
                    if (SequenceNumber.GreaterThan(_edges[2 * i + 1], end)) end = _edges[2 * i + 1];
                    RemoveAt(i);
                    continue;
                }
                i++;
            }
            if (2 * _count == _edges.Length)
                return false;
            int at = 0;
            while (at < _count && SequenceNumber.LessThan(_edges[2 * at], start))
                at++;
            for (int j = _count; j > at; j--)
            {
                _edges[2 * j] = _edges[2 * j - 2];
                _edges[2 * j + 1] = _edges[2 * j - 1];
            }
            _edges[2 * at] = start;
            _edges[2 * at + 1] = end;
            _count++;
            return true;
        }

        /// <summary>Given the new RCV.NXT, takes every range it reaches and returns the advanced RCV.NXT.</summary>
        public uint Advance(uint receiveNext)
        {
            while (_count > 0 && SequenceNumber.LessOrEqual(_edges[0], receiveNext))
            {
                if (SequenceNumber.GreaterThan(_edges[1], receiveNext))
                    receiveNext = _edges[1];
                RemoveAt(0);
            }
            return receiveNext;
        }

        public uint StartAt(int index) { return _edges[2 * index]; }
        public uint EndAt(int index) { return _edges[2 * index + 1]; }

        private void RemoveAt(int index)
        {
            for (int j = index; j < _count - 1; j++)
            {
                _edges[2 * j] = _edges[2 * j + 2];
                _edges[2 * j + 1] = _edges[2 * j + 3];
            }
            _count--;
        }
    }
}
