using System;
using NanoTcp.Boards.Desktop;
using NanoTcp.Scenarios;
using NanoTcp.Tcp;
using NanoTcp.Udp;
using NanoTcp.Wire;
using Xunit;

namespace NanoTcp.Tests.Stack
{
    public sealed class NetworkStackTests
    {
        private static readonly byte[] Broadcast = { 255, 255, 255, 255, 255, 255 };

        [Fact]
        public void ConfiguringSendsAGratuitousArp()
        {
            var pair = new StackPair(configure: false);
            var peer = new RawPeer(pair.Switch, "02:00:00:00:00:99", 0);
            pair.B.Configure(StackPair.AddressB, StackPair.Mask, 0, 0);
            pair.Run(5);
            var frame = new byte[1514];
            int n = peer.Nic.Receive(frame, 0, frame.Length);
            Assert.True(n >= 42);
            Assert.Equal(WireError.None, ArpPacket.TryParse(frame, 14, n - 14, out var arp));
            Assert.Equal(ArpPacket.OperationRequest, arp.Operation);
            Assert.Equal(StackPair.AddressB, arp.SenderProtocolAddress);
            Assert.Equal(StackPair.AddressB, arp.TargetProtocolAddress);
        }

        [Fact]
        public void PingResolvesArpThenGetsAReply()
        {
            var pair = new StackPair();
            Assert.True(pair.A.SendPing(StackPair.AddressB, 0x1234, 1, 56));
            Assert.True(pair.RunUntil(() => pair.A.Statistics.IcmpEchoRepliesReceived == 1, 100));
            Assert.Equal(0x1234, pair.A.LastEchoReplyIdentifier);
            Assert.Equal(1, pair.A.LastEchoReplySequence);
            Assert.Equal(StackPair.AddressB, pair.A.LastEchoReplyFrom);
            Assert.Equal(1, pair.A.Statistics.ArpRequestsSent - 1); // one for the gratuitous ARP, one to resolve B
            Assert.Equal(1, pair.B.Statistics.ArpRepliesSent);
            Assert.True(pair.B.ArpTable.Find(StackPair.AddressA) >= 0, "B learned A from the request (RFC 826 merge)");
        }

        [Fact]
        public void EchoRepliesAreRateLimitedAndBroadcastPingsIgnored()
        {
            var config = new StackConfig { IcmpEchoRepliesPerSecond = 5 };
            var pair = new StackPair(configB: config);
            pair.A.SendPing(StackPair.AddressB, 1, 0, 8); // resolves ARP: one pending packet is kept, not ten
            pair.Run(1100);
            Assert.Equal(1, pair.A.Statistics.IcmpEchoRepliesReceived);
            for (int i = 1; i <= 10; i++)
                pair.A.SendPing(StackPair.AddressB, 1, i, 8);
            pair.Run(50);
            Assert.Equal(6, pair.A.Statistics.IcmpEchoRepliesReceived);
            Assert.Equal(5, pair.B.Statistics.IcmpRateLimited);
            pair.A.SendPing(0x0A0000FF, 1, 99, 8); // subnet broadcast
            pair.Run(1100);
            Assert.Equal(12, pair.B.Statistics.IcmpEchoRequestsReceived);
            Assert.Equal(6, pair.A.Statistics.IcmpEchoRepliesReceived);
        }

        [Fact]
        public void ArpRetriesOncePerSecondThenGivesUpAndDropsThePending()
        {
            var pair = new StackPair();
            int before = pair.A.Statistics.ArpRequestsSent;
            pair.A.SendPing(0x0A000063, 1, 1, 8); // nobody there
            pair.Run(950);
            Assert.Equal(before + 1, pair.A.Statistics.ArpRequestsSent);
            pair.Run(2100);
            Assert.Equal(before + 3, pair.A.Statistics.ArpRequestsSent); // one a second (RFC 1122 2.3.2.1)
            pair.Run(1100);
            Assert.Equal(1, pair.A.Statistics.ArpResolutionFailures);
            Assert.Equal(1, pair.A.Statistics.ArpPendingDropped);
            Assert.Equal(-1, pair.A.ArpTable.Find(0x0A000063));
        }

        [Fact]
        public void ArpEntriesAreRefreshedInUseAndExpireUnused()
        {
            var config = new StackConfig { ArpEntryLifetimeMs = 10000, ArpRefreshBeforeMs = 2000 };
            var pair = new StackPair(configA: config);
            pair.A.SendPing(StackPair.AddressB, 1, 1, 8);
            pair.Run(100);
            int requests = pair.A.Statistics.ArpRequestsSent;
            pair.Run(8500);
            pair.A.SendPing(StackPair.AddressB, 1, 2, 8); // in use, 1.5 s before expiry: unicast refresh
            pair.Run(100);
            Assert.Equal(requests + 1, pair.A.Statistics.ArpRequestsSent);
            Assert.Equal(2, pair.A.Statistics.IcmpEchoRepliesReceived);
            int entry = pair.A.ArpTable.Find(StackPair.AddressB);
            Assert.True(pair.A.ArpTable.ExpiresAt(entry) > pair.Switch.Now + 9000, "refreshed");
            pair.Run(10500); // unused past its lifetime
            pair.A.SendPing(StackPair.AddressB, 1, 3, 8);
            pair.Run(100);
            Assert.Equal(requests + 2, pair.A.Statistics.ArpRequestsSent); // resolved again by broadcast
            Assert.Equal(3, pair.A.Statistics.IcmpEchoRepliesReceived);
        }

        [Fact]
        public void AnotherHostClaimingOurAddressIsCountedAsAConflict()
        {
            var pair = new StackPair();
            var peer = new RawPeer(pair.Switch, "02:00:00:00:00:66", 0);
            var frame = new byte[60];
            EthernetFrame.Emit(frame, 0, Broadcast, 0, peer.Nic.Mac, 0, EtherType.Arp);
            ArpPacket.Emit(frame, 14, ArpPacket.OperationRequest, peer.Nic.Mac, 0, StackPair.AddressB, new byte[6], 0, StackPair.AddressB);
            peer.SendFrame(frame, 60);
            pair.Run(5);
            Assert.Equal(1, pair.B.Statistics.ArpAddressConflicts);
        }

        [Fact]
        public void UdpEchoesAndClosedPortsGetPortUnreachable()
        {
            var pair = new StackPair();
            UdpSocket server = pair.B.OpenUdp(7);
            UdpSocket client = pair.A.OpenUdp(0);
            Assert.NotNull(server);
            Assert.Null(pair.B.OpenUdp(7)); // taken
            var message = new byte[] { 1, 2, 3, 4, 5 };
            Assert.Equal(5, pair.A.SendTo(client, StackPair.AddressB, 7, message, 0, 5));
            var buffer = new byte[64];
            uint from = 0;
            int port = 0;
            Assert.True(pair.RunUntil(() => server.Pending > 0, 100));
            int n = pair.B.ReceiveFrom(server, buffer, 0, buffer.Length, out from, out port);
            Assert.Equal(5, n);
            Assert.Equal(StackPair.AddressA, from);
            Assert.Equal(client.LocalPort, port);
            pair.B.SendTo(server, from, port, buffer, 0, n);
            Assert.True(pair.RunUntil(() => client.Pending > 0, 100));
            Assert.Equal(5, pair.A.ReceiveFrom(client, buffer, 0, buffer.Length, out from, out port));
            Assert.Equal(message, buffer[..5]);

            pair.A.SendTo(client, StackPair.AddressB, 9999, message, 0, 5);
            Assert.True(pair.RunUntil(() => pair.A.Statistics.IcmpErrorsReceived == 1, 100));
            Assert.Equal(1, pair.B.Statistics.UdpNoPort);
            Assert.Equal(1, pair.B.Statistics.IcmpDestinationUnreachableSent);
        }

        [Fact]
        public void UdpQueueFullDropsAndCounts()
        {
            var pair = new StackPair();
            UdpSocket server = pair.B.OpenUdp(7);
            UdpSocket client = pair.A.OpenUdp(0);
            pair.A.SendPing(StackPair.AddressB, 1, 1, 8); // resolve ARP first
            pair.Run(50);
            for (int i = 0; i < 5; i++)
                pair.A.SendTo(client, StackPair.AddressB, 7, new byte[] { (byte)i }, 0, 1);
            pair.Run(50);
            Assert.Equal(pair.B.Config.UdpQueueDepth, server.Pending);
            Assert.Equal(5 - pair.B.Config.UdpQueueDepth, pair.B.Statistics.UdpQueueFull);
        }

        [Fact]
        public void OffSubnetTrafficGoesThroughTheGatewayAndWithoutOneHasNoRoute()
        {
            var pair = new StackPair();
            var gateway = new RawPeer(pair.Switch, "02:00:00:00:00:fe", StackPair.Gateway);
            UdpSocket client = pair.A.OpenUdp(0);
            pair.A.SendTo(client, 0x08080808, 53, new byte[] { 1 }, 0, 1);
            UdpSeen seen = null;
            Assert.True(pair.RunUntil(() => (seen = gateway.NextUdp()) != null, 100));
            Assert.Equal(0x08080808u, seen.Destination); // IP destination unchanged, frame to the gateway's MAC
            Assert.Equal(1, gateway.ArpRepliesSent); // A resolved the gateway, not 8.8.8.8
            pair.A.Configure(StackPair.AddressA, StackPair.Mask, 0, 0);
            Assert.Equal(-1, pair.A.SendTo(client, 0x08080808, 53, new byte[] { 1 }, 0, 1));
            Assert.Equal(1, pair.A.Statistics.IpNoRoute);
        }

        [Fact]
        public void FragmentsBadSourcesAndOtherHostsTrafficAreDroppedAndCounted()
        {
            var pair = new StackPair();
            var peer = new RawPeer(pair.Switch, "02:00:00:00:00:77", 0x0A000077);
            pair.B.OpenUdp(7);
            byte[] bMac = pair.NicB.Mac;
            foreach (string name in new[] { "ipv4_fragment_first", "ipv4_fragment_last" })
            {
                byte[] f = (byte[])GoldenFrameBytes(name).Clone();
                Array.Copy(bMac, 0, f, 0, 6);
                // readdress to B and fix the header checksum
                NetworkOrder.WriteUInt32(f, 30, StackPair.AddressB);
                NetworkOrder.WriteUInt16(f, 24, 0);
                NetworkOrder.WriteUInt16(f, 24, InternetChecksum.Compute(f, 14, 20));
                peer.SendFrame(f, f.Length);
            }
            peer.SendUdp(bMac, StackPair.AddressB, 1000, 7, new byte[] { 1 }, source: 0xE0000001); // multicast source
            peer.SendUdp(bMac, 0x0A000050, 1000, 7, new byte[] { 1 });                            // another host's address
            pair.Run(10);
            Assert.Equal(2, pair.B.Statistics.IpFragmentsDropped);
            Assert.Equal(1, pair.B.Statistics.IpBadSource);
            Assert.Equal(1, pair.B.Statistics.IpNotForUs);
            Assert.Equal(0, pair.B.Statistics.UdpDelivered);
        }

        [Fact]
        public void APollHandlesABoundedNumberOfFrames()
        {
            var pair = new StackPair();
            var peer = new RawPeer(pair.Switch, "02:00:00:00:00:78", 0x0A000078);
            for (int i = 0; i < 40; i++)
                peer.SendUdp(pair.NicB.Mac, StackPair.AddressB, 1000, 7, new byte[] { 1 });
            pair.Switch.Now += 5;
            long before = pair.B.Statistics.FramesReceived;
            long next = pair.B.Poll(pair.Switch.Now);
            Assert.Equal(pair.B.Config.FramesPerPoll, pair.B.Statistics.FramesReceived - before);
            Assert.Equal(pair.Switch.Now, next); // more are waiting: poll again at once
        }

        [Fact]
        public void TcpConnectsByAddressTransfersAndClosesWithoutAllocatingPerFrame()
        {
            var pair = new StackPair();
            TcpListener listener = pair.B.Tcp.Listen(7, 1);
            TcpConnection client = pair.A.Tcp.Connect(pair.A.Address, StackPair.AddressB, 7, 0);
            TcpConnection server = null;
            Assert.True(pair.RunUntil(() => (server ??= pair.B.Tcp.Accept(listener)) != null && client.IsConnected, 1000));
            var chunk = new byte[1024];
            var sink = new byte[2048];
            long sent = 0, received = 0, mismatches = 0;
            const long Total = 1 << 20;
            long allocated = -1;
            long before = 0;
            pair.RunUntil(() => received == Total, 60000, () =>
            {
                while (sent < Total && client.SendSpace > 0)
                {
                    int n = (int)Math.Min(Math.Min(client.SendSpace, chunk.Length), Total - sent);
                    for (int i = 0; i < n; i++) chunk[i] = (byte)(sent + i);
                    sent += pair.A.Tcp.Send(client, chunk, 0, n);
                }
                int r;
                while ((r = pair.B.Tcp.Receive(server, sink, 0, sink.Length)) > 0)
                {
                    for (int i = 0; i < r; i++) if (sink[i] != (byte)(received + i)) mismatches++;
                    received += r;
                }
                if (received > 64 * 1024 && before == 0)
                    before = ThreadAllocations.Start();
            });
            allocated = ThreadAllocations.Since(before);
            Assert.Equal(Total, received);
            Assert.Equal(0, mismatches);
            Assert.Equal(0, allocated);
            pair.A.Tcp.Close(client);
            Assert.True(pair.RunUntil(() => server.IsReceiveFinished, 1000));
            pair.B.Tcp.Close(server);
            Assert.True(pair.RunUntil(() => client.State == TcpState.TimeWait, 1000));
            Assert.Equal(0, pair.A.Statistics.ParseErrorTotal + pair.B.Statistics.ParseErrorTotal);
        }

        private static byte[] GoldenFrameBytes(string name) => Wire.GoldenFrame.Get(name).Bytes;
    }
}
