// Out-of-order data held past a hole (RFC 9293 3.10.7.4 "segment text"; RFC 5681 4.2 wants such
// segments acknowledged at once). A bounded list of [start, end) sequence ranges, kept sorted and
// merged; when it is full, a segment that would need a new range is not kept (the sender resends it).
namespace NanoTcp.Tcp
{
    public sealed class ReassemblyRanges
    {
        private readonly uint[] _starts;
        private readonly uint[] _ends;
        private int _count;

        public ReassemblyRanges(int capacity)
        {
            _starts = new uint[capacity];
            _ends = new uint[capacity];
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
                if (SequenceNumber.LessOrEqual(start, _ends[i]) && SequenceNumber.GreaterOrEqual(end, _starts[i]))
                {
                    if (SequenceNumber.LessThan(_starts[i], start)) start = _starts[i];
                    if (SequenceNumber.GreaterThan(_ends[i], end)) end = _ends[i];
                    RemoveAt(i);
                    continue;
                }
                i++;
            }
            if (_count == _starts.Length)
                return false;
            int at = 0;
            while (at < _count && SequenceNumber.LessThan(_starts[at], start))
                at++;
            for (int j = _count; j > at; j--)
            {
                _starts[j] = _starts[j - 1];
                _ends[j] = _ends[j - 1];
            }
            _starts[at] = start;
            _ends[at] = end;
            _count++;
            return true;
        }

        /// <summary>Given the new RCV.NXT, takes every range it reaches and returns the advanced RCV.NXT.</summary>
        public uint Advance(uint receiveNext)
        {
            while (_count > 0 && SequenceNumber.LessOrEqual(_starts[0], receiveNext))
            {
                if (SequenceNumber.GreaterThan(_ends[0], receiveNext))
                    receiveNext = _ends[0];
                RemoveAt(0);
            }
            return receiveNext;
        }

        public uint StartAt(int index) { return _starts[index]; }
        public uint EndAt(int index) { return _ends[index]; }

        private void RemoveAt(int index)
        {
            for (int j = index; j < _count - 1; j++)
            {
                _starts[j] = _starts[j + 1];
                _ends[j] = _ends[j + 1];
            }
            _count--;
        }
    }
}
