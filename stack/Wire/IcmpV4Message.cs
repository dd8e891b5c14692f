// ICMPv4, RFC 792: echo request/reply (types 8/0) and the errors a host reads, destination unreachable
// (3) and time exceeded (11), which carry the offending IP header plus at least 8 bytes of its payload.
namespace NanoTcp.Wire
{
    /// <summary>A checked view of an ICMPv4 message (checksum verified over the whole message).</summary>
    public struct IcmpV4Message
    {
        public const int HeaderLength = 8;
        public const int TypeEchoReply = 0;
        public const int TypeDestinationUnreachable = 3;
        public const int TypeEchoRequest = 8;
        public const int TypeTimeExceeded = 11;
        public const int CodeProtocolUnreachable = 2;
        public const int CodePortUnreachable = 3;
        public const int CodeFragmentationNeeded = 4;

        private static class Field
        {
            public const int Type = 0;
            public const int Code = 1;
            public const int Checksum = 2;
            public const int Identifier = 4;
            public const int SequenceNumber = 6;
        }

        private byte[] _buffer;
        private int _offset;
        private int _length;

        public static WireError TryParse(byte[] buffer, int offset, int length, out IcmpV4Message message)
        {
            message = default;
            if (!Bounds.Valid(buffer, offset, length) || length < HeaderLength)
                return WireError.Truncated;
            if (InternetChecksum.Compute(buffer, offset, length) != 0)
                return WireError.IcmpBadChecksum;
            message._buffer = buffer;
            message._offset = offset;
            message._length = length;
            return WireError.None;
        }

        public byte[] Buffer { get { return _buffer; } }
        public int Length { get { return _length; } }
        public int Type { get { return _buffer[_offset + Field.Type]; } }
        public int Code { get { return _buffer[_offset + Field.Code]; } }
        public int Checksum { get { return NetworkOrder.ReadUInt16(_buffer, _offset + Field.Checksum); } }
        /// <summary>Echo identifier (bytes 4-5 of the header).</summary>
        public int Identifier { get { return NetworkOrder.ReadUInt16(_buffer, _offset + Field.Identifier); } }
        /// <summary>Echo sequence number (bytes 6-7 of the header).</summary>
        public int SequenceNumber { get { return NetworkOrder.ReadUInt16(_buffer, _offset + Field.SequenceNumber); } }
        /// <summary>RFC 1191 section 4: the next-hop MTU of a fragmentation-needed message (0 from older routers).</summary>
        public int NextHopMtu { get { return NetworkOrder.ReadUInt16(_buffer, _offset + Field.SequenceNumber); } }
        public int PayloadOffset { get { return _offset + HeaderLength; } }
        public int PayloadLength { get { return _length - HeaderLength; } }

        public bool IsError
        {
            get { return Type == TypeDestinationUnreachable || Type == TypeTimeExceeded; }
        }

        /// <summary>For an error message: the embedded IP header, and the offset and length of the transport
        /// bytes that follow it (at most what the message carries). False when it is not a readable header.</summary>
        public bool TryGetEmbeddedPacket(out Ipv4Packet original)
        {
            original = default;
            if (!IsError)
                return false;
            return Ipv4Packet.TryParseHeaderOnly(_buffer, PayloadOffset, PayloadLength, out original) == WireError.None;
        }

        /// <summary>Writes an echo header (type 0 or 8) and the checksum over header plus the payload
        /// already in place at offset + 8.</summary>
        public static void EmitEcho(byte[] buffer, int offset, int type, int identifier, int sequenceNumber, int payloadLength)
        {
            buffer[offset + Field.Type] = (byte)type;
            buffer[offset + Field.Code] = 0;
            NetworkOrder.WriteUInt16(buffer, offset + Field.Checksum, 0);
            NetworkOrder.WriteUInt16(buffer, offset + Field.Identifier, identifier);
            NetworkOrder.WriteUInt16(buffer, offset + Field.SequenceNumber, sequenceNumber);
            NetworkOrder.WriteUInt16(buffer, offset + Field.Checksum, InternetChecksum.Compute(buffer, offset, HeaderLength + payloadLength));
        }

        /// <summary>Writes an error header (unused word zero) and the checksum over header plus the quoted
        /// bytes already in place at offset + 8 (RFC 792; RFC 1122 3.2.2: the IP header and 8+ bytes).</summary>
        public static void EmitError(byte[] buffer, int offset, int type, int code, int quotedLength)
        {
            buffer[offset + Field.Type] = (byte)type;
            buffer[offset + Field.Code] = (byte)code;
            NetworkOrder.WriteUInt16(buffer, offset + Field.Checksum, 0);
            NetworkOrder.WriteUInt32(buffer, offset + Field.Identifier, 0);
            NetworkOrder.WriteUInt16(buffer, offset + Field.Checksum, InternetChecksum.Compute(buffer, offset, HeaderLength + quotedLength));
        }
    }
}
