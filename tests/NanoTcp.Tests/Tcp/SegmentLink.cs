using System;
using NanoTcp.Scenarios;
using NanoTcp.Tcp;
using NanoTcp.Wire;

namespace NanoTcp.Tests.Tcp
{
    /// <summary>A wire between two TCP engines in virtual time, with seeded loss, duplication, reordering
    /// and bit corruption. Fixed slots: it allocates nothing after construction.</summary>
    public sealed class SegmentLink
    {
        private const int Slots = 512;
        private readonly byte[][] _data = new byte[Slots][];
        private readonly int[] _length = new int[Slots];
        private readonly long[] _deliverAt = new long[Slots];
        private readonly uint[] _source = new uint[Slots];
        private readonly uint[] _destination = new uint[Slots];
        private readonly bool[] _used = new bool[Slots];
        private readonly long[] _order = new long[Slots]; // send order: equal delivery times stay FIFO
        private long _sequence;
        private readonly SeededRandom _random;

        public int LossPercent, DuplicatePercent, ReorderPercent, CorruptPerMille;
        public int DelayMs = 1;
        public long Now;
        public int Sent, Lost, Duplicated, Corrupted, Overflowed, Delivered, DroppedBadChecksum;

        public SegmentLink(uint seed)
        {
            _random = new SeededRandom(seed);
            for (int i = 0; i < Slots; i++)
                _data[i] = new byte[1520];
        }

        /// <summary>The transmitter of the engine at address.</summary>
        public sealed class Port : ITcpTransmitter
        {
            private readonly SegmentLink _link;
            private readonly byte[] _staging = new byte[1520];

            public Port(SegmentLink link) => _link = link;

            public bool TryGetSegmentBuffer(uint remoteAddress, out byte[] buffer, out int offset, out int capacity)
            {
                buffer = _staging;
                offset = 0;
                capacity = 1480;
                return true;
            }

            public bool TransmitSegment(uint localAddress, uint remoteAddress, byte[] buffer, int offset, int length)
            {
                _link.Carry(localAddress, remoteAddress, buffer, offset, length);
                return true;
            }
        }

        private void Carry(uint source, uint destination, byte[] buffer, int offset, int length)
        {
            Sent++;
            if (_random.Next(100) < LossPercent)
            {
                Lost++;
                return;
            }
            int copies = _random.Next(100) < DuplicatePercent ? 2 : 1;
            if (copies == 2) Duplicated++;
            for (int copy = 0; copy < copies; copy++)
            {
                int slot = Array.IndexOf(_used, false);
                if (slot < 0)
                {
                    Overflowed++;
                    return;
                }
                Array.Copy(buffer, offset, _data[slot], 0, length);
                if (_random.Next(1000) < CorruptPerMille)
                {
                    _data[slot][_random.Next(length)] ^= (byte)(1 << _random.Next(8));
                    Corrupted++;
                }
                _used[slot] = true;
                _length[slot] = length;
                _source[slot] = source;
                _destination[slot] = destination;
                int extra = _random.Next(100) < ReorderPercent ? 1 + _random.Next(5) : 0;
                _deliverAt[slot] = Now + DelayMs + extra;
                _order[slot] = _sequence++;
            }
        }

        /// <summary>Delivers every segment due by Now to the engine owning its destination address.</summary>
        public int DeliverDue(uint addressA, TcpEngine a, TcpEngine b)
        {
            int delivered = 0;
            while (true)
            {
                int next = -1;
                for (int i = 0; i < Slots; i++)
                    if (_used[i] && _deliverAt[i] <= Now && (next < 0 || _deliverAt[i] < _deliverAt[next]
                        || (_deliverAt[i] == _deliverAt[next] && _order[i] < _order[next])))
                        next = i;
                if (next < 0)
                    return delivered;
                delivered++;
                Delivered++;
                if (TcpSegment.TryParse(_data[next], 0, _length[next], _source[next], _destination[next], out TcpSegment segment) != WireError.None)
                {
                    DroppedBadChecksum++;
                    _used[next] = false;
                    continue;
                }
                TcpEngine target = _destination[next] == addressA ? a : b;
                target.ProcessSegment(Now, _source[next], _destination[next], segment);
                _used[next] = false; // only now: the engine may transmit while it still reads this slot
            }
        }

        public long NextDelivery
        {
            get
            {
                long next = long.MaxValue;
                for (int i = 0; i < Slots; i++)
                    if (_used[i] && _deliverAt[i] < next) next = _deliverAt[i];
                return next;
            }
        }
    }
}
