using NanoTcp.Udp;
using NanoTcp.Wire;
using Xunit;

namespace NanoTcp.Tests.Stack
{
    /// <summary>NetworkStack keeps the last unicast packet's way out (destination, ARP entry, Ethernet header) and
    /// sends the next packet to the same destination without asking Route and ARP again. Each test changes what
    /// that way depends on (the entry, the route, the time) and checks where the next frame goes: a kept way that
    /// outlived its cause would send it to the old MAC. A peer that changed its MAC is
    /// HostileTrafficTests.APeerThatReallyMovedIsFollowedWithinASecond; the refresh poll before expiry (RFC 1122
    /// 2.3.2.1) is NetworkStackTests.ArpEntriesAreRefreshedInUseAndExpireUnused.</summary>
    public sealed class KeptNextHopTests
    {
        [Fact]
        public void APeerWhoseEntryWasTakenIsResolvedAgainBeforeItsNextPacket()
        {
            var pair = new StackPair(configA: new StackConfig { ArpEntries = 1 });
            Assert.True(pair.A.SendPing(StackPair.AddressB, 1, 1, 8));
            Assert.True(pair.RunUntil(() => pair.A.Statistics.IcmpEchoRepliesReceived == 1, 100));
            Assert.True(pair.A.SendPing(StackPair.AddressB, 1, 2, 8)); // the kept way
            Assert.True(pair.RunUntil(() => pair.A.Statistics.IcmpEchoRepliesReceived == 2, 100));
            pair.A.SendPing(0x0A000063, 1, 3, 8); // nobody: its resolution takes the only entry
            pair.Run(10);
            Assert.Equal(-1, pair.A.ArpTable.Find(StackPair.AddressB));
            int requests = pair.A.Statistics.ArpRequestsSent, waited = pair.A.Statistics.IpAwaitingArp;
            Assert.True(pair.A.SendPing(StackPair.AddressB, 1, 4, 8));
            Assert.Equal(requests + 1, pair.A.Statistics.ArpRequestsSent); // asked again, not sent to the old MAC
            Assert.Equal(waited + 1, pair.A.Statistics.IpAwaitingArp);
            Assert.True(pair.RunUntil(() => pair.A.Statistics.IcmpEchoRepliesReceived == 3, 100));
        }

        [Fact]
        public void AfterConfigureMovesAPeerOffLinkItsPacketsGoToTheGateway()
        {
            var pair = new StackPair();
            var gateway = new RawPeer(pair.Switch, "02:00:00:00:00:fe", StackPair.Gateway);
            UdpSocket client = pair.A.OpenUdp(0);
            var payload = new byte[] { 1 };
            pair.A.SendTo(client, StackPair.AddressB, 53, payload, 0, 1);
            pair.Run(50);
            pair.A.SendTo(client, StackPair.AddressB, 53, payload, 0, 1); // the kept way, straight to B
            pair.Run(50);
            Assert.Null(gateway.NextUdp());
            // A moves to 10.0.0.241/28 (RFC 1122 3.3.1.1): B (10.0.0.2) is off-link now, the gateway (.254) is not.
            pair.A.Configure(0x0A0000F1, 0xFFFFFFF0, StackPair.Gateway, 0);
            pair.A.SendTo(client, StackPair.AddressB, 53, payload, 0, 1);
            UdpSeen seen = null;
            Assert.True(pair.RunUntil(() => (seen = gateway.NextUdp()) != null, 100));
            Assert.Equal(StackPair.AddressB, seen.Destination);
            Assert.Equal(0x0A0000F1u, seen.Source);
        }

        [Fact]
        public void PacketsOnTheKeptWayKeepTheirEntryInUse()
        {
            // ArpCache keeps an entry that carried a packet within InUseMs from an unsolicited ARP packet's new
            // sender. Twelve seconds of pings to B, all on the kept way, must count as use.
            var pair = new StackPair(configA: new StackConfig { ArpEntries = 1 });
            for (int i = 0; i < 120; i++)
            {
                pair.A.SendPing(StackPair.AddressB, 1, i, 8);
                pair.Run(100);
            }
            Assert.Equal(120, pair.A.Statistics.IcmpEchoRepliesReceived);
            var stranger = new RawPeer(pair.Switch, "02:00:00:00:00:77", 0x0A000077);
            var frame = new byte[60];
            EthernetFrame.Emit(frame, 0, pair.NicA.Mac, 0, stranger.Nic.Mac, 0, EtherType.Arp);
            ArpPacket.Emit(frame, 14, ArpPacket.OperationRequest, stranger.Nic.Mac, 0, 0x0A000077, new byte[6], 0, StackPair.AddressA);
            stranger.SendFrame(frame, 60);
            pair.Run(5);
            Assert.True(pair.A.ArpTable.Find(StackPair.AddressB) >= 0, "B's entry kept");
            Assert.Equal(1, pair.A.Statistics.ArpSendersNotLearned);
        }
    }
}
