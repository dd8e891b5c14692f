// UDP, RFC 768, with RFC 1122 4.1.3.4 (a received checksum of zero means none was computed; a computed
// checksum of zero is sent as 0xFFFF). The UDP length must equal the IP payload length: a longer one
// would read past the packet, and a shorter one leaves bytes no layer owns, so both are rejected.
namespace NanoTcp.Wire
{
    /// <summary>A checked view of a UDP datagram.</summary>
    public struct UdpDatagram
    {
        public const int HeaderLength = 8;

        private static class Field
        {
            public const int SourcePort = 0;
            public const int DestinationPort = 2;
            public const int Length = 4;
            public const int Checksum = 6;
        }

        private byte[] _buffer;
        private int _offset;
        private int _length;

        /// <summary>Validates lengths and, when present, the checksum over the pseudo-header.</summary>
        public static WireError TryParse(byte[] buffer, int offset, int length, uint source, uint destination, out UdpDatagram datagram)
        {
            datagram = default;
            if (!Bounds.Valid(buffer, offset, length) || length < HeaderLength)
                return WireError.Truncated;
            if (NetworkOrder.ReadUInt16(buffer, offset + Field.Length) != length)
                return WireError.UdpLengthMismatch;
            if (NetworkOrder.ReadUInt16(buffer, offset + Field.Checksum) != 0)
            {
                uint sum = InternetChecksum.AddPseudoHeader(source, destination, IpProtocol.Udp, length, 0);
                if (InternetChecksum.Finish(InternetChecksum.Add(buffer, offset, length, sum)) != 0)
                    return WireError.UdpBadChecksum;
            }
            datagram._buffer = buffer;
            datagram._offset = offset;
            datagram._length = length;
            return WireError.None;
        }

        public byte[] Buffer { get { return _buffer; } }
        public int Length { get { return _length; } }
        public int SourcePort { get { return NetworkOrder.ReadUInt16(_buffer, _offset + Field.SourcePort); } }
        public int DestinationPort { get { return NetworkOrder.ReadUInt16(_buffer, _offset + Field.DestinationPort); } }
        public int Checksum { get { return NetworkOrder.ReadUInt16(_buffer, _offset + Field.Checksum); } }
        public int PayloadOffset { get { return _offset + HeaderLength; } }
        public int PayloadLength { get { return _length - HeaderLength; } }

        /// <summary>Writes the header and the checksum over pseudo-header, header and the payload already
        /// in place at offset + 8.</summary>
        public static void Emit(byte[] buffer, int offset, int sourcePort, int destinationPort, int payloadLength,
            uint source, uint destination)
        {
            int length = HeaderLength + payloadLength;
            NetworkOrder.WriteUInt16(buffer, offset + Field.SourcePort, sourcePort);
            NetworkOrder.WriteUInt16(buffer, offset + Field.DestinationPort, destinationPort);
            NetworkOrder.WriteUInt16(buffer, offset + Field.Length, length);
            NetworkOrder.WriteUInt16(buffer, offset + Field.Checksum, 0);
            uint sum = InternetChecksum.AddPseudoHeader(source, destination, IpProtocol.Udp, length, 0);
            int checksum = InternetChecksum.Finish(InternetChecksum.Add(buffer, offset, length, sum));
            NetworkOrder.WriteUInt16(buffer, offset + Field.Checksum, checksum == 0 ? 0xFFFF : checksum);
        }
    }
}
