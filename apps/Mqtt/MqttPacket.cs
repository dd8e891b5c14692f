// MQTT 3.1.1 control packets (OASIS standard, section 2): the fixed header's type nibble and flags,
// the Remaining Length (2.2.3, 1-4 bytes of 7 bits) and two-byte big-endian integers and strings (1.5).
namespace NanoTcp.Mqtt
{
    public static class MqttPacket
    {
        public const int Connect = 1, ConnAck = 2, Publish = 3, PubAck = 4, PubRec = 5, PubRel = 6, PubComp = 7,
            Subscribe = 8, SubAck = 9, Unsubscribe = 10, UnsubAck = 11, PingReq = 12, PingResp = 13, Disconnect = 14;

        /// <summary>2.2.3: at most four bytes, 268,435,455.</summary>
        public const int MaxRemainingLength = 268435455;

        /// <summary>Writes n as a Remaining Length; returns the bytes used (1-4).</summary>
        public static int WriteRemainingLength(byte[] buffer, int offset, int n)
        {
            int p = offset;
            do
            {
                int digit = n & 0x7F;
                n >>= 7;
                buffer[p++] = (byte)(n > 0 ? digit | 0x80 : digit);
            } while (n > 0);
            return p - offset;
        }

        /// <summary>Bytes a Remaining Length of n takes.</summary>
        public static int RemainingLengthSize(int n)
        {
            return n < 128 ? 1 : n < 16384 ? 2 : n < 2097152 ? 3 : 4;
        }

        /// <summary>Reads a Remaining Length from buffer[offset, end): its byte count (value in n), 0 when more bytes
        /// are needed, -1 when malformed (a fifth continuation byte, 2.2.3).</summary>
        public static int ReadRemainingLength(byte[] buffer, int offset, int end, out int n)
        {
            n = 0;
            int shift = 0;
            for (int i = 0; i < 4; i++)
            {
                if (offset + i >= end)
                    return 0;
                int b = buffer[offset + i];
                n |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                    return i + 1;
                shift += 7;
            }
            return -1;
        }

        public static void WriteUInt16(byte[] buffer, int offset, int value)
        {
            buffer[offset] = (byte)(value >> 8);
            buffer[offset + 1] = (byte)value;
        }

        public static int ReadUInt16(byte[] buffer, int offset)
        {
            return (buffer[offset] << 8) | buffer[offset + 1];
        }

        /// <summary>1.5.3: a two-byte length then the bytes; returns the offset after it.</summary>
        public static int WriteString(byte[] buffer, int offset, byte[] value, int length)
        {
            WriteUInt16(buffer, offset, length);
            System.Array.Copy(value, 0, buffer, offset + 2, length);
            return offset + 2 + length;
        }
    }
}
