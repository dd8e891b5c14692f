// The NTP packet header, RFC 5905 section 7.3 (figure 8) and RFC 4330 section 4: 48 bytes, big-endian.
// Timestamps are 64-bit fixed point, seconds since 1900-01-01 00:00 UTC and a 32-bit fraction.
using NanoTcp.Wire;

namespace NanoTcp.Sntp
{
    public static class NtpPacket
    {
        public const int Port = 123;
        public const int Length = 48;

        public const int Flags = 0;          // LI (2 bits), VN (3), Mode (3)
        public const int Stratum = 1;
        public const int Poll = 2;
        public const int Precision = 3;
        public const int RootDelay = 4;      // NTP short format, 16.16 seconds
        public const int RootDispersion = 8;
        public const int ReferenceId = 12;
        public const int ReferenceTimestamp = 16;
        public const int OriginTimestamp = 24;
        public const int ReceiveTimestamp = 32;
        public const int TransmitTimestamp = 40;

        public const int ModeClient = 3;
        public const int ModeServer = 4;
        public const int Version = 4;
        public const int LeapAlarm = 3;      // "clock unsynchronized"
        public const int StratumUnsynchronized = 16;

        /// <summary>Seconds from the NTP epoch (1900) to the Unix epoch (1970).</summary>
        public const long UnixEpochSeconds = 2208988800;

        public static int LeapIndicator(byte[] packet, int offset) { return packet[offset + Flags] >> 6; }
        public static int VersionNumber(byte[] packet, int offset) { return (packet[offset + Flags] >> 3) & 7; }
        public static int Mode(byte[] packet, int offset) { return packet[offset + Flags] & 7; }

        public static bool IsZero(byte[] packet, int offset)
        {
            return NetworkOrder.ReadUInt32(packet, offset) == 0 && NetworkOrder.ReadUInt32(packet, offset + 4) == 0;
        }

        /// <summary>The timestamp at offset as milliseconds since the Unix epoch. RFC 4330 section 3: with
        /// the top bit of the seconds clear, the time is in era 1 (from 2036-02-07 06:28:16 UTC on).</summary>
        public static long ToUnixMilliseconds(byte[] packet, int offset)
        {
            long seconds = NetworkOrder.ReadUInt32(packet, offset);
            uint fraction = NetworkOrder.ReadUInt32(packet, offset + 4);
            if ((seconds & 0x80000000) == 0)
                seconds += 0x100000000;
            return (seconds - UnixEpochSeconds) * 1000 + (long)(((ulong)fraction * 1000) >> 32);
        }
    }
}
