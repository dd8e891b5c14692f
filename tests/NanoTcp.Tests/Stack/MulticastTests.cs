using NanoTcp.Udp;
using Xunit;

namespace NanoTcp.Tests.Stack
{
    /// <summary>IPv4 multicast on the link (RFC 1112 level 2 without IGMP): joining, receiving, sending.</summary>
    public sealed class MulticastTests
    {
        private const uint Group = 0xE00000FB, OtherGroup = 0xE0000011; // 224.0.0.251, 224.0.0.17

        [Fact]
        public void ADatagramToAJoinedGroupIsDeliveredAndSentToTheGroupMacWithoutArp()
        {
            var pair = new StackPair();
            UdpSocket sender = pair.A.OpenUdp(5353);
            UdpSocket receiver = pair.B.OpenUdp(5353);
            Assert.True(pair.B.JoinMulticast(Group));
            int arpBefore = pair.A.Statistics.ArpRequestsSent;
            Assert.Equal(3, pair.A.SendTo(sender, Group, 5353, new byte[] { 1, 2, 3 }, 0, 3));
            pair.Run(5);
            Assert.Equal(arpBefore, pair.A.Statistics.ArpRequestsSent); // RFC 1112 6.4: the MAC comes from the group
            var buffer = new byte[16];
            Assert.Equal(3, pair.B.ReceiveFrom(receiver, buffer, 0, buffer.Length, out uint source, out int port));
            Assert.Equal(StackPair.AddressA, source);
            Assert.Equal(5353, port);
        }

        [Fact]
        public void AGroupNotJoinedIsDroppedAtTheLinkAndAJoinedGroupWithoutASocketGetsNoIcmpError()
        {
            var pair = new StackPair();
            UdpSocket sender = pair.A.OpenUdp(0);
            pair.B.JoinMulticast(Group);
            int notForUs = pair.B.Statistics.FramesNotForUs;
            pair.A.SendTo(sender, OtherGroup, 9999, new byte[4], 0, 4);
            pair.Run(5);
            Assert.Equal(notForUs + 1, pair.B.Statistics.FramesNotForUs);
            pair.A.SendTo(sender, Group, 9999, new byte[4], 0, 4);
            pair.Run(5);
            Assert.Equal(1, pair.B.Statistics.UdpNoPort);
            Assert.Equal(0, pair.B.Statistics.IcmpDestinationUnreachableSent); // RFC 1122 3.2.2: never for multicast
        }

        [Fact]
        public void LeavingAGroupStopsDelivery()
        {
            var pair = new StackPair();
            UdpSocket sender = pair.A.OpenUdp(0);
            UdpSocket receiver = pair.B.OpenUdp(5353);
            pair.B.JoinMulticast(Group);
            pair.B.LeaveMulticast(Group);
            Assert.False(pair.B.IsMulticastMember(Group));
            pair.A.SendTo(sender, Group, 5353, new byte[4], 0, 4);
            pair.Run(5);
            Assert.Equal(0, receiver.Pending);
        }

        [Fact]
        public void OnlyMulticastAddressesJoinAndTheTableIsBounded()
        {
            var pair = new StackPair(configB: new StackConfig { MulticastGroups = 2 });
            Assert.False(pair.B.JoinMulticast(StackPair.AddressA));
            Assert.True(pair.B.JoinMulticast(Group));
            Assert.True(pair.B.JoinMulticast(Group)); // already a member
            Assert.True(pair.B.JoinMulticast(OtherGroup));
            Assert.False(pair.B.JoinMulticast(0xEF000001));
        }

        [Fact]
        public void TheGroupMacCarriesTheLow23BitsOfTheGroup()
        {
            var mac = new byte[6];
            NetworkStack.GroupMac(0xEFFFFFFA, mac, 0); // 239.255.255.250 -> 01:00:5e:7f:ff:fa (RFC 1112 6.4)
            Assert.Equal(new byte[] { 0x01, 0x00, 0x5E, 0x7F, 0xFF, 0xFA }, mac);
            NetworkStack.GroupMac(Group, mac, 0);
            Assert.Equal(new byte[] { 0x01, 0x00, 0x5E, 0x00, 0x00, 0xFB }, mac);
        }
    }
}
