// TCP segment format and options, RFC 9293 3.1 and 3.2 (EOL, NOP, MSS), RFC 7323 (window scale,
// timestamps), RFC 2018 (SACK-permitted, SACK). RFC 9293 3.1 requires that any option be receivable and
// that an illegal option length be handled without crashing: the segment is rejected with a reason.
// Order: bounds, data offset, checksum, then options; the option loop advances at least one byte per step.
namespace NanoTcp.Wire
{
    /// <summary>A checked view of a TCP segment, with its options parsed.</summary>
    public struct TcpSegment
    {
        public const int MinimumHeaderLength = 20;
        public const int MaximumHeaderLength = 60;

        private static class Field
        {
            public const int SourcePort = 0;
            public const int DestinationPort = 2;
            public const int SequenceNumber = 4;
            public const int AcknowledgmentNumber = 8;
            public const int DataOffset = 12;
            public const int Flags = 13;
            public const int Window = 14;
            public const int Checksum = 16;
            public const int UrgentPointer = 18;
        }

        private static class Option
        {
            public const int End = 0;
            public const int Nop = 1;
            public const int MaximumSegmentSize = 2;
            public const int WindowScale = 3;
            public const int SackPermitted = 4;
            public const int Sack = 5;
            public const int Timestamp = 8;
        }

        // Read directly (internal) by the engine's per-segment paths: on the device a property read costs ~4 IL more.
        internal byte[] _buffer;
        internal int _offset;
        internal int _length;
        internal int _headerLength;
        private int _maximumSegmentSize;
        private bool _hasMaximumSegmentSize;
        private int _windowScale;
        private bool _sackPermitted;
        private bool _hasTimestamp;
        private int _sackBlockCount;
        private int _sackOffset;
        private int _timestampOffset;
        // The fixed header's fields, decoded once: the engine reads most of them several times per segment.
        internal uint _sequenceNumber, _acknowledgmentNumber;
        internal int _flags, _window;
        // The two port fields as one native read (machine order): the engine's connection lookup compares them so
        // (TcpConnection.WirePortsOf); the ports themselves are decoded when asked for.
        internal uint _ports;

        /// <summary>Validates data offset, checksum (over the pseudo-header) and every option.</summary>
        public static WireError TryParse(byte[] buffer, int offset, int length, uint source, uint destination, out TcpSegment segment)
        {
            if (!Bounds.Valid(buffer, offset, length))
            {
                segment = default;
                return WireError.Truncated;
            }
            return TryParseInBounds(buffer, offset, length, source, destination, out segment);
        }

        /// <summary>TryParse for a range its caller knows lies within buffer: the payload of a packet Ipv4Packet
        /// parsed in the stack's receive buffer (every segment: no bounds call).</summary>
        internal static WireError TryParseInBounds(byte[] buffer, int offset, int length, uint source, uint destination, out TcpSegment segment)
        {
            segment = default;
            if (length < MinimumHeaderLength)
                return WireError.Truncated;
            int headerLength = (buffer[offset + Field.DataOffset] >> 4) * 4;
            if (headerLength < MinimumHeaderLength)
                return WireError.TcpDataOffsetTooSmall;
            if (headerLength > length)
                return WireError.TcpDataOffsetBeyondSegment;
            // The pseudo-header (RFC 9293 3.1) summed inline: every segment received.
            uint sum = (source >> 16) + (source & 0xFFFF) + (destination >> 16) + (destination & 0xFFFF) + (uint)(IpProtocol.Tcp + length);
            if (!InternetChecksum.IsValid(buffer, offset, length, sum))
                return WireError.TcpBadChecksum;

            segment._buffer = buffer;
            segment._offset = offset;
            segment._length = length;
            segment._headerLength = headerLength;
            segment._windowScale = -1;
            segment._ports = System.BitConverter.ToUInt32(buffer, offset);
            segment._sequenceNumber = ((uint)buffer[offset + 4] << 24) | ((uint)buffer[offset + 5] << 16)
                | ((uint)buffer[offset + 6] << 8) | buffer[offset + 7];
            segment._acknowledgmentNumber = ((uint)buffer[offset + 8] << 24) | ((uint)buffer[offset + 9] << 16)
                | ((uint)buffer[offset + 10] << 8) | buffer[offset + 11];
            segment._flags = ((buffer[offset + Field.DataOffset] & 0x01) << 8) | buffer[offset + Field.Flags];
            segment._window = (buffer[offset + Field.Window] << 8) | buffer[offset + Field.Window + 1];
            if (headerLength == MinimumHeaderLength)
                return WireError.None; // no options
            WireError error = segment.ParseOptions(offset + MinimumHeaderLength, offset + headerLength);
            if (error != WireError.None)
                segment = default;
            return error;
        }

        private WireError ParseOptions(int position, int end)
        {
            while (position < end)
            {
                int kind = _buffer[position];
                if (kind == Option.End)
                    break;
                if (kind == Option.Nop)
                {
                    position++;
                    continue;
                }
                if (position + 1 >= end)
                    return WireError.TcpOptionBeyondHeader;
                int length = _buffer[position + 1];
                if (length < 2)
                    return WireError.TcpOptionLengthInvalid;
                if (length > end - position)
                    return WireError.TcpOptionBeyondHeader;
                switch (kind)
                {
                    case Option.MaximumSegmentSize:
                        if (length != 4)
                            return WireError.TcpMssOptionLength;
                        _maximumSegmentSize = NetworkOrder.ReadUInt16(_buffer, position + 2);
                        _hasMaximumSegmentSize = true;
                        break;
                    case Option.WindowScale:
                        if (length != 3)
                            return WireError.TcpOptionWrongLength;
                        _windowScale = _buffer[position + 2];
                        break;
                    case Option.SackPermitted:
                        if (length != 2)
                            return WireError.TcpOptionWrongLength;
                        _sackPermitted = true;
                        break;
                    case Option.Sack:
                        if (length < 10 || (length - 2) % 8 != 0)
                            return WireError.TcpOptionWrongLength;
                        _sackBlockCount = (length - 2) / 8;
                        _sackOffset = position + 2;
                        break;
                    case Option.Timestamp:
                        if (length != 10)
                            return WireError.TcpOptionWrongLength;
                        _hasTimestamp = true;
                        _timestampOffset = position + 2;
                        break;
                }
                position += length; // unknown kinds are skipped by their length (RFC 9293 3.2)
            }
            return WireError.None;
        }

        public byte[] Buffer { get { return _buffer; } }
        public int Offset { get { return _offset; } }
        public int Length { get { return _length; } }
        public int SourcePort { get { return _buffer == null ? 0 : (_buffer[_offset] << 8) | _buffer[_offset + 1]; } }
        public int DestinationPort { get { return _buffer == null ? 0 : (_buffer[_offset + 2] << 8) | _buffer[_offset + 3]; } }
        public uint SequenceNumber { get { return _sequenceNumber; } }
        public uint AcknowledgmentNumber { get { return _acknowledgmentNumber; } }
        public int HeaderLength { get { return _headerLength; } }
        /// <summary>The nine control bits (TcpFlags), NS included.</summary>
        public int Flags { get { return _flags; } }
        /// <summary>The three reserved bits (RFC 9293: must be zero when sent, ignored when received).</summary>
        public int Reserved { get { return (_buffer[_offset + Field.DataOffset] >> 1) & 0x07; } }
        public int Window { get { return _window; } }
        public int Checksum { get { return NetworkOrder.ReadUInt16(_buffer, _offset + Field.Checksum); } }
        public int UrgentPointer { get { return NetworkOrder.ReadUInt16(_buffer, _offset + Field.UrgentPointer); } }
        public int PayloadOffset { get { return _offset + _headerLength; } }
        public int PayloadLength { get { return _length - _headerLength; } }

        /// <summary>SEG.LEN (RFC 9293 3.4): payload octets plus one for SYN and one for FIN.</summary>
        public int SegmentLength
        {
            get
            {
                return _length - _headerLength + ((_flags & TcpFlags.Syn) != 0 ? 1 : 0) + ((_flags & TcpFlags.Fin) != 0 ? 1 : 0);
            }
        }

        /// <summary>URG set with a pointer past this segment's data (the AMNESIA:33 urgent-pointer class):
        /// the pointer is not to be trusted; the data is delivered inline all the same.</summary>
        public bool UrgentPointerBeyondSegment
        {
            get { return (Flags & TcpFlags.Urg) != 0 && UrgentPointer > PayloadLength; }
        }

        /// <summary>The MSS option's value; 0 when absent.</summary>
        public int MaximumSegmentSize { get { return _maximumSegmentSize; } }
        /// <summary>True when an MSS option was present (its value may still be 0: see MinimumMss).</summary>
        public bool HasMaximumSegmentSize { get { return _hasMaximumSegmentSize; } }
        /// <summary>The window scale shift; -1 when absent.</summary>
        public int WindowScale { get { return _windowScale; } }
        public bool SackPermitted { get { return _sackPermitted; } }
        public bool HasTimestamp { get { return _hasTimestamp; } }
        public uint TimestampValue { get { return _hasTimestamp ? NetworkOrder.ReadUInt32(_buffer, _timestampOffset) : 0; } }
        public uint TimestampEcho { get { return _hasTimestamp ? NetworkOrder.ReadUInt32(_buffer, _timestampOffset + 4) : 0; } }
        public int SackBlockCount { get { return _sackBlockCount; } }

        public uint SackLeftEdge(int block) { return NetworkOrder.ReadUInt32(_buffer, _sackOffset + block * 8); }
        public uint SackRightEdge(int block) { return NetworkOrder.ReadUInt32(_buffer, _sackOffset + block * 8 + 4); }

        /// <summary>The header's values, options included, for emitting it again.</summary>
        public TcpHeader ToHeader(uint[] sackBlocks)
        {
            var header = new TcpHeader();
            header.SourcePort = SourcePort;
            header.DestinationPort = DestinationPort;
            header.SequenceNumber = SequenceNumber;
            header.AcknowledgmentNumber = AcknowledgmentNumber;
            header.Flags = Flags;
            header.Window = Window;
            header.UrgentPointer = UrgentPointer;
            header.MaximumSegmentSize = _maximumSegmentSize;
            header.HasWindowScale = _windowScale >= 0;
            header.WindowScale = _windowScale < 0 ? 0 : _windowScale;
            header.SackPermitted = _sackPermitted;
            header.HasTimestamp = _hasTimestamp;
            header.TimestampValue = TimestampValue;
            header.TimestampEcho = TimestampEcho;
            if (sackBlocks != null)
            {
                int count = _sackBlockCount * 2 <= sackBlocks.Length ? _sackBlockCount : sackBlocks.Length / 2;
                for (int i = 0; i < count; i++)
                {
                    sackBlocks[2 * i] = SackLeftEdge(i);
                    sackBlocks[2 * i + 1] = SackRightEdge(i);
                }
                header.SackBlocks = sackBlocks;
                header.SackBlockCount = count;
            }
            return header;
        }
    }
}
