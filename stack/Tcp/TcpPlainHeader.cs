// The 20-byte TCP header without options (RFC 9293 3.1) that every segment of a connection after the SYN
// carries (ACK, data, FIN: the engine sends no options there), written from its values without building a
// TcpHeader. The engine keeps one template: the header of the last ports and addresses it wrote for, with
// the last segment's numbers, flags and window, and the sum of the ports and the pseudo-header's addresses
// and protocol (RFC 1071 section 2 (A): any order and grouping gives the same sum). A segment is the fields
// that changed written into it, then one native copy: on the device's interpreter each byte stored costs
// about 8 IL. Same bytes as TcpHeader.Emit for the same values (TcpPlainHeaderTests).
using NanoTcp.Wire;

namespace NanoTcp.Tcp
{
    internal sealed class TcpPlainHeader
    {
        private const int Length = TcpSegment.MinimumHeaderLength;
        private const int DataOffsetWord = 0x5000; // data offset 5 words, flags zero
        private readonly byte[] _template = new byte[Length];
        private int _sourcePort = -1, _destinationPort = -1;
        private uint _source, _destination;
        private uint _sum; // pseudo-header addresses and protocol, ports; below 2^19
        private uint _sequence, _acknowledgment; // the fields now in the template
        private int _flagBits, _window;

        /// <summary>Writes the header at offset and the checksum over pseudo-header, header and the payloadLength
        /// bytes already in place after it. Returns the header's length (20).</summary>
        internal int Write(byte[] buffer, int offset, int sourcePort, int destinationPort, uint sequence,
            uint acknowledgment, int flags, int window, int payloadLength, uint source, uint destination)
        {
            if (sourcePort != _sourcePort || destinationPort != _destinationPort || source != _source || destination != _destination)
                Prepare(sourcePort, destinationPort, source, destination, sequence, acknowledgment);
            // A field is written into the template only when it differs from the last segment's: the sender's
            // acknowledgment and window, the receiver's sequence number mostly stay the same.
            byte[] t = _template;
            if (sequence != _sequence)
            {
                t[4] = (byte)(sequence >> 24);
                t[5] = (byte)(sequence >> 16);
                t[6] = (byte)(sequence >> 8);
                t[7] = (byte)sequence;
                _sequence = sequence;
            }
            if (acknowledgment != _acknowledgment)
            {
                t[8] = (byte)(acknowledgment >> 24);
                t[9] = (byte)(acknowledgment >> 16);
                t[10] = (byte)(acknowledgment >> 8);
                t[11] = (byte)acknowledgment;
                _acknowledgment = acknowledgment;
            }
            int flagBits = flags & 0x1FF;
            if (flagBits != _flagBits)
            {
                t[12] = (byte)((DataOffsetWord | flagBits) >> 8); // NS is the low bit of byte 12
                t[13] = (byte)flagBits;
                _flagBits = flagBits;
            }
            if (window != _window)
            {
                t[14] = (byte)(window >> 8);
                t[15] = (byte)window;
                _window = window;
            }
            System.Array.Copy(t, 0, buffer, offset, Length);
            int length = Length + payloadLength;
            uint sum = _sum + (uint)length; // the pseudo-header's TCP length (RFC 9293 3.1)
            int checksum;
            if (payloadLength == 0)
            {
                // The changing words from the values; with data they cost less inside the payload's loop.
                sum += (sequence >> 16) + (sequence & 0xFFFF) + (acknowledgment >> 16) + (acknowledgment & 0xFFFF)
                    + (uint)(DataOffsetWord + flagBits) + (uint)(window & 0xFFFF);
                // InternetChecksum.Finish, inline: two folds, then the complement.
                sum = (sum & 0xFFFF) + (sum >> 16);
                checksum = (int)~((sum & 0xFFFF) + (sum >> 16));
            }
            else
            {
                checksum = InternetChecksum.FieldValue(buffer, offset + 4, length - 4, sum); // the ports are in _sum
            }
            buffer[offset + 16] = (byte)(checksum >> 8);
            buffer[offset + 17] = (byte)checksum;
            return Length;
        }

        private void Prepare(int sourcePort, int destinationPort, uint source, uint destination, uint sequence, uint acknowledgment)
        {
            byte[] t = _template;
            t[0] = (byte)(sourcePort >> 8);
            t[1] = (byte)sourcePort;
            t[2] = (byte)(destinationPort >> 8);
            t[3] = (byte)destinationPort;
            // Values no segment has: Write puts the sequence and acknowledgment numbers, flags and window in.
            // Checksum (16-17) and urgent pointer (18-19) stay 0.
            _sequence = ~sequence;
            _acknowledgment = ~acknowledgment;
            _flagBits = -1;
            _window = -1;
            _sum = (source >> 16) + (source & 0xFFFF) + (destination >> 16) + (destination & 0xFFFF) + (uint)IpProtocol.Tcp
                + (uint)(sourcePort & 0xFFFF) + (uint)(destinationPort & 0xFFFF);
            _sourcePort = sourcePort;
            _destinationPort = destinationPort;
            _source = source;
            _destination = destination;
        }
    }
}
