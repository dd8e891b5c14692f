// The IPv4 header (RFC 791 3.1) of the last source, destination, protocol and TTL a packet went to, kept
// ready: a connection's packets differ only in Total Length and Identification, so each is one copy of the
// template, those two fields, and a checksum from the template's precomputed sum (RFC 1071 section 2 (A):
// the sum is the same in any order and grouping). The bytes are the ones Ipv4Packet.Emit writes.
namespace NanoTcp.Wire
{
    public sealed class Ipv4HeaderTemplate
    {
        private const int Length = Ipv4Packet.MinimumHeaderLength;
        private readonly byte[] _header = new byte[Length];
        private uint _source, _destination;
        private int _protocol = -1, _timeToLive = -1;
        private uint _sum; // the template's ones' complement sum, Total Length, Identification and Checksum zero

        /// <summary>Writes a 20-byte header with DF set (what Ipv4Header.Create and Ipv4Packet.Emit write) at buffer[offset].</summary>
        public void Write(byte[] buffer, int offset, uint source, uint destination, int protocol, int timeToLive,
            int totalLength, int identification)
        {
            if (destination != _destination || source != _source || protocol != _protocol || timeToLive != _timeToLive)
                Prepare(source, destination, protocol, timeToLive);
            System.Array.Copy(_header, 0, buffer, offset, Length);
            buffer[offset + 2] = (byte)(totalLength >> 8);
            buffer[offset + 3] = (byte)totalLength;
            buffer[offset + 4] = (byte)(identification >> 8);
            buffer[offset + 5] = (byte)identification;
            // InternetChecksum.Finish, inline (every packet sent): two folds, then the complement.
            uint sum = _sum + (uint)totalLength + (uint)identification;
            sum = (sum & 0xFFFF) + (sum >> 16);
            sum = ~((sum & 0xFFFF) + (sum >> 16));
            buffer[offset + 10] = (byte)(sum >> 8);
            buffer[offset + 11] = (byte)sum;
        }

        private void Prepare(uint source, uint destination, int protocol, int timeToLive)
        {
            Ipv4Header header = Ipv4Header.Create(source, destination, protocol, 0, 0);
            header.TotalLength = 0;
            header.TimeToLive = timeToLive;
            Ipv4Packet.Emit(_header, 0, header);
            _header[10] = 0;
            _header[11] = 0;
            _sum = InternetChecksum.Add(_header, 0, Length, 0); // below 2^28: two 16-bit fields more still fit
            _source = source;
            _destination = destination;
            _protocol = protocol;
            _timeToLive = timeToLive;
        }
    }
}
