// IPv4, RFC 791 section 3.1 (header format) and RFC 1122 3.2.1 (checks a host MUST make: version,
// header checksum, lengths). Options are skipped by IHL; fragments are recognised, not reassembled.
// Ethernet padding after TotalLength is trimmed: the view's length is TotalLength.
namespace NanoTcp.Wire
{
    /// <summary>A checked view of an IPv4 packet.</summary>
    public struct Ipv4Packet
    {
        public const int MinimumHeaderLength = 20;
        public const int FlagDontFragment = 0x2;
        public const int FlagMoreFragments = 0x1;

        private static class Field
        {
            public const int VersionAndIhl = 0;
            public const int TypeOfService = 1;
            public const int TotalLength = 2;
            public const int Identification = 4;
            public const int FlagsAndFragment = 6;
            public const int TimeToLive = 8;
            public const int Protocol = 9;
            public const int Checksum = 10;
            public const int Source = 12;
            public const int Destination = 16;
        }

        // Read directly (internal) by the stack's frame input: on the device a property read costs ~4 IL more.
        internal byte[] _buffer;
        internal int _offset;
        internal int _length;
        internal int _headerLength;
        internal uint _source, _destination; // read once: every packet asks for them several times

        /// <summary>Validates version, IHL, total length and header checksum.</summary>
        /// <remarks>One pass over the header (every frame received): the checks of TryParseHeaderOnly in the
        /// same order, then the lengths and the checksum, and the fields set only once all hold.</remarks>
        public static WireError TryParse(byte[] buffer, int offset, int length, out Ipv4Packet packet)
        {
            if (!Bounds.Valid(buffer, offset, length))
            {
                packet = default;
                return WireError.Truncated;
            }
            WireError error = TryParseInBounds(buffer, offset, length, out packet);
            if (error == WireError.None)
                packet._destination = NetworkOrder.ReadUInt32(buffer, offset + Field.Destination);
            return error;
        }

        /// <summary>TryParse for a range its caller knows lies within buffer: the stack's receive buffer, whose
        /// frame length HandleFrame checked (every frame: no bounds call). The destination is left for the caller to
        /// set (HandleIpv4 compares it with our address as it lies in the header, and decodes it only when it differs).</summary>
        internal static WireError TryParseInBounds(byte[] buffer, int offset, int length, out Ipv4Packet packet)
        {
            packet = default;
            if (length < MinimumHeaderLength)
                return WireError.Truncated;
            int versionAndIhl = buffer[offset];
            int headerLength = MinimumHeaderLength;
            if (versionAndIhl != 0x45) // not version 4 without options, the usual header
            {
                if ((versionAndIhl >> 4) != 4)
                    return WireError.Ipv4BadVersion;
                headerLength = (versionAndIhl & 0x0F) * 4;
                if (headerLength < MinimumHeaderLength)
                    return WireError.Ipv4HeaderLengthTooSmall;
                if (headerLength > length)
                    return WireError.Ipv4HeaderBeyondPacket;
            }
            int totalLength = (buffer[offset + Field.TotalLength] << 8) | buffer[offset + (Field.TotalLength + 1)];
            if (totalLength < headerLength)
                return WireError.Ipv4TotalLengthBelowHeader;
            if (totalLength > length)
                return WireError.Ipv4TotalLengthBeyondFrame;
            if (headerLength == MinimumHeaderLength ? !InternetChecksum.IsValid20(buffer, offset)
                : !InternetChecksum.IsValid(buffer, offset, headerLength, 0))
                return WireError.Ipv4BadChecksum;
            packet._buffer = buffer;
            packet._offset = offset;
            packet._length = totalLength;
            packet._headerLength = headerLength;
            int p = offset + Field.Source;
            packet._source = ((uint)buffer[p] << 24) | ((uint)buffer[p + 1] << 16) | ((uint)buffer[p + 2] << 8) | buffer[p + 3];
            return WireError.None;
        }

        /// <summary>Checks only what reading the header needs (version, IHL): for the copy of a header
        /// inside an ICMP error, whose payload is cut short. Length is then the bytes available.</summary>
        public static WireError TryParseHeaderOnly(byte[] buffer, int offset, int length, out Ipv4Packet packet)
        {
            packet = default;
            if (!Bounds.Valid(buffer, offset, length) || length < MinimumHeaderLength)
                return WireError.Truncated;
            int versionAndIhl = buffer[offset + Field.VersionAndIhl];
            if ((versionAndIhl >> 4) != 4)
                return WireError.Ipv4BadVersion;
            int headerLength = (versionAndIhl & 0x0F) * 4;
            if (headerLength < MinimumHeaderLength)
                return WireError.Ipv4HeaderLengthTooSmall;
            if (headerLength > length)
                return WireError.Ipv4HeaderBeyondPacket;
            packet._buffer = buffer;
            packet._offset = offset;
            packet._length = length;
            packet._headerLength = headerLength;
            packet._source = NetworkOrder.ReadUInt32(buffer, offset + Field.Source);
            packet._destination = NetworkOrder.ReadUInt32(buffer, offset + Field.Destination);
            return WireError.None;
        }

        public byte[] Buffer { get { return _buffer; } }
        public int Offset { get { return _offset; } }
        /// <summary>TotalLength (or the bytes available, for a header-only view).</summary>
        public int Length { get { return _length; } }
        public int HeaderLength { get { return _headerLength; } }
        public int TypeOfService { get { return _buffer[_offset + Field.TypeOfService]; } }
        public int TotalLength { get { return NetworkOrder.ReadUInt16(_buffer, _offset + Field.TotalLength); } }
        public int Identification { get { return NetworkOrder.ReadUInt16(_buffer, _offset + Field.Identification); } }
        /// <summary>The 3 flag bits: reserved, DF (0x2), MF (0x1).</summary>
        public int Flags { get { return _buffer[_offset + Field.FlagsAndFragment] >> 5; } }
        public bool DontFragment { get { return (Flags & FlagDontFragment) != 0; } }
        public bool MoreFragments { get { return (Flags & FlagMoreFragments) != 0; } }
        /// <summary>Fragment offset in 8-byte units.</summary>
        public int FragmentOffset { get { return NetworkOrder.ReadUInt16(_buffer, _offset + Field.FlagsAndFragment) & 0x1FFF; } }
        /// <summary>True for any fragment of a fragmented datagram (RFC 791: MF set or offset not zero).</summary>
        public bool IsFragment { get { return ((_buffer[_offset + Field.FlagsAndFragment] & 0x3F) | _buffer[_offset + (Field.FlagsAndFragment + 1)]) != 0; } }
        public int TimeToLive { get { return _buffer[_offset + Field.TimeToLive]; } }
        public int Protocol { get { return _buffer[_offset + Field.Protocol]; } }
        public int Checksum { get { return NetworkOrder.ReadUInt16(_buffer, _offset + Field.Checksum); } }
        public uint Source { get { return _source; } }
        public uint Destination { get { return _destination; } }
        public int PayloadOffset { get { return _offset + _headerLength; } }
        public int PayloadLength { get { return _length - _headerLength; } }

        /// <summary>The header's values, for emitting it again elsewhere.</summary>
        public Ipv4Header ToHeader()
        {
            var header = new Ipv4Header();
            header.HeaderLength = _headerLength;
            header.TypeOfService = TypeOfService;
            header.TotalLength = TotalLength;
            header.Identification = Identification;
            header.Flags = Flags;
            header.FragmentOffset = FragmentOffset;
            header.TimeToLive = TimeToLive;
            header.Protocol = Protocol;
            header.Source = Source;
            header.Destination = Destination;
            return header;
        }

        /// <summary>Writes the fixed 20 bytes and the checksum over HeaderLength bytes. Option bytes, if
        /// HeaderLength is above 20, must already be in place at offset + 20.</summary>
        public static void Emit(byte[] buffer, int offset, Ipv4Header header)
        {
            // Not on the per-packet path: the stack sends through Ipv4HeaderTemplate, which runs this only when the
            // destination, protocol or TTL changes.
            buffer[offset + Field.VersionAndIhl] = (byte)(0x40 | (header.HeaderLength / 4));
            buffer[offset + Field.TypeOfService] = (byte)header.TypeOfService;
            NetworkOrder.WriteUInt16(buffer, offset + Field.TotalLength, header.TotalLength);
            NetworkOrder.WriteUInt16(buffer, offset + Field.Identification, header.Identification);
            NetworkOrder.WriteUInt16(buffer, offset + Field.FlagsAndFragment, (header.Flags << 13) | (header.FragmentOffset & 0x1FFF));
            buffer[offset + Field.TimeToLive] = (byte)header.TimeToLive;
            buffer[offset + Field.Protocol] = (byte)header.Protocol;
            buffer[offset + Field.Checksum] = 0;
            buffer[offset + Field.Checksum + 1] = 0;
            NetworkOrder.WriteUInt32(buffer, offset + Field.Source, header.Source);
            NetworkOrder.WriteUInt32(buffer, offset + Field.Destination, header.Destination);
            NetworkOrder.WriteUInt16(buffer, offset + Field.Checksum, InternetChecksum.Compute(buffer, offset, header.HeaderLength));
        }
    }

    /// <summary>The values of an IPv4 header, to emit (RFC 791 3.1).</summary>
    public struct Ipv4Header
    {
        public int HeaderLength;
        public int TypeOfService;
        public int TotalLength;
        public int Identification;
        public int Flags;
        public int FragmentOffset;
        public int TimeToLive;
        public int Protocol;
        public uint Source;
        public uint Destination;

        /// <summary>A 20-byte header without options, DF set (we never fragment), TTL 64 (RFC 1700 default).</summary>
        public static Ipv4Header Create(uint source, uint destination, int protocol, int payloadLength, int identification)
        {
            var header = new Ipv4Header();
            header.HeaderLength = Ipv4Packet.MinimumHeaderLength;
            header.TotalLength = Ipv4Packet.MinimumHeaderLength + payloadLength;
            header.Identification = identification;
            header.Flags = Ipv4Packet.FlagDontFragment;
            header.TimeToLive = 64;
            header.Protocol = protocol;
            header.Source = source;
            header.Destination = destination;
            return header;
        }
    }
}
