// Big-endian ("network byte order", RFC 1700) reads and writes over byte[].
// nanoFramework has no System.Buffers.Binary; these are plain shifts, no allocation.
namespace NanoTcp.Wire
{
    /// <summary>Reads and writes 16- and 32-bit fields in network byte order.</summary>
    public static class NetworkOrder
    {
        public static ushort ReadUInt16(byte[] buffer, int offset)
        {
            return (ushort)((buffer[offset] << 8) | buffer[offset + 1]);
        }

        public static uint ReadUInt32(byte[] buffer, int offset)
        {
            return ((uint)buffer[offset] << 24) | ((uint)buffer[offset + 1] << 16)
                 | ((uint)buffer[offset + 2] << 8) | buffer[offset + 3];
        }

        public static void WriteUInt16(byte[] buffer, int offset, int value)
        {
            buffer[offset] = (byte)(value >> 8);
            buffer[offset + 1] = (byte)value;
        }

        public static void WriteUInt32(byte[] buffer, int offset, uint value)
        {
            buffer[offset] = (byte)(value >> 24);
            buffer[offset + 1] = (byte)(value >> 16);
            buffer[offset + 2] = (byte)(value >> 8);
            buffer[offset + 3] = (byte)value;
        }
    }
}
