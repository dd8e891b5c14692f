// IPv4 addresses (RFC 791) as uint in host order: 192.168.1.2 is 0xC0A80102. Text only for configuration.
namespace NanoTcp.Wire
{
    public static class Ipv4Address
    {
        public const uint Any = 0;
        public const uint LimitedBroadcast = 0xFFFFFFFF;

        public static bool IsMulticast(uint address)
        {
            return (address & 0xF0000000) == 0xE0000000;
        }

        public static bool IsLoopback(uint address)
        {
            return (address >> 24) == 127;
        }

        public static bool IsInSubnet(uint address, uint network, uint mask)
        {
            return (address & mask) == (network & mask);
        }

        /// <summary>The directed broadcast of a subnet (all host bits set).</summary>
        public static uint SubnetBroadcast(uint address, uint mask)
        {
            return (address & mask) | ~mask;
        }

        /// <summary>Mask of a prefix length 0..32.</summary>
        public static uint MaskFromPrefix(int prefixLength)
        {
            if (prefixLength <= 0) return 0;
            if (prefixLength >= 32) return 0xFFFFFFFF;
            return 0xFFFFFFFF << (32 - prefixLength);
        }

        /// <summary>Parses dotted-quad "A.B.C.D" strictly (four decimal parts 0..255, no extra characters).</summary>
        public static bool TryParse(string text, out uint address)
        {
            address = 0;
            if (text == null || text.Length < 7 || text.Length > 15)
                return false;
            int part = 0;
            int value = -1;
            for (int i = 0; i <= text.Length; i++)
            {
                char c = i < text.Length ? text[i] : '.';
                if (c >= '0' && c <= '9')
                {
                    value = (value < 0 ? 0 : value * 10) + (c - '0');
                    if (value > 255)
                        return false;
                }
                else if (c == '.')
                {
                    if (value < 0 || part == 4)
                        return false;
                    address = (address << 8) | (uint)value;
                    part++;
                    value = -1;
                }
                else
                {
                    return false;
                }
            }
            return part == 4;
        }

        /// <summary>"A.B.C.D". Allocates: configuration and tracing only.</summary>
        public static string Format(uint address)
        {
            return string.Concat(
                string.Concat((address >> 24).ToString(), ".", ((address >> 16) & 0xFF).ToString(), "."),
                string.Concat(((address >> 8) & 0xFF).ToString(), ".", (address & 0xFF).ToString()));
        }
    }
}
