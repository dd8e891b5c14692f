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
        private readonly bool[] _used = new bool[Slots];
        private long _sequence;

        internal SimulatedNic(SimulatedSwitch owner, string name, string mac, LinkFaults faults)
        {
            _switch = owner;
            Name = name;
            Faults = faults;
            if (!MacAddress.TryParse(mac, Mac, 0))
                throw new ArgumentException("not a MAC address: " + mac, nameof(mac));
            for (int i = 0; i < Slots; i++)
                _frames[i] = new byte[EthernetFrame.MaximumLength];
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
            int next = -1;
            for (int i = 0; i < Slots; i++)
                if (_used[i] && _at[i] <= _switch.Now && (next < 0 || _at[i] < _at[next] || (_at[i] == _at[next] && _order[i] < _order[next])))
                    next = i;
            if (next < 0)
                return 0;
            _used[next] = false;
            int length = _length[next];
            if (length > capacity)
                return 0; // dropped, never truncated (INetworkDevice contract)
            Array.Copy(_frames[next], 0, buffer, offset, length);
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
                    for (int i = 0; i < Slots; i++)
                        if (_used[i] && _at[i] < next) next = _at[i];
                    return next;
                }
            }
        }

        internal void Enqueue(byte[] frame, int offset, int length, long at, int corruptAt, byte corruptMask)
        {
            int slot = Array.IndexOf(_used, false);
            if (slot < 0)
            {
                FramesOverflowed++;
                return;
            }
            Array.Copy(frame, offset, _frames[slot], 0, length);
            if (corruptAt >= 0)
                _frames[slot][corruptAt] ^= corruptMask;
            _length[slot] = length;
            _at[slot] = at;
            _order[slot] = _sequence++;
            _used[slot] = true;
        }
    }
}
