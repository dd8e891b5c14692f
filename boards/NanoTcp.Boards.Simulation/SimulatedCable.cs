using NanoTcp.Link;
using NanoTcp.Wire;

namespace NanoTcp.Boards.Simulation
{
    /// <summary>
    /// An Ethernet cable between two ends, on a shared clock: a frame sent at one end can be received at the
    /// other once its time on the wire has passed (preamble, FCS and inter-frame gap counted at the cable's
    /// bit rate). Each direction holds up to 64 frames in slots allocated once; more are dropped and counted.
    /// </summary>
    public sealed class SimulatedCable
    {
        public readonly CableEnd A;
        public readonly CableEnd B;

        public SimulatedCable(IBoardClock clock, string macA, string macB, int megabitsPerSecond)
        {
            A = new CableEnd(clock, macA, megabitsPerSecond);
            B = new CableEnd(clock, macB, megabitsPerSecond);
            A.Peer = B;
            B.Peer = A;
        }
    }

    /// <summary>One end of a SimulatedCable, as the device behind it sees it.</summary>
    public sealed class CableEnd : INetworkDevice
    {
        private const int Slots = 64;
        private const int WireOverheadBytes = 8 + 4 + 12; // preamble + SFD, FCS, inter-frame gap
        private readonly IBoardClock _clock;
        private readonly byte[] _mac = new byte[6];
        private readonly byte[][] _frames = new byte[Slots][];
        private readonly int[] _length = new int[Slots];
        private readonly long[] _dueUs = new long[Slots];
        private readonly int _megabits;
        private int _head, _count;
        private long _wireFreeAtUs;
        internal CableEnd Peer;

        public int FramesSent, FramesReceived, FramesDropped;

        internal CableEnd(IBoardClock clock, string mac, int megabitsPerSecond)
        {
            _clock = clock;
            _megabits = megabitsPerSecond > 0 ? megabitsPerSecond : 100;
            MacAddress.TryParse(mac, _mac, 0);
            for (int i = 0; i < Slots; i++)
                _frames[i] = new byte[EthernetFrame.MaximumLength];
        }

        public int Mtu { get { return 1500; } }

        public bool IsLinkUp { get { return true; } }

        public void CopyMacAddress(byte[] destination, int offset)
        {
            System.Array.Copy(_mac, 0, destination, offset, 6);
        }

        /// <summary>Time the next frame waiting for this end is fully received; long.MaxValue when none.</summary>
        public long NextDueUs { get { return _count == 0 ? long.MaxValue : _dueUs[_head]; } }

        public int Waiting { get { return _count; } }

        public int Receive(byte[] buffer, int offset, int capacity)
        {
            if (_count == 0 || _dueUs[_head] > _clock.NowMicroseconds)
                return 0;
            int slot = _head;
            _head = (_head + 1) % Slots;
            _count--;
            int length = _length[slot];
            if (length > capacity)
                return 0;
            System.Array.Copy(_frames[slot], 0, buffer, offset, length);
            FramesReceived++;
            return length;
        }

        public bool Transmit(byte[] buffer, int offset, int length)
        {
            if (length < 14 || length > EthernetFrame.MaximumLength)
                return false;
            CableEnd to = Peer;
            if (to._count == Slots)
            {
                FramesDropped++;
                return false;
            }
            long now = _clock.NowMicroseconds;
            long start = now > _wireFreeAtUs ? now : _wireFreeAtUs;
            long wireUs = ((long)(length + WireOverheadBytes) * 8 + _megabits - 1) / _megabits;
            _wireFreeAtUs = start + wireUs;
            int slot = (to._head + to._count) % Slots;
            System.Array.Copy(buffer, offset, to._frames[slot], 0, length);
            to._length[slot] = length;
            to._dueUs[slot] = _wireFreeAtUs;
            to._count++;
            FramesSent++;
            return true;
        }
    }
}
