// Numbers assigned by IANA that the wire layer dispatches on.
namespace NanoTcp.Wire
{
    public static class EtherType
    {
        public const int Ipv4 = 0x0800;
        public const int Arp = 0x0806;
        public const int Vlan = 0x8100;
        public const int Ipv6 = 0x86DD;
    }

    public static class IpProtocol
    {
        public const int Icmp = 1;
        public const int Tcp = 6;
        public const int Udp = 17;
    }
}
