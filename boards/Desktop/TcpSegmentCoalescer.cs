using System;
using System.Buffers.Binary;
using NanoTcp.Wire;

namespace NanoTcp.Boards.Desktop
{
    /// <summary>
    /// What TapDevice writes to a TAP opened with IFF_VNET_HDR: a virtio_net_hdr, then the frame. TCP segments
    /// of one flow that continue each other (same Ethernet, IPv4 and TCP headers but for sequence, ACK, window
    /// and PSH; each of the same payload size but the last) are joined into one GSO frame, as a NIC's TSO takes
    /// them from a kernel: the TAP's kernel side takes the run in one write(2) and one pass of its receive path
    /// (virtio_net_hdr_to_skb gives the skb gso_size = the segments' payload, so were it forwarded it would be cut
    /// back into the same segments). The stack's segments and their order are unchanged; only how many reach the
    /// kernel per system call. A run ends at a segment with PSH (the stack's last queued byte) or a shorter one,
    /// and is written at once then. One buffer, filled in place: nothing is allocated per frame.
    /// </summary>
    public sealed class TcpSegmentCoalescer
    {
        /// <summary>sizeof(struct virtio_net_hdr) (linux/virtio_net.h), the TAP's default TUNSETVNETHDRSZ.</summary>
        public const int VnetHeaderLength = 10;
        private const byte NeedsChecksum = 1, GsoTcpV4 = 1, GsoNone = 0; // VIRTIO_NET_HDR_F_NEEDS_CSUM, _GSO_TCPV4
        private const int Ethernet = 14, Ip = Ethernet, Tcp = Ip + 20; // IPv4 without options only
        private const int MaxIpLength = 65535;
        private const byte Psh = 0x08;
        /// <summary>Longest frame Start takes: the 1500-byte MTU's, and a VLAN tag's four more.</summary>
        public const int MaxFrameLength = 1518;

        private readonly byte[] _buffer = new byte[VnetHeaderLength + Ethernet + MaxIpLength];
        private int _frameLength;    // bytes after the vnet header; 0: nothing held
        private int _segments;
        private int _segmentPayload; // gso_size: every segment's payload but the last's
        private int _headerLength;   // Ethernet + IPv4 + TCP with options
        private uint _nextSequence;
        private bool _closed;        // a shorter segment or PSH ended the run

        /// <summary>The bytes to write (vnet header and frame) and their count; valid until the next Add or Clear.</summary>
        public byte[] Buffer => _buffer;
        public int Length => VnetHeaderLength + _frameLength;
        public bool IsEmpty => _frameLength == 0;
        /// <summary>Segments held in the run (0 when empty).</summary>
        public int Segments => _segments;

        /// <summary>True when the frame is a TCP segment with data that a run may start with or continue:
        /// IPv4 without options or fragmentation, only ACK and perhaps PSH set.</summary>
        public static bool IsCandidate(byte[] f, int offset, int length)
        {
            if (length < Tcp + 20 || f[offset + 12] != 0x08 || f[offset + 13] != 0x00 || f[offset + Ip] != 0x45
                || f[offset + Ip + 9] != 6 || (f[offset + Ip + 6] & 0x3F) != 0 || f[offset + Ip + 7] != 0)
                return false;
            int ipLength = ReadUInt16(f, offset + Ip + 2);
            int tcpHeader = (f[offset + Tcp + 12] >> 4) * 4;
            int flags = f[offset + Tcp + 13];
            return ipLength <= length - Ethernet && tcpHeader >= 20 && ipLength > 20 + tcpHeader
                && (flags & ~0x08) == 0x10 && f[offset + Tcp + 18] == 0 && f[offset + Tcp + 19] == 0;
        }

        /// <summary>Holds any frame as a run of one (a candidate may be continued; other frames are closed).</summary>
        public void Start(byte[] f, int offset, int length)
        {
            Array.Clear(_buffer, 0, VnetHeaderLength);
            System.Buffer.BlockCopy(f, offset, _buffer, VnetHeaderLength, length);
            _frameLength = length;
            _segments = 1;
            _closed = !IsCandidate(f, offset, length);
            if (_closed)
                return;
            int ipLength = ReadUInt16(f, offset + Ip + 2);
            _headerLength = Tcp + (f[offset + Tcp + 12] >> 4) * 4;
            _frameLength = Ethernet + ipLength; // without Ethernet padding, if any
            _segmentPayload = _frameLength - _headerLength;
            _nextSequence = BinaryPrimitives.ReadUInt32BigEndian(f.AsSpan(offset + Tcp + 4)) + (uint)_segmentPayload;
            _closed = (f[offset + Tcp + 13] & Psh) != 0;
        }

        /// <summary>Appends the segment to the run when it continues it; false when it does not (nothing changed).</summary>
        public bool TryAppend(byte[] f, int offset, int length)
        {
            if (_closed || _frameLength == 0 || !IsCandidate(f, offset, length))
                return false;
            int h = VnetHeaderLength;
            int ipLength = ReadUInt16(f, offset + Ip + 2);
            int payload = Ethernet + ipLength - _headerLength;
            if (payload > _segmentPayload || _frameLength + payload > Ethernet + MaxIpLength
                || BinaryPrimitives.ReadUInt32BigEndian(f.AsSpan(offset + Tcp + 4)) != _nextSequence)
                return false;
            // The same link, IPv4 (but for length, ID and checksum) and TCP ports, header length and options.
            if (!f.AsSpan(offset, Ip + 2).SequenceEqual(_buffer.AsSpan(h, Ip + 2))
                || !f.AsSpan(offset + Ip + 6, 4).SequenceEqual(_buffer.AsSpan(h + Ip + 6, 4))
                || !f.AsSpan(offset + Ip + 12, 8).SequenceEqual(_buffer.AsSpan(h + Ip + 12, 8))
                || !f.AsSpan(offset + Tcp, 4).SequenceEqual(_buffer.AsSpan(h + Tcp, 4))
                || f[offset + Tcp + 12] != _buffer[h + Tcp + 12]
                || !f.AsSpan(offset + Tcp + 20, _headerLength - Tcp - 20).SequenceEqual(_buffer.AsSpan(h + Tcp + 20, _headerLength - Tcp - 20)))
                return false;
            System.Buffer.BlockCopy(f, offset + _headerLength, _buffer, h + _frameLength, payload);
            _frameLength += payload;
            _segments++;
            _nextSequence += (uint)payload;
            // PSH: the stack sent its last queued byte (RFC 9293 3.9.1.2), so nothing follows now; go at once.
            _closed = payload < _segmentPayload || (f[offset + Tcp + 13] & Psh) != 0;
            // The latest ACK and window stand for the run (both are cumulative); PSH, as GSO would put it on the last.
            System.Buffer.BlockCopy(f, offset + Tcp + 8, _buffer, h + Tcp + 8, 4);
            System.Buffer.BlockCopy(f, offset + Tcp + 14, _buffer, h + Tcp + 14, 2);
            _buffer[h + Tcp + 13] |= f[offset + Tcp + 13];
            return true;
        }

        /// <summary>True when nothing can join the run any more (write it now rather than later).</summary>
        public bool IsClosed => _closed;

        /// <summary>Makes the held run ready to write: a lone frame goes as it is (vnet header all zero); a run of
        /// two or more gets its IPv4 length and checksum, the TCP pseudo-header sum that NEEDS_CSUM asks for, and
        /// the GSO fields.</summary>
        public void Seal()
        {
            if (_segments < 2)
                return;
            int h = VnetHeaderLength;
            int ipLength = _frameLength - Ethernet;
            WriteUInt16(_buffer, h + Ip + 2, ipLength);
            WriteUInt16(_buffer, h + Ip + 10, 0);
            WriteUInt16(_buffer, h + Ip + 10, InternetChecksum.Compute(_buffer, h + Ip, 20));
            uint source = BinaryPrimitives.ReadUInt32BigEndian(_buffer.AsSpan(h + Ip + 12));
            uint destination = BinaryPrimitives.ReadUInt32BigEndian(_buffer.AsSpan(h + Ip + 16));
            // CHECKSUM_PARTIAL: the field holds the folded pseudo-header sum; whoever finishes the checksum adds the rest.
            ushort pseudo = (ushort)~InternetChecksum.Finish(InternetChecksum.AddPseudoHeader(source, destination, 6, ipLength - 20, 0));
            WriteUInt16(_buffer, h + Tcp + 16, pseudo);
            _buffer[0] = NeedsChecksum;
            _buffer[1] = GsoTcpV4;
            BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(2), (ushort)_headerLength); // hdr_len
            BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(4), (ushort)_segmentPayload); // gso_size
            BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(6), Tcp); // csum_start
            BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(8), 16); // csum_offset
        }

        public void Clear()
        {
            _frameLength = 0;
            _segments = 0;
            _buffer[1] = GsoNone;
        }

        private static int ReadUInt16(byte[] b, int at) => (b[at] << 8) | b[at + 1];

        private static void WriteUInt16(byte[] b, int at, int value)
        {
            b[at] = (byte)(value >> 8);
            b[at + 1] = (byte)value;
        }
    }
}
