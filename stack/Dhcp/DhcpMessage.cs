// The DHCP message, RFC 2131 section 2 (fixed BOOTP part) and RFC 2132 (options): offsets, and a
// bounded option reader that never reads past the message and always advances.
using NanoTcp.Wire;

namespace NanoTcp.Dhcp
{
    public static class DhcpMessage
    {
        public const int Op = 0;
        public const int HardwareType = 1;
        public const int HardwareLength = 2;
        public const int TransactionId = 4;
        public const int Flags = 10;
        public const int ClientAddress = 12;   // ciaddr
        public const int YourAddress = 16;     // yiaddr
        public const int ClientHardware = 28;  // chaddr
        public const int MagicCookie = 236;
        public const int OptionsOffset = 240;
        public const uint MagicCookieValue = 0x63825363;

        public const int OpRequest = 1;
        public const int OpReply = 2;

        public const int OptionPad = 0;
        public const int OptionSubnetMask = 1;
        public const int OptionRouter = 3;
        public const int OptionDnsServer = 6;
        public const int OptionNtpServers = 42; // RFC 2132 8.3
        public const int OptionRequestedAddress = 50;
        public const int OptionLeaseTime = 51;
        public const int OptionMessageType = 53;
        public const int OptionServerIdentifier = 54;
        public const int OptionParameterList = 55;
        public const int OptionMaxMessageSize = 57;
        public const int OptionRenewalTime = 58;
        public const int OptionRebindingTime = 59;
        public const int OptionClientIdentifier = 61;
        public const int OptionEnd = 255;

        public const int Discover = 1;
        public const int Offer = 2;
        public const int Request = 3;
        public const int Decline = 4;
        public const int Ack = 5;
        public const int Nak = 6;
        public const int Release = 7;

        /// <summary>Offset of the value of option code inside [offset + 240, offset + length), or -1; its
        /// length in valueLength. Malformed option lists end the search (no exception, no endless loop).</summary>
        public static int FindOption(byte[] buffer, int offset, int length, int code, out int valueLength)
        {
            valueLength = 0;
            int p = offset + OptionsOffset;
            int end = offset + length;
            while (p < end)
            {
                int option = buffer[p];
                if (option == OptionEnd)
                    return -1;
                if (option == OptionPad)
                {
                    p++;
                    continue;
                }
                if (p + 1 >= end)
                    return -1;
                int n = buffer[p + 1];
                if (p + 2 + n > end)
                    return -1;
                if (option == code)
                {
                    valueLength = n;
                    return p + 2;
                }
                p += 2 + n;
            }
            return -1;
        }

        /// <summary>A 4-byte option's value (the first address of a list), or 0 when absent or short.</summary>
        public static uint ReadAddressOption(byte[] buffer, int offset, int length, int code)
        {
            int n;
            int at = FindOption(buffer, offset, length, code, out n);
            return at >= 0 && n >= 4 ? NetworkOrder.ReadUInt32(buffer, at) : 0;
        }

        /// <summary>The message type (option 53), or 0.</summary>
        public static int ReadMessageType(byte[] buffer, int offset, int length)
        {
            int n;
            int at = FindOption(buffer, offset, length, OptionMessageType, out n);
            return at >= 0 && n == 1 ? buffer[at] : 0;
        }
    }
}
