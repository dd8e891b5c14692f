// ARP for IPv4 over Ethernet, RFC 826: hardware type 1, protocol 0x0800, lengths 6 and 4.
namespace NanoTcp.Wire
{
    /// <summary>A checked view of an ARP packet (Ethernet/IPv4 only).</summary>
    public struct ArpPacket
    {
        public const int Length = 28;
        public const int OperationRequest = 1;
        public const int OperationReply = 2;

        private static class Field
        {
            public const int HardwareType = 0;
            public const int ProtocolType = 2;
            public const int HardwareLength = 4;
            public const int ProtocolLength = 5;
            public const int Operation = 6;
            public const int SenderHardware = 8;
            public const int SenderProtocol = 14;
            public const int TargetHardware = 18;
            public const int TargetProtocol = 24;
        }

        private byte[] _buffer;
        private int _offset;

        public static WireError TryParse(byte[] buffer, int offset, int length, out ArpPacket packet)
        {
            packet = default;
            if (!Bounds.Valid(buffer, offset, length) || length < Length)
                return WireError.Truncated;
            if (NetworkOrder.ReadUInt16(buffer, offset + Field.HardwareType) != 1
                || NetworkOrder.ReadUInt16(buffer, offset + Field.ProtocolType) != EtherType.Ipv4
                || buffer[offset + Field.HardwareLength] != MacAddress.Length
                || buffer[offset + Field.ProtocolLength] != 4)
                return WireError.ArpUnsupportedFormat;
            int operation = NetworkOrder.ReadUInt16(buffer, offset + Field.Operation);
            if (operation != OperationRequest && operation != OperationReply)
                return WireError.ArpBadOperation;
            packet._buffer = buffer;
            packet._offset = offset;
            return WireError.None;
        }

        public byte[] Buffer { get { return _buffer; } }
        public int Operation { get { return NetworkOrder.ReadUInt16(_buffer, _offset + Field.Operation); } }
        public int SenderHardwareOffset { get { return _offset + Field.SenderHardware; } }
        public uint SenderProtocolAddress { get { return NetworkOrder.ReadUInt32(_buffer, _offset + Field.SenderProtocol); } }
        public int TargetHardwareOffset { get { return _offset + Field.TargetHardware; } }
        public uint TargetProtocolAddress { get { return NetworkOrder.ReadUInt32(_buffer, _offset + Field.TargetProtocol); } }

        /// <summary>Writes all 28 bytes.</summary>
        public static void Emit(byte[] buffer, int offset, int operation,
            byte[] senderHardware, int senderHardwareOffset, uint senderProtocol,
            byte[] targetHardware, int targetHardwareOffset, uint targetProtocol)
        {
            NetworkOrder.WriteUInt16(buffer, offset + Field.HardwareType, 1);
            NetworkOrder.WriteUInt16(buffer, offset + Field.ProtocolType, EtherType.Ipv4);
            buffer[offset + Field.HardwareLength] = MacAddress.Length;
            buffer[offset + Field.ProtocolLength] = 4;
            NetworkOrder.WriteUInt16(buffer, offset + Field.Operation, operation);
            System.Array.Copy(senderHardware, senderHardwareOffset, buffer, offset + Field.SenderHardware, MacAddress.Length);
            NetworkOrder.WriteUInt32(buffer, offset + Field.SenderProtocol, senderProtocol);
            System.Array.Copy(targetHardware, targetHardwareOffset, buffer, offset + Field.TargetHardware, MacAddress.Length);
            NetworkOrder.WriteUInt32(buffer, offset + Field.TargetProtocol, targetProtocol);
        }
    }
}
