// IPv4 multicast on the local link, RFC 1112 level 2 without IGMP: the application joins groups (a
// fixed table of StackConfig.MulticastGroups), frames to a group's MAC (RFC 1112 6.4: 01:00:5E and
// the low 23 bits of the group) are accepted, datagrams to a joined group are delivered as broadcasts
// are (UDP only, no ICMP errors: RFC 1122 3.2.2), and sends to a group go to its MAC without ARP.
// No IGMP reports: the link-local groups (224.0.0.0/24, mDNS's 224.0.0.251) are flooded by snooping
// switches without them (RFC 4541 2.1.2).
using NanoTcp.Wire;

namespace NanoTcp
{
    public sealed partial class NetworkStack
    {
        /// <summary>RFC 1700's default IP TTL.</summary>
        public const int DefaultTimeToLive = 64;
        private uint[] _groups;
        private readonly byte[] _groupMac = new byte[6];

        /// <summary>Receives datagrams sent to group (a 224.0.0.0/4 address). False when it is not a
        /// multicast address or the table (StackConfig.MulticastGroups) is full.</summary>
        public bool JoinMulticast(uint group)
        {
            if (!Ipv4Address.IsMulticast(group))
                return false;
            if (_groups == null)
                _groups = new uint[_config.MulticastGroups]; // setup time, once
            int free = -1;
            for (int i = 0; i < _groups.Length; i++)
            {
                if (_groups[i] == group)
                    return true;
                if (_groups[i] == 0 && free < 0)
                    free = i;
            }
            if (free < 0)
                return false;
            _groups[free] = group;
            return true;
        }

        public void LeaveMulticast(uint group)
        {
            for (int i = 0; _groups != null && i < _groups.Length; i++)
                if (_groups[i] == group)
                    _groups[i] = 0;
        }

        public bool IsMulticastMember(uint group)
        {
            for (int i = 0; _groups != null && group != 0 && i < _groups.Length; i++)
                if (_groups[i] == group)
                    return true;
            return false;
        }

        /// <summary>RFC 1112 6.4: the Ethernet address of an IPv4 multicast group.</summary>
        public static void GroupMac(uint group, byte[] destination, int offset)
        {
            destination[offset] = 0x01;
            destination[offset + 1] = 0x00;
            destination[offset + 2] = 0x5E;
            destination[offset + 3] = (byte)((group >> 16) & 0x7F);
            destination[offset + 4] = (byte)(group >> 8);
            destination[offset + 5] = (byte)group;
        }

        /// <summary>A multicast MAC one of our groups maps to (several groups share one MAC; IP sorts them out).</summary>
        private bool IsJoinedGroupMac(byte[] frame, int offset)
        {
            if (_groups == null || frame[offset] != 0x01 || frame[offset + 1] != 0x00 || frame[offset + 2] != 0x5E)
                return false;
            for (int i = 0; i < _groups.Length; i++)
            {
                uint g = _groups[i];
                if (g != 0 && frame[offset + 3] == (byte)((g >> 16) & 0x7F) && frame[offset + 4] == (byte)(g >> 8) && frame[offset + 5] == (byte)g)
                    return true;
            }
            return false;
        }

        private bool SendToGroup(uint group, int length)
        {
            GroupMac(group, _groupMac, 0);
            EthernetFrame.Emit(_txFrame, 0, _groupMac, 0, _mac, 0, EtherType.Ipv4);
            return TransmitIpFrame(length);
        }
    }
}
