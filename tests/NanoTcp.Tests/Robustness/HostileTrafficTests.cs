using System;
using NanoTcp.Boards.Desktop;
using NanoTcp.Firmware.Services;
using NanoTcp.Tcp;
using NanoTcp.Tests.Stack;
using NanoTcp.Udp;
using NanoTcp.Wire;
using Xunit;
using Xunit.Abstractions;

namespace NanoTcp.Tests.Robustness
{
    /// <summary>Issue 13 points 5-8 and the design goal (no amplification), each attack as reported, against
    /// the default configuration in virtual time.</summary>
    public sealed class HostileTrafficTests
    {
        private readonly ITestOutputHelper _output;
        public HostileTrafficTests(ITestOutputHelper output) => _output = output;

        private static readonly byte[] s_attackerMac = { 2, 0, 0, 0, 0, 0x66 };
        private static readonly byte[] s_zeroMac = new byte[6];

        /// <summary>Point 5: one unsolicited reply or gratuitous ARP used to rewrite the entry of a live peer (the
        /// device was unreachable for 45 s). While the real owner answers, claims of another MAC change nothing.</summary>
        [Fact]
        public void UnsolicitedRepliesAndGratuitousArpDoNotTakeALivePeersAddress()
        {
            var lan = new HostileLan(seed: 826);
            NetworkStack device = lan.Device;
            Assert.True(device.SendPing(StackPair.AddressA, 1, 0, 8));
            lan.Run(50);
            Assert.Equal(StackPair.AddressA, device.LastEchoReplyFrom); // A is in the device's cache now
            int answered = 0, sent = 0;
            while (lan.Now < 5000)
            {
                // "A is at the attacker": a gratuitous ARP (request, sender = target = A) and a reply, both sent straight
                // to the device so that A never sees them to defend itself; then a ping to A, which must reach A.
                lan.SendArp(ArpPacket.OperationRequest, lan.Pair.NicB.Mac, StackPair.AddressA, s_attackerMac, StackPair.AddressA, s_zeroMac);
                lan.SendArp(ArpPacket.OperationReply, lan.Pair.NicB.Mac, StackPair.AddressA, s_attackerMac, StackPair.AddressB, lan.Pair.NicB.Mac);
                lan.Run(20);
                long before = device.LastEchoReplyAt;
                device.SendPing(StackPair.AddressA, 1, ++sent, 8);
                if (lan.RunUntil(() => device.LastEchoReplyAt != before, 100))
                    answered++;
                lan.Run(130);
            }
            _output.WriteLine($"{answered} of {sent} pings to A answered while its address was claimed; disputed {device.Statistics.ArpClaimsDisputed}, accepted {device.Statistics.ArpClaimsAccepted}");
            Assert.True(sent >= 19);
            Assert.Equal(sent, answered);
            Assert.Equal(0, device.Statistics.ArpClaimsAccepted);
        }

        /// <summary>Point 5, the other side: a host that really changed its MAC (it announces the new one, the old
        /// one is gone) is followed within about a second (RFC 5227 3), not after the entry's 60 s lifetime.</summary>
        [Fact]
        public void APeerThatReallyMovedIsFollowedWithinASecond()
        {
            var lan = new HostileLan(seed: 5227);
            NetworkStack device = lan.Device;
            const uint Moved = 0x0A000032;
            var oldNic = new RawPeer(lan.Pair.Switch, "02:00:00:00:00:32", Moved);
            UdpSocket socket = device.OpenUdp(5000);
            var payload = new byte[] { 1, 2, 3 };
            device.SendTo(socket, Moved, 6000, payload, 0, payload.Length);
            UdpSeen seen = null;
            lan.RunUntil(() => (seen ??= oldNic.NextUdp()) != null, 3000);
            Assert.NotNull(seen); // the old NIC answered ARP and got the datagram
            // The old NIC goes silent; the host's new NIC (the attacker's MAC, here) announces the address.
            lan.SendArp(ArpPacket.OperationRequest, HostileLan.Broadcast, Moved, lan.Attacker.Nic.Mac, Moved, s_zeroMac);
            lan.Run(1200);
            var newNic = lan.Attacker;
            int got = 0;
            device.SendTo(socket, Moved, 6000, payload, 0, payload.Length);
            lan.Pair.RunUntil(() => false, 50); // not lan.Run: that would drain the attacker's queue
            UdpSeen d;
            while ((d = newNic.NextUdp()) != null)
                if (d.DestinationPort == 6000) got++;
            Assert.Equal(1, got);
            Assert.Equal(1, device.Statistics.ArpClaimsAccepted);
        }

        /// <summary>Point 5: a SYN flood from spoofed on-link sources made one broadcast ARP request per SYN (2.2 M).
        /// Requests are now within ArpRequestsPerSecond (none at all since SYN-ACKs go back to the MAC the SYN came
        /// from), and the flood creates no more entries or pending packets.</summary>
        [Fact]
        public void ASpoofedOnLinkSynFloodCausesNoArpStorm()
        {
            var lan = new HostileLan(seed: 1812);
            var random = new Random(7);
            int seconds = 5;
            long requestsBefore = lan.Device.Statistics.ArpRequestsSent;
            lan.Run(seconds * 1000, () =>
            {
                for (int k = 0; k < 10; k++)
                    lan.SendTcp(HostileLan.SpoofedOnLink(random), 1024 + random.Next(60000), ServicePorts.Http, TcpFlags.Syn, (uint)random.Next(), 0);
            });
            long requests = lan.Device.Statistics.ArpRequestsSent - requestsBefore;
            _output.WriteLine($"{lan.AttackerFramesSent} spoofed SYNs in {seconds} s: {requests} ARP requests, {lan.Device.Statistics.ArpRequestsSuppressed} suppressed");
            Assert.True(lan.AttackerFramesSent > 10_000);
            Assert.InRange(requests, 0, lan.Device.Config.ArpRequestsPerSecond * (seconds + 1));
            Assert.True(requests * 100 < lan.AttackerFramesSent, "fewer than one request per hundred SYNs");
            Assert.True(lan.FetchStatusPage(5000), "a legitimate client is still served");
        }

        /// <summary>Point 6: UDP echo answered broadcasts and other echo servers (two devices ping-ponged for ever).
        /// A datagram from the one echo to the other, sent once, now dies at the first.</summary>
        [Fact]
        public void TwoEchoServersDoNotPingPong()
        {
            var lan = new HostileLan(seed: 862);
            var other = new FirmwareServices(lan.Client); // a second device running echo, at A
            // One forged datagram "from A's echo port to B's echo port" starts it.
            lan.SendUdp(StackPair.AddressA, ServicePorts.Echo, StackPair.AddressB, ServicePorts.Echo, new byte[] { 42 });
            lan.Run(10_000, () => other.Poll());
            long bounces = lan.Device.Statistics.UdpReceived + lan.Client.Statistics.UdpReceived;
            _output.WriteLine($"datagrams received by the two echo servers in 10 s: {bounces}");
            Assert.Equal(1, bounces);
            Assert.Equal(1, lan.Services.UdpEchoRefused);
        }

        [Theory]
        [InlineData(7)]    // echo
        [InlineData(19)]   // chargen
        [InlineData(53)]   // any well-known service: its reply would be answered again
        [InlineData(0)]
        public void UdpEchoDoesNotAnswerWellKnownSourcePorts(int sourcePort)
        {
            var lan = new HostileLan(seed: sourcePort + 1);
            lan.SendUdp(HostileLan.AttackerAddress, sourcePort, StackPair.AddressB, ServicePorts.Echo, new byte[] { 1 });
            lan.Run(200);
            Assert.Equal(0, lan.Device.Statistics.UdpSent);
            Assert.Equal(1, lan.Services.UdpEchoRefused);
        }

        [Fact]
        public void UdpEchoIgnoresBroadcastsAndAnswersAClient()
        {
            var lan = new HostileLan(seed: 3226);
            // To the subnet broadcast and to 255.255.255.255, both with broadcast MACs (RFC 1122 3.2.2.6).
            lan.SendUdp(HostileLan.AttackerAddress, 40000, 0x0A0000FF, ServicePorts.Echo, new byte[] { 1 }, HostileLan.Broadcast);
            lan.SendUdp(HostileLan.AttackerAddress, 40000, 0xFFFFFFFF, ServicePorts.Echo, new byte[] { 2 }, HostileLan.Broadcast);
            lan.Run(200);
            Assert.Equal(2, lan.Device.Statistics.UdpReceived);
            Assert.Equal(0, lan.Device.Statistics.UdpSent);
            // A client at an ephemeral port, unicast: echoed.
            lan.SendUdp(HostileLan.AttackerAddress, 40000, StackPair.AddressB, ServicePorts.Echo, new byte[] { 3 });
            lan.Run(200);
            Assert.Equal(1, lan.Device.Statistics.UdpSent);
        }

        /// <summary>Point 7: one global incrementing IP ID made the device an idle-scan zombie (RFC 7739 3): the
        /// prober saw the ID jump by the packets the device sent to others. Now its probes see only their own.</summary>
        [Fact]
        public void IpIdsDoNotRevealTrafficToOthers()
        {
            var lan = new HostileLan(seed: 6864);
            // The prober asks for the device's MAC first, so the device knows it (RFC 826: it is the target).
            lan.SendArp(ArpPacket.OperationRequest, HostileLan.Broadcast, HostileLan.AttackerAddress, lan.Attacker.Nic.Mac, StackPair.AddressB, s_zeroMac);
            lan.Run(10);
            int[] ids = new int[11];
            bool[] dontFragment = new bool[11];
            for (int probe = 0; probe < ids.Length; probe++)
            {
                lan.SendUdp(HostileLan.AttackerAddress, 40000 + probe, StackPair.AddressB, ServicePorts.Echo, new byte[] { 9 });
                lan.Pair.RunUntil(() => false, 20, () => lan.Services.Poll());
                (ids[probe], dontFragment[probe]) = ReadEchoReplyId(lan.Attacker);
                // Between probes the device talks to 30 other hosts (pings; their IDs are taken as they are sent).
                for (int h = 0; h < 30; h++)
                    lan.Device.SendPing(0x0A000000u | (uint)(110 + h), 1, probe, 8);
                lan.Run(1100);
            }
            int largest = 0;
            for (int i = 1; i < ids.Length; i++)
                largest = Math.Max(largest, (ids[i] - ids[i - 1]) & 0xFFFF);
            _output.WriteLine("IDs the prober saw: " + string.Join(" ", ids) + $"; largest step {largest} (30 packets to others between probes)");
            Assert.True(largest <= 5, $"the ID advanced by {largest} between two probes: the traffic to others shows");
            Assert.All(dontFragment, Assert.True); // atomic datagrams (RFC 6864 4.1): DF on everything we send
        }

        private static (int Id, bool DontFragment) ReadEchoReplyId(RawPeer peer)
        {
            var frame = new byte[1514];
            int n;
            while ((n = peer.Nic.Receive(frame, 0, frame.Length)) > 0)
            {
                if (EthernetFrame.TryParse(frame, 0, n, out var eth) != WireError.None)
                    continue;
                if (eth.EtherTypeValue == EtherType.Arp && ArpPacket.TryParse(frame, 14, n - 14, out var arp) == WireError.None
                    && arp.Operation == ArpPacket.OperationRequest && arp.TargetProtocolAddress == peer.Address)
                {
                    var reply = new byte[60];
                    EthernetFrame.Emit(reply, 0, frame, arp.SenderHardwareOffset, peer.Nic.Mac, 0, EtherType.Arp);
                    ArpPacket.Emit(reply, 14, ArpPacket.OperationReply, peer.Nic.Mac, 0, peer.Address, frame, arp.SenderHardwareOffset, arp.SenderProtocolAddress);
                    peer.SendFrame(reply, 60);
                    throw new InvalidOperationException("resolve first"); // not expected: the device learned the prober from its datagram's ARP
                }
                if (eth.EtherTypeValue == EtherType.Ipv4 && Ipv4Packet.TryParse(frame, 14, n - 14, out var ip) == WireError.None && ip.Protocol == IpProtocol.Udp)
                    return (ip.Identification, ip.DontFragment);
            }
            throw new InvalidOperationException("no echo reply reached the prober");
        }

        /// <summary>Point 8: under an ACK flood the status page said 1.87 M RSTs sent while 65 IP packets left. A
        /// segment is counted as sent only when its frame left; no-route and no-ARP drops have counters of their own.</summary>
        [Fact]
        public void CountersCountOnlyWhatLeft()
        {
            var lan = new HostileLan(seed: 4022);
            var random = new Random(8);
            lan.Run(3000, () =>
            {
                for (int k = 0; k < 5; k++)
                {
                    // ACKs to a closed port from spoofed sources: on-link (never resolve) and off-link (no gateway
                    // answers: the device's gateway 10.0.0.254 does not exist).
                    uint source = k % 2 == 0 ? HostileLan.SpoofedOnLink(random) : 0xC6336400u | (uint)random.Next(1, 254);
                    lan.SendTcp(source, 1024 + random.Next(60000), 4444, TcpFlags.Ack, (uint)random.Next(), (uint)random.Next());
                }
            });
            NetworkStatistics s = lan.Device.Statistics;
            TcpCounters t = s.Tcp;
            long framesOut = s.FramesSent;
            _output.WriteLine($"{lan.AttackerFramesSent} ACKs: tcp sent {t.SegmentsSent} (resets {t.ResetsSent}), not sent {t.SegmentsNotSent}, suppressed {t.ResetsSuppressed}; " +
                              $"ip out {s.IpSent}, dropped no arp {s.IpDroppedNoArp}, no route {s.IpNoRoute}; frames out {framesOut} (arp requests {s.ArpRequestsSent})");
            Assert.True(t.SegmentsNotSent > 0);
            Assert.True(t.ResetsSent <= t.SegmentsSent);
            Assert.True(t.SegmentsSent <= s.IpSent, "a segment counted as sent is an IP packet that left");
            Assert.Equal(framesOut, s.IpSent + s.ArpRequestsSent + s.ArpRepliesSent);
            Assert.True(s.IpDroppedNoArp > 0);
        }

        /// <summary>The design goal: the device never amplifies unsolicited traffic. A mix of every unsolicited kind
        /// (spoofed SYNs, stray ACKs and RSTs, UDP to closed ports and to echo, pings, ARP from ever new senders,
        /// gratuitous ARP) from one reachable attacker draws at most one frame per frame, RSTs and ICMP errors
        /// within their budgets; and the device allocates nothing while it does.</summary>
        [Fact]
        public void AHostileMixDrawsNoMoreFramesThanItSends()
        {
            var lan = new HostileLan(seed: 5961);
            var random = new Random(9);
            long framesOutBefore = 0, allocatedBefore = 0, allocatedAfter = 0;
            int step = 0;
            const int Seconds = 10;
            lan.Run(Seconds * 1000, () =>
            {
                if (step == 500)
                {
                    framesOutBefore = lan.Device.Statistics.FramesSent;
                    allocatedBefore = ThreadAllocations.Start();
                }
                step++;
                uint me = HostileLan.AttackerAddress;
                switch (step % 8)
                {
                    case 0: lan.SendTcp(HostileLan.SpoofedOnLink(random), 2000 + step % 5000, ServicePorts.Echo, TcpFlags.Syn, (uint)step, 0); break;
                    case 1: lan.SendTcp(me, 2000 + step % 5000, 4444, TcpFlags.Ack, (uint)step, (uint)step * 7); break;
                    case 2: lan.SendTcp(me, 2000 + step % 5000, ServicePorts.Http, TcpFlags.Ack, (uint)step, (uint)step * 7); break;
                    case 3: lan.SendTcp(me, 2000 + step % 5000, 4444, TcpFlags.Syn, (uint)step, 0); break;
                    case 4: lan.SendUdp(me, 40000, StackPair.AddressB, 4444, s_attackerMac); break;
                    case 5: lan.SendUdp(me, ServicePorts.Chargen, StackPair.AddressB, ServicePorts.Echo, s_attackerMac); break;
                    case 6: lan.SendArp(ArpPacket.OperationRequest, HostileLan.Broadcast, HostileLan.SpoofedOnLink(random), s_attackerMac, StackPair.AddressB, s_zeroMac); break;
                    case 7: lan.SendArp(ArpPacket.OperationRequest, HostileLan.Broadcast, StackPair.AddressA, s_attackerMac, StackPair.AddressA, s_zeroMac); break;
                }
                allocatedAfter = GC.GetAllocatedBytesForCurrentThread();
            });
            long framesIn = step - 500;
            long framesOut = lan.Device.Statistics.FramesSent - framesOutBefore;
            TcpCounters t = lan.Device.Tcp.Counters;
            _output.WriteLine($"{framesIn} unsolicited frames in, {framesOut} out; resets {t.ResetsSent} (suppressed {t.ResetsSuppressed}), cookies {t.SynCookiesSent}, " +
                              $"icmp errors {lan.Device.Statistics.IcmpDestinationUnreachableSent}, arp requests {lan.Device.Statistics.ArpRequestsSent}; allocated {allocatedAfter - allocatedBefore} B");
            Assert.True(framesIn > 5000);
            Assert.True(framesOut <= framesIn, $"{framesOut} frames out for {framesIn} in");
            Assert.True(t.ResetsSent <= lan.Device.Config.Tcp.ResetsPerSecond * (Seconds + 1));
            Assert.True(lan.Device.Statistics.IcmpDestinationUnreachableSent <= lan.Device.Config.IcmpErrorsPerSecond * (Seconds + 1));
            Assert.Equal(0, allocatedAfter - allocatedBefore);
        }

        /// <summary>RSTs answering segments for closed ports are rate limited (ResetsPerSecond), like ICMP errors.</summary>
        [Fact]
        public void RstsToAnAckFloodAreRateLimited()
        {
            var lan = new HostileLan(seed: 793);
            int seconds = 4;
            lan.Run(seconds * 1000, () =>
            {
                for (int k = 0; k < 5; k++)
                    lan.SendTcp(HostileLan.AttackerAddress, 3000 + k, 4444, TcpFlags.Ack, 1, 1);
            });
            TcpCounters t = lan.Device.Tcp.Counters;
            _output.WriteLine($"{lan.AttackerFramesSent} ACKs to a closed port: {t.ResetsSent} RSTs, {t.ResetsSuppressed} suppressed");
            Assert.True(lan.AttackerFramesSent >= 15_000);
            Assert.InRange(t.ResetsSent, lan.Device.Config.Tcp.ResetsPerSecond * (seconds - 1), lan.Device.Config.Tcp.ResetsPerSecond * (seconds + 1));
        }
    }
}
