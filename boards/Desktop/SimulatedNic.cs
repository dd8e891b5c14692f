using System;
using NanoTcp.Link;
using NanoTcp.Wire;

namespace NanoTcp.Boards.Desktop
{
    /// <summary>A NIC on a SimulatedSwitch: frames it receives wait in fixed slots until the switch's
    /// virtual time reaches them, earliest first (equal times keep their order).</summary>
    public sealed class SimulatedNic : INetworkDevice
    {
        private const int Slots = 512;
        private readonly SimulatedSwitch _switch;
        private readonly byte[][] _frames = new byte[Slots][];
        private readonly int[] _length = new int[Slots];
        private readonly long[] _at = new long[Slots];
        private readonly long[] _order = new long[Slots];
        private readonly int[] _free = new int[Slots];   // stack of free slot indexes
        private readonly int[] _queue = new int[Slots];  // slots holding frames, in no particular order
        private int _freeCount, _queued;
        private long _sequence;

        internal SimulatedNic(SimulatedSwitch owner, string name, string mac, LinkFaults faults)
        {
            _switch = owner;
            Name = name;
            Faults = faults;
            if (!MacAddress.TryParse(mac, Mac, 0))
                throw new ArgumentException("not a MAC address: " + mac, nameof(mac));
            for (int i = 0; i < Slots; i++)
            {
                _frames[i] = new byte[EthernetFrame.MaximumLength];
                _free[_freeCount++] = Slots - 1 - i;
            }
        }

        public string Name { get; }
        public byte[] Mac { get; } = new byte[6];
        public LinkFaults Faults { get; set; }
        public int Mtu => 1500;
        public bool IsLinkUp { get; set; } = true;
        internal long WireFreeAt;

        public long FramesSent, FramesReceived, FramesLost, FramesOverflowed;

        public void CopyMacAddress(byte[] destination, int offset) => Array.Copy(Mac, 0, destination, offset, 6);

        public int Receive(byte[] buffer, int offset, int capacity)
        {
            lock (_switch.Gate)
                return ReceiveLocked(buffer, offset, capacity);
        }

        private int ReceiveLocked(byte[] buffer, int offset, int capacity)
        {
            // The earliest due frame; equal times keep their send order. Only queued slots are looked at.
            int best = -1;
            long now = _switch.Now;
            for (int q = 0; q < _queued; q++)
            {
                int i = _queue[q];
                if (_at[i] <= now && (best < 0 || _at[i] < _at[_queue[best]] || (_at[i] == _at[_queue[best]] && _order[i] < _order[_queue[best]])))
                    best = q;
            }
            if (best < 0)
                return 0;
            int slot = _queue[best];
            _queue[best] = _queue[--_queued];
            _free[_freeCount++] = slot;
            int length = _length[slot];
            if (length > capacity)
                return 0; // dropped, never truncated (INetworkDevice contract)
            Array.Copy(_frames[slot], 0, buffer, offset, length);
            FramesReceived++;
            return length;
        }

        public bool Transmit(byte[] buffer, int offset, int length)
        {
            if (!IsLinkUp || length > EthernetFrame.MaximumLength || length < EthernetFrame.HeaderLength)
                return false;
            FramesSent++;
            _switch.Forward(this, buffer, offset, length);
            return true;
        }

        internal long NextDelivery
        {
            get
            {
                lock (_switch.Gate)
                {
                    long next = long.MaxValue;
                    for (int q = 0; q < _queued; q++)
                        if (_at[_queue[q]] < next) next = _at[_queue[q]];
                    return next;
                }
            }
        }

        internal void Enqueue(byte[] frame, int offset, int length, long at, int corruptAt, byte corruptMask)
        {
            if (_freeCount == 0)
            {
                FramesOverflowed++;
                return;
            }
            int slot = _free[--_freeCount];
            Array.Copy(frame, offset, _frames[slot], 0, length);
            if (corruptAt >= 0)
                _frames[slot][corruptAt] ^= corruptMask;
            _length[slot] = length;
            _at[slot] = at;
            _order[slot] = _sequence++;
            _queue[_queued++] = slot;
        }
    }
}
