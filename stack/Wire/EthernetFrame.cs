// Ethernet II frames (IEEE 802.3 clause 3.2.6 with an EtherType; RFC 894 for IPv4 over Ethernet).
// Frames arrive without FCS. 802.1Q-tagged frames are rejected with EthernetVlanTagged: this host is
// on no VLAN, so a tagged frame was not meant for its untagged interface (Linux does the same).
namespace NanoTcp.Wire
{
    /// <summary>A checked view of an Ethernet II frame inside a byte[].</summary>
    public struct EthernetFrame
    {
        public const int HeaderLength = 14;
        /// <summary>Shortest frame on the wire without FCS; shorter frames are padded before sending.</summary>
        public const int MinimumLength = 60;
        public const int MaximumLength = 1514;

        private static class Field
        {
            public const int Destination = 0;
            public const int Source = 6;
            public const int EtherType = 12;
        }

        private byte[] _buffer;
        private int _offset;
        private int _length;

        public static WireError TryParse(byte[] buffer, int offset, int length, out EthernetFrame frame)
        {
            frame = default;
            if (!Bounds.Valid(buffer, offset, length) || length < HeaderLength)
                return WireError.Truncated;
            if (NetworkOrder.ReadUInt16(buffer, offset + Field.EtherType) == EtherType.Vlan)
                return WireError.EthernetVlanTagged;
            frame._buffer = buffer;
            frame._offset = offset;
            frame._length = length;
            return WireError.None;
        }

        public byte[] Buffer { get { return _buffer; } }
        public int Offset { get { return _offset; } }
        public int Length { get { return _length; } }
        public int DestinationOffset { get { return _offset + Field.Destination; } }
        public int SourceOffset { get { return _offset + Field.Source; } }
        public int EtherTypeValue { get { return NetworkOrder.ReadUInt16(_buffer, _offset + Field.EtherType); } }
        public int PayloadOffset { get { return _offset + HeaderLength; } }
        public int PayloadLength { get { return _length - HeaderLength; } }
        public bool IsBroadcast { get { return MacAddress.IsBroadcast(_buffer, _offset + Field.Destination); } }
        public bool IsMulticast { get { return MacAddress.IsMulticast(_buffer, _offset + Field.Destination); } }

        /// <summary>Writes the 14-byte header; the payload goes at offset + HeaderLength.</summary>
        public static void Emit(byte[] buffer, int offset, byte[] destination, int destinationOffset,
            byte[] source, int sourceOffset, int etherType)
        {
            System.Array.Copy(destination, destinationOffset, buffer, offset + Field.Destination, MacAddress.Length);
            System.Array.Copy(source, sourceOffset, buffer, offset + Field.Source, MacAddress.Length);
            NetworkOrder.WriteUInt16(buffer, offset + Field.EtherType, etherType);
        }
    }
}
