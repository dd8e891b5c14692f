using System;
using System.IO;
using NanoTcp.Link;

namespace NanoTcp.Boards.Desktop
{
    /// <summary>
    /// Wraps any INetworkDevice and records every frame in and out in libpcap format (link type 1,
    /// Ethernet), which tshark, tcpdump and Wireshark read. Timestamps come from the given clock, so a
    /// simulated run has its virtual times. Writes through one reusable header buffer.
    /// </summary>
    public sealed class PcapWriter : INetworkDevice, IDisposable
    {
        private readonly INetworkDevice _inner;
        private readonly Func<long> _microseconds;
        private readonly FileStream _file;
        private readonly byte[] _record = new byte[16];

        public PcapWriter(INetworkDevice inner, string path, Func<long> microseconds)
        {
            _inner = inner;
            _microseconds = microseconds;
            _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 65536);
            var header = new byte[24];
            BitConverter.TryWriteBytes(header.AsSpan(0), 0xA1B2C3D4u); // microsecond timestamps
            BitConverter.TryWriteBytes(header.AsSpan(4), (ushort)2);
            BitConverter.TryWriteBytes(header.AsSpan(6), (ushort)4);
            BitConverter.TryWriteBytes(header.AsSpan(16), 65535u);   // snaplen
            BitConverter.TryWriteBytes(header.AsSpan(20), 1u);       // LINKTYPE_ETHERNET
            _file.Write(header, 0, header.Length);
        }

        public long Frames { get; private set; }

        public void CopyMacAddress(byte[] destination, int offset) => _inner.CopyMacAddress(destination, offset);
        public int Mtu => _inner.Mtu;
        public bool IsLinkUp => _inner.IsLinkUp;

        public int Receive(byte[] buffer, int offset, int capacity)
        {
            int n = _inner.Receive(buffer, offset, capacity);
            if (n > 0)
                Record(buffer, offset, n);
            return n;
        }

        public bool Transmit(byte[] buffer, int offset, int length)
        {
            Record(buffer, offset, length);
            return _inner.Transmit(buffer, offset, length);
        }

        private void Record(byte[] buffer, int offset, int length)
        {
            long us = _microseconds();
            BitConverter.TryWriteBytes(_record.AsSpan(0), (uint)(us / 1_000_000));
            BitConverter.TryWriteBytes(_record.AsSpan(4), (uint)(us % 1_000_000));
            BitConverter.TryWriteBytes(_record.AsSpan(8), (uint)length);
            BitConverter.TryWriteBytes(_record.AsSpan(12), (uint)length);
            _file.Write(_record, 0, 16);
            _file.Write(buffer, offset, length);
            Frames++;
        }

        public void Flush() => _file.Flush();

        public void Dispose() => _file.Dispose();
    }
}
