// The values of a TCP header to emit (RFC 9293 3.1). Options go in the order Linux sends them
// (MSS; SACK-permitted with timestamps; window scale; SACK blocks), padded with NOPs to 32 bits.
namespace NanoTcp.Wire
{
    public struct TcpHeader
    {
        public int SourcePort;
        public int DestinationPort;
        public uint SequenceNumber;
        public uint AcknowledgmentNumber;
        /// <summary>TcpFlags bits.</summary>
        public int Flags;
        public int Window;
        public int UrgentPointer;
        /// <summary>MSS option value; 0 leaves the option out.</summary>
        public int MaximumSegmentSize;
        public bool HasWindowScale;
        public int WindowScale;
        public bool SackPermitted;
        public bool HasTimestamp;
        public uint TimestampValue;
        public uint TimestampEcho;
        /// <summary>Left/right edge pairs; SackBlockCount (0..4) pairs are sent.</summary>
        public uint[] SackBlocks;
        public int SackBlockCount;

        public const int MaximumOptionsLength = TcpSegment.MaximumHeaderLength - TcpSegment.MinimumHeaderLength;

        public int OptionsLength
        {
            get
            {
                int blocks = SackBlocksThatFit;
                return FixedOptionsLength + (blocks > 0 ? 4 + 8 * blocks : 0);
            }
        }

        /// <summary>SACK blocks sent: SackBlockCount, fewer if the other options leave no room (RFC 2018 section 3).</summary>
        public int SackBlocksThatFit
        {
            get
            {
                int room = (MaximumOptionsLength - FixedOptionsLength - 4) / 8;
                if (room < 0) room = 0;
                return SackBlockCount < room ? SackBlockCount : room;
            }
        }

        private int FixedOptionsLength
        {
            get
            {
                int length = MaximumSegmentSize != 0 ? 4 : 0;
                if (HasTimestamp) length += 12;
                else if (SackPermitted) length += 4;
                if (HasWindowScale) length += 4;
                return length;
            }
        }

        public int HeaderLength { get { return TcpSegment.MinimumHeaderLength + OptionsLength; } }

        /// <summary>Writes header and options, then the checksum over pseudo-header, header and the
        /// payload already in place at offset + HeaderLength. Returns HeaderLength.</summary>
        public int Emit(byte[] buffer, int offset, int payloadLength, uint source, uint destination)
        {
            // The options' length once (HeaderLength works it out from the same properties again).
            int fixedOptions = FixedOptionsLength;
            int sackBlocks = 0;
            if (SackBlockCount > 0)
            {
                int room = (MaximumOptionsLength - fixedOptions - 4) / 8;
                if (room < 0) room = 0;
                sackBlocks = SackBlockCount < room ? SackBlockCount : room;
            }
            int headerLength = TcpSegment.MinimumHeaderLength + fixedOptions + (sackBlocks > 0 ? 4 + 8 * sackBlocks : 0);
            NetworkOrder.WriteUInt16(buffer, offset, SourcePort);
            NetworkOrder.WriteUInt16(buffer, offset + 2, DestinationPort);
            NetworkOrder.WriteUInt32(buffer, offset + 4, SequenceNumber);
            NetworkOrder.WriteUInt32(buffer, offset + 8, AcknowledgmentNumber);
            buffer[offset + 12] = (byte)(((headerLength / 4) << 4) | ((Flags >> 8) & 0x01));
            buffer[offset + 13] = (byte)Flags;
            NetworkOrder.WriteUInt16(buffer, offset + 14, Window);
            buffer[offset + 16] = 0;
            buffer[offset + 17] = 0;
            NetworkOrder.WriteUInt16(buffer, offset + 18, UrgentPointer);

            if (fixedOptions != 0 || sackBlocks != 0)
                EmitOptions(buffer, offset + TcpSegment.MinimumHeaderLength, sackBlocks);

            int length = headerLength + payloadLength;
            // The engine writes the segments of a connection after the SYN with TcpPlainHeader; this serves SYNs,
            // SYN-ACKs and RSTs, where the plain sum over the pseudo-header (RFC 9293 3.1) and the bytes is enough.
            uint sum = InternetChecksum.AddPseudoHeader(source, destination, IpProtocol.Tcp, length, 0);
            int checksum = InternetChecksum.Finish(InternetChecksum.Add(buffer, offset, length, sum));
            NetworkOrder.WriteUInt16(buffer, offset + 16, checksum);
            return headerLength;
        }

        private void EmitOptions(byte[] buffer, int p, int sackBlocks)
        {
            if (MaximumSegmentSize != 0)
            {
                buffer[p] = 2; buffer[p + 1] = 4;
                NetworkOrder.WriteUInt16(buffer, p + 2, MaximumSegmentSize);
                p += 4;
            }
            if (HasTimestamp)
            {
                if (SackPermitted) { buffer[p] = 4; buffer[p + 1] = 2; }
                else { buffer[p] = 1; buffer[p + 1] = 1; }
                buffer[p + 2] = 8; buffer[p + 3] = 10;
                NetworkOrder.WriteUInt32(buffer, p + 4, TimestampValue);
                NetworkOrder.WriteUInt32(buffer, p + 8, TimestampEcho);
                p += 12;
            }
            else if (SackPermitted)
            {
                buffer[p] = 1; buffer[p + 1] = 1; buffer[p + 2] = 4; buffer[p + 3] = 2;
                p += 4;
            }
            if (HasWindowScale)
            {
                buffer[p] = 1; buffer[p + 1] = 3; buffer[p + 2] = 3; buffer[p + 3] = (byte)WindowScale;
                p += 4;
            }
            if (sackBlocks > 0)
            {
                buffer[p] = 1; buffer[p + 1] = 1; buffer[p + 2] = 5; buffer[p + 3] = (byte)(2 + 8 * sackBlocks);
                p += 4;
                for (int i = 0; i < sackBlocks * 2; i++, p += 4)
                    NetworkOrder.WriteUInt32(buffer, p, SackBlocks[i]);
            }
        }
    }
}
