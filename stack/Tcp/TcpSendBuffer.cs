// The send ring: bytes from SND.UNA onward (sent but unacknowledged, then unsent). Application bytes
// are copied in once; segments copy straight out of it into the frame buffer.
namespace NanoTcp.Tcp
{
    public sealed class TcpSendBuffer
    {
        private readonly byte[] _data;
        private int _start;
        internal int _count; // read directly by TcpEngine's Output and SendSegment (every segment)

        public TcpSendBuffer(int capacity)
        {
            _data = new byte[capacity];
        }

        public int Capacity { get { return _data.Length; } }
        public int Count { get { return _count; } }
        public int Free { get { return _data.Length - _count; } }

        /// <summary>Appends up to count bytes; returns how many fitted.</summary>
        public int Enqueue(byte[] source, int offset, int count)
        {
            int capacity = _data.Length; // read once: every write of the application
            int free = capacity - _count;
            int n = count < free ? count : free;
            if (n == 0)
                return 0; // full: the application tries again after the next ACK
            int tail = (_start + _count) % capacity;
            int first = n < capacity - tail ? n : capacity - tail;
            System.Array.Copy(source, offset, _data, tail, first);
            if (n > first)
                System.Array.Copy(source, offset + first, _data, 0, n - first);
            _count += n;
            return n;
        }

        /// <summary>Copies length bytes starting at position (0 = oldest unacknowledged byte).</summary>
        public void CopyOut(int position, byte[] destination, int offset, int length)
        {
            int capacity = _data.Length; // read once: every segment sent
            int from = (_start + position) % capacity;
            int first = length < capacity - from ? length : capacity - from;
            System.Array.Copy(_data, from, destination, offset, first);
            if (length > first)
                System.Array.Copy(_data, 0, destination, offset + first, length - first);
        }

        /// <summary>Drops acknowledged bytes from the front.</summary>
        public void Discard(int count)
        {
            if (count > _count) count = _count;
            _start = (_start + count) % _data.Length;
            _count -= count;
        }

        public void Clear()
        {
            _start = 0;
            _count = 0;
        }
    }
}
