using System;
using System.Collections.Generic;
using NanoTcp.Wire;

namespace NanoTcp.Boards.Desktop
{
    /// <summary>
    /// An Ethernet switch in virtual time joining any number of simulated NICs. It learns nothing: a
    /// frame goes to the NIC owning its destination MAC, or to every other NIC when that is a broadcast,
    /// multicast or unknown address. Faults apply per receiving NIC (LinkFaults), from one seeded
    /// generator. No allocation per frame: every NIC owns a fixed pool of frame slots.
    /// </summary>
    public sealed class SimulatedSwitch
    {
        private readonly List<SimulatedNic> _nics = new();
        private readonly Random _random;

        public SimulatedSwitch(int seed) => _random = new Random(seed);

        private long _now;

        /// <summary>Virtual time in milliseconds; frames are delivered once it reaches their time. With a
        /// Clock set, it follows that clock instead (real-time runs with threads).</summary>
        public long Now
        {
            get => Clock != null ? Clock.NowMilliseconds : _now;
            set => _now = value;
        }

        public HostClock Clock { get; set; }

        /// <summary>Held by every NIC operation: stacks on their own threads share the switch.</summary>
        internal readonly object Gate = new();

        public IReadOnlyList<SimulatedNic> Nics => _nics;

        public SimulatedNic AddNic(string name, string mac, LinkFaults faults = null)
        {
            var nic = new SimulatedNic(this, name, mac, faults ?? new LinkFaults());
            _nics.Add(nic);
            return nic;
        }

        /// <summary>Earliest time a frame becomes deliverable anywhere (long.MaxValue: none queued).</summary>
        public long NextDelivery
        {
            get
            {
                long next = long.MaxValue;
                foreach (var nic in _nics)
                    next = Math.Min(next, nic.NextDelivery);
                return next;
            }
        }

        internal void Forward(SimulatedNic from, byte[] frame, int offset, int length)
        {
            lock (Gate)
                ForwardLocked(from, frame, offset, length);
        }

        private void ForwardLocked(SimulatedNic from, byte[] frame, int offset, int length)
        {
            bool flood = MacAddress.IsMulticast(frame, offset);
            if (!flood)
            {
                flood = true; // unknown unicast is flooded, as a switch that has not learned the address does
                foreach (var nic in _nics)
                    if (nic != from && MacAddress.AreEqual(frame, offset, nic.Mac, 0)) { flood = false; break; }
            }
            foreach (var nic in _nics)
            {
                if (nic == from || !nic.IsLinkUp)
                    continue;
                if (flood || MacAddress.AreEqual(frame, offset, nic.Mac, 0))
                    Deliver(nic, frame, offset, length);
            }
        }

        private void Deliver(SimulatedNic to, byte[] frame, int offset, int length)
        {
            LinkFaults f = to.Faults;
            if (_random.Next(100) < f.LossPercent)
            {
                to.FramesLost++;
                return;
            }
            int copies = _random.Next(100) < f.DuplicatePercent ? 2 : 1;
            for (int copy = 0; copy < copies; copy++)
            {
                long at = Now + f.DelayMs;
                if (f.BandwidthBytesPerMs > 0)
                {
                    at = Math.Max(at, to.WireFreeAt) + (length + f.BandwidthBytesPerMs - 1) / f.BandwidthBytesPerMs;
                    to.WireFreeAt = at;
                }
                if (_random.Next(100) < f.ReorderPercent)
                    at += 1 + _random.Next(f.ReorderSpreadMs);
                int corruptAt = _random.Next(1000) < f.CorruptPerMille ? _random.Next(length) : -1;
                to.Enqueue(frame, offset, length, at, corruptAt, corruptAt >= 0 ? (byte)(1 << _random.Next(8)) : (byte)0);
            }
        }
    }
}
