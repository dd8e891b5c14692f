// The receive ring: in-order bytes the application has not read yet, followed by free space where
// out-of-order segments are written at their distance from RCV.NXT until the hole before them fills.
namespace NanoTcp.Tcp
{
    public sealed class TcpReceiveBuffer
    {
        internal readonly byte[] _data; // its Length read directly with _count on the per-segment paths (no field
                                        // of its own: it would cost each connection 8 bytes)
        private int _start;
        internal int _count; // read directly by TcpEngine.Receive's empty-ring test (every read loop ends with one)

        public TcpReceiveBuffer(int capacity)
        {
            _data = new byte[capacity];
        }

        public int Capacity { get { return _data.Length; } }
        /// <summary>In-order bytes waiting for the application.</summary>
        public int Count { get { return _count; } }
        /// <summary>Space from RCV.NXT on: the most a receive window can offer.</summary>
        public int Free { get { return _data.Length - _count; } }

        /// <summary>Writes bytes at distance beyond the in-order end (0 = RCV.NXT). The caller keeps
        /// distance + length within Free.</summary>
        public void WriteAt(int distance, byte[] source, int offset, int length)
        {
            int at = (_start + _count + distance) % _data.Length;
            int first = length < _data.Length - at ? length : _data.Length - at;
            System.Array.Copy(source, offset, _data, at, first);
            if (length > first)
                System.Array.Copy(source, offset + first, _data, 0, length - first);
        }

        /// <summary>Makes length more bytes, already written at the in-order end, readable.</summary>
        public void Commit(int length)
        {
            _count += length;
        }

        public int Read(byte[] destination, int offset, int count)
        {
            int n = count < _count ? count : _count;
            if (n == 0)
                return 0; // an application's read loop ends with one of these every time
            int first = n < _data.Length - _start ? n : _data.Length - _start;
            System.Array.Copy(_data, _start, destination, offset, first);
            if (n > first)
                System.Array.Copy(_data, 0, destination, offset + first, n - first);
            _start = (_start + n) % _data.Length;
            _count -= n;
            return n;
        }

        public void Clear()
        {
            _start = 0;
            _count = 0;
        }
    }
}
