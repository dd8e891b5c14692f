// An Ethernet segment in memory: every frame a port transmits is copied, at once, into the receive queue of
// each other port it is addressed to (its MAC, broadcast or multicast). Fixed queues, nothing allocated per
// frame, portable (runs on nanoCLR): the link under the whole-stack suites and the device cost benchmark.
using NanoTcp.Link;
using NanoTcp.Wire;

namespace NanoTcp.StackSuites
{
    public sealed class MemoryWire
    {
        private readonly MemoryWirePort[] _ports;
        private int _count;

        public MemoryWire(int maxPorts)
        {
            _ports = new MemoryWirePort[maxPorts];
        }

        /// <summary>Frames no port took (queue full).</summary>
        public int FramesDropped;

        /// <summary>Frames delivered to at least one port.</summary>
        public int FramesDelivered;

        /// <summary>When above 0, the next frames transmitted are lost (counts down), to exercise retries.</summary>
        public int LoseNext;

        /// <summary>When above 0, every LoseEvery-th frame transmitted is lost.</summary>
        public int LoseEvery;
        private int _sinceLoss;

        /// <summary>A port with the given last MAC byte (02:00:00:00:00:xx) and a queue of queueDepth frames.</summary>
        public MemoryWirePort AddPort(byte macLastByte, int queueDepth)
        {
            var port = new MemoryWirePort(this, new byte[] { 2, 0, 0, 0, 0, macLastByte }, queueDepth);
            _ports[_count++] = port;
            return port;
        }

        /// <summary>True while some port has a frame it has not read.</summary>
        public bool AnyWaiting()
        {
            for (int i = 0; i < _count; i++)
            {
                if (_ports[i].Waiting > 0)
                    return true;
            }
            return false;
        }

        internal void Deliver(MemoryWirePort from, byte[] buffer, int offset, int length)
        {
            if (LoseNext > 0)
            {
                LoseNext--;
                return;
            }
            if (LoseEvery > 0 && ++_sinceLoss == LoseEvery)
            {
                _sinceLoss = 0;
                return;
            }
            bool group = (buffer[offset] & 1) != 0;
            bool delivered = false;
            for (int i = 0; i < _count; i++)
            {
                MemoryWirePort to = _ports[i];
                if (to == from || (!group && !MacAddress.AreEqual(buffer, offset, to.Mac, 0)))
                    continue;
                if (to.Enqueue(buffer, offset, length))
                    delivered = true;
                else
                    FramesDropped++;
            }
            if (delivered)
                FramesDelivered++;
        }
    }

    /// <summary>One NIC on a MemoryWire.</summary>
    public sealed class MemoryWirePort : INetworkDevice
    {
        private readonly MemoryWire _wire;
        private readonly byte[][] _frames;
        private readonly int[] _lengths;
        private int _head;
        private int _count;

        public readonly byte[] Mac;

        internal MemoryWirePort(MemoryWire wire, byte[] mac, int queueDepth)
        {
            _wire = wire;
            Mac = mac;
            _frames = new byte[queueDepth][];
            _lengths = new int[queueDepth];
            for (int i = 0; i < queueDepth; i++)
                _frames[i] = new byte[EthernetFrame.MaximumLength];
        }

        public int Waiting { get { return _count; } }
        public int Mtu { get { return 1500; } }
        public bool IsLinkUp { get { return true; } }
        public int FramesSent;

        public void CopyMacAddress(byte[] destination, int offset)
        {
            System.Array.Copy(Mac, 0, destination, offset, 6);
        }

        public int Receive(byte[] buffer, int offset, int capacity)
        {
            while (_count > 0)
            {
                int length = _lengths[_head];
                byte[] frame = _frames[_head];
                _head = (_head + 1) % _frames.Length;
                _count--;
                if (length <= capacity)
                {
                    System.Array.Copy(frame, 0, buffer, offset, length);
                    return length;
                }
            }
            return 0;
        }

        public bool Transmit(byte[] buffer, int offset, int length)
        {
            if (length < EthernetFrame.HeaderLength || length > EthernetFrame.MaximumLength)
                return false;
            FramesSent++;
            _wire.Deliver(this, buffer, offset, length);
            return true;
        }

        internal bool Enqueue(byte[] buffer, int offset, int length)
        {
            if (_count == _frames.Length)
                return false;
            int tail = (_head + _count) % _frames.Length;
            System.Array.Copy(buffer, offset, _frames[tail], 0, length);
            _lengths[tail] = length;
            _count++;
            return true;
        }
    }
}
