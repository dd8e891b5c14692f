using System;
using System.Buffers.Binary;
using NanoTcp.Wire;

namespace NanoTcp.Boards.Desktop
{
    /// <summary>
    /// The read side of TapDevice's offloads (TUNSETOFFLOAD TUN_F_CSUM | TUN_F_TSO4): the kernel may hand one read
    /// a frame whose checksum is left to us (VIRTIO_NET_HDR_F_NEEDS_CSUM) or a TCP/IPv4 run of segments as one GSO
    /// frame (VIRTIO_NET_HDR_GSO_TCPV4, gso_size bytes a segment). This cuts such a frame back into the frames a
    /// NIC would have delivered, as the kernel's own tcp_gso_segment does (sequence numbers advanced, IPv4 IDs
    /// counted up, FIN and PSH on the last segment only, CWR on the first only, every checksum complete), one per
    /// Next call, into the caller's buffer: the stack sees ordinary frames and checks every checksum itself.
    /// </summary>
    public sealed class GsoFrameSplitter
    {
        private const byte NeedsChecksum = 1, GsoNone = 0, GsoTcpV4 = 1, GsoEcn = 0x80;
        private const int Ethernet = 14;

        private byte[] _frame;
        private int _length;         // of the frame after the vnet header
        private int _headerLength;   // Ethernet + IPv4 + TCP with options
        private int _segmentPayload; // gso_size
        private int _segments, _next;
        private uint _sequence;
        private ushort _ipId;

        /// <summary>Segments of the current frame not yet handed out.</summary>
        public int Pending => _segments - _next;

        /// <summary>Frames read that were malformed for their vnet header (dropped).</summary>
        public long FramesRejected;

        /// <summary>Takes a frame as read: vnet header at frame[0..vnetHeaderLength), then the frame. False when it
        /// is malformed for what its header says (dropped). The buffer must stay untouched until Pending is 0.</summary>
        public bool Load(byte[] frame, int vnetHeaderLength, int length)
        {
            _segments = _next = 0;
            int f = vnetHeaderLength;
            _frame = frame;
            _length = length - f;
            if (_length < Ethernet)
                return Reject();
            byte flags = frame[0];
            int gsoType = frame[1] & ~GsoEcn;
            int checksumStart = BinaryPrimitives.ReadUInt16LittleEndian(frame.AsSpan(6));
            int checksumOffset = BinaryPrimitives.ReadUInt16LittleEndian(frame.AsSpan(8));
            if (gsoType == GsoNone)
            {
                // A lone frame; with NEEDS_CSUM the sum from csum_start on is ours to finish (RFC 1071).
                if ((flags & NeedsChecksum) != 0)
                {
                    if (checksumStart < Ethernet || checksumStart + checksumOffset + 2 > _length)
                        return Reject();
                    int at = f + checksumStart + checksumOffset;
                    ushort check = InternetChecksum.Finish(InternetChecksum.Add(frame, f + checksumStart, _length - checksumStart, 0));
                    frame[at] = (byte)(check >> 8);
                    frame[at + 1] = (byte)check;
                }
                _headerLength = 0;
                _segments = 1;
                return true;
            }
            if (gsoType != GsoTcpV4 || _length < Ethernet + 20 || frame[f + 12] != 0x08 || frame[f + 13] != 0x00
                || (frame[f + Ethernet] >> 4) != 4 || frame[f + Ethernet + 9] != 6)
                return Reject();
            int ipHeader = (frame[f + Ethernet] & 0x0F) * 4;
            int tcp = Ethernet + ipHeader;
            if (ipHeader < 20 || _length < tcp + 20)
                return Reject();
            _headerLength = tcp + (frame[f + tcp + 12] >> 4) * 4;
            _segmentPayload = BinaryPrimitives.ReadUInt16LittleEndian(frame.AsSpan(4));
            int payload = _length - _headerLength;
            if (_headerLength < tcp + 20 || _segmentPayload == 0 || payload <= 0 || _headerLength + _segmentPayload > 1518)
                return Reject();
            _segments = (payload + _segmentPayload - 1) / _segmentPayload;
            _sequence = BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(f + tcp + 4));
            _ipId = BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(f + Ethernet + 4));
            return true;
        }

        private bool Reject()
        {
            FramesRejected++;
            _segments = _next = 0;
            return false;
        }

        /// <summary>Copies the next frame into buffer[offset..]; its length, or 0 when none is left or it does not fit.</summary>
        public int Next(byte[] buffer, int offset, int capacity, int vnetHeaderLength)
        {
            if (_next >= _segments)
                return 0;
            int f = vnetHeaderLength;
            int k = _next++;
            if (_headerLength == 0)
            {
                if (_length > capacity)
                    return 0;
                Buffer.BlockCopy(_frame, f, buffer, offset, _length);
                return _length;
            }
            int payloadStart = _headerLength + k * _segmentPayload;
            int payload = Math.Min(_segmentPayload, _length - payloadStart);
            int length = _headerLength + payload;
            if (length > capacity)
                return 0;
            Buffer.BlockCopy(_frame, f, buffer, offset, _headerLength);
            Buffer.BlockCopy(_frame, f + payloadStart, buffer, offset + _headerLength, payload);
            int ip = offset + Ethernet;
            int ipHeader = (buffer[ip] & 0x0F) * 4;
            int tcp = ip + ipHeader;
            BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(ip + 2), (ushort)(length - Ethernet));
            BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(ip + 4), (ushort)(_ipId + k));
            buffer[ip + 10] = buffer[ip + 11] = 0;
            BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(ip + 10), InternetChecksum.Compute(buffer, ip, ipHeader));
            BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(tcp + 4), _sequence + (uint)(k * _segmentPayload));
            if (k != _segments - 1)
                buffer[tcp + 13] &= 0xF6; // FIN (0x01) and PSH (0x08) belong to the last segment
            if (k != 0)
                buffer[tcp + 13] &= 0x7F; // CWR (0x80) to the first
            buffer[tcp + 16] = buffer[tcp + 17] = 0;
            int tcpLength = length - Ethernet - ipHeader;
            uint source = BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(ip + 12));
            uint destination = BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(ip + 16));
            uint sum = InternetChecksum.AddPseudoHeader(source, destination, 6, tcpLength, InternetChecksum.Add(buffer, tcp, tcpLength, 0));
            BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(tcp + 16), InternetChecksum.Finish(sum));
            return length;
        }
    }
}
