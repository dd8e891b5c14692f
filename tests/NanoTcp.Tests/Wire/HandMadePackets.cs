using System;
using System.Collections.Generic;

namespace NanoTcp.Tests.Wire
{
    /// <summary>IPv4 packets assembled byte by byte (not with our encoder), checksums from ReferenceChecksum,
    /// for the hostile-input tests: each test breaks one thing and keeps everything else valid.</summary>
    public static class HandMadePackets
    {
        public const uint Source = 0xC0A80701;      // 192.168.7.1
        public const uint Destination = 0xC0A80702; // 192.168.7.2

        public static byte[] Ip(int protocol, byte[] transport, byte[] ipOptions = null)
        {
            ipOptions ??= Array.Empty<byte>();
            int ihl = 20 + ipOptions.Length;
            var p = new List<byte> { (byte)(0x40 | (ihl / 4)), 0, 0, 0, 0x12, 0x34, 0x40, 0x00, 64, (byte)protocol, 0, 0 };
            p.AddRange(new byte[] { 192, 168, 7, 1, 192, 168, 7, 2 });
            p.AddRange(ipOptions);
            p.AddRange(transport);
            byte[] packet = p.ToArray();
            packet[2] = (byte)(packet.Length >> 8);
            packet[3] = (byte)packet.Length;
            FixIpChecksum(packet);
            return packet;
        }

        public static void FixIpChecksum(byte[] packet)
        {
            int ihl = (packet[0] & 0xF) * 4;
            packet[10] = packet[11] = 0;
            ushort c = ReferenceChecksum.Compute(packet, 0, Math.Min(ihl, packet.Length));
            packet[10] = (byte)(c >> 8);
            packet[11] = (byte)c;
        }

        /// <summary>A TCP segment inside an IP packet. dataOffsetWords overrides the header's data offset.</summary>
        public static byte[] Tcp(byte[] options = null, byte[] payload = null, byte flags = 0x18, int urgent = 0, int dataOffsetWords = -1)
        {
            options ??= Array.Empty<byte>();
            payload ??= Array.Empty<byte>();
            int words = dataOffsetWords >= 0 ? dataOffsetWords : (20 + options.Length) / 4;
            var t = new List<byte> { 0xA1, 0x12, 0x00, 0x07, 0, 0, 0, 1, 0, 0, 0, 2, (byte)(words << 4), flags, 0x10, 0x00, 0, 0, (byte)(urgent >> 8), (byte)urgent };
            t.AddRange(options);
            t.AddRange(payload);
            byte[] segment = t.ToArray();
            ushort c = ReferenceChecksum.WithPseudoHeader(Source, Destination, 6, segment, 0, segment.Length);
            segment[16] = (byte)(c >> 8);
            segment[17] = (byte)c;
            return Ip(6, segment);
        }

        public static byte[] Udp(byte[] payload, int lengthField = -1, bool checksum = true)
        {
            int length = 8 + payload.Length;
            int field = lengthField >= 0 ? lengthField : length;
            var u = new List<byte> { 0x13, 0x88, 0x00, 0x07, (byte)(field >> 8), (byte)field, 0, 0 };
            u.AddRange(payload);
            byte[] datagram = u.ToArray();
            if (checksum)
            {
                ushort c = ReferenceChecksum.WithPseudoHeader(Source, Destination, 17, datagram, 0, datagram.Length);
                if (c == 0) c = 0xFFFF;
                datagram[6] = (byte)(c >> 8);
                datagram[7] = (byte)c;
            }
            return Ip(17, datagram);
        }

        public static byte[] Icmp(byte type, byte code, byte[] body)
        {
            var m = new List<byte> { type, code, 0, 0, 0, 0, 0, 0 };
            m.AddRange(body);
            byte[] message = m.ToArray();
            ushort c = ReferenceChecksum.Compute(message, 0, message.Length);
            message[2] = (byte)(c >> 8);
            message[3] = (byte)c;
            return Ip(1, message);
        }
    }
}
