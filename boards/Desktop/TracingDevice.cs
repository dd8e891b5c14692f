using System;
using NanoTcp.Link;

namespace NanoTcp.Boards.Desktop
{
    /// <summary>Wraps an INetworkDevice and reports every frame it transmits as one tcpdump-style line.</summary>
    public sealed class TracingDevice : INetworkDevice
    {
        private readonly INetworkDevice _inner;
        private readonly Action<string> _write;
        private readonly Func<long> _milliseconds;

        public TracingDevice(INetworkDevice inner, Func<long> milliseconds, Action<string> write)
        {
            _inner = inner;
            _milliseconds = milliseconds;
            _write = write;
        }

        public void CopyMacAddress(byte[] destination, int offset) => _inner.CopyMacAddress(destination, offset);
        public int Mtu => _inner.Mtu;
        public bool IsLinkUp => _inner.IsLinkUp;
        public int Receive(byte[] buffer, int offset, int capacity) => _inner.Receive(buffer, offset, capacity);

        public bool Transmit(byte[] buffer, int offset, int length)
        {
            long ms = _milliseconds();
            _write($"{ms / 1000,4}.{ms % 1000:D3} {FrameFormatter.Format(buffer, offset, length)}");
            return _inner.Transmit(buffer, offset, length);
        }
    }
}
