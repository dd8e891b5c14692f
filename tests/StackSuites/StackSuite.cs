// Two whole NetworkStacks on a MemoryWire: ARP (RFC 826, RFC 1122 2.3.2), ICMP echo (RFC 792), TCP through the
// stack (RFC 9293) and UDP (RFC 768, RFC 1122 4.1.3.1). Each test is written from those texts, not from the code.
using NanoTcp.Scenarios;
using NanoTcp.Tcp;
using NanoTcp.Udp;

namespace NanoTcp.StackSuites
{
    public static class StackSuite
    {
        public static TestCatalog Catalog()
        {
            return new TestCatalog()
                .Add("Arp.PingResolvesArpThenGetsAReply", PingResolvesArpThenGetsAReply)
                .Add("Arp.UnansweredResolutionRetriesOnceASecondThenGivesUp", UnansweredResolutionRetriesOnceASecondThenGivesUp)
                .Add("Tcp.EchoThroughBothStacks", EchoThroughBothStacks)
                .Add("Tcp.TransferSurvivesLostFrames", TransferSurvivesLostFrames)
                .Add("Tcp.ConnectToAClosedPortIsRefused", ConnectToAClosedPortIsRefused)
                .Add("Tcp.BothSidesCloseAndTheActiveCloserWaits", BothSidesCloseAndTheActiveCloserWaits)
                .Add("Udp.DatagramsBothWaysAndPortUnreachable", DatagramsBothWaysAndPortUnreachable);
        }

        private static void PingResolvesArpThenGetsAReply()
        {
            WireLan lan = WireLan.Pair();
            int requestsBefore = lan.A.Statistics.ArpRequestsSent;
            Check.True(lan.A.SendPing(WireLan.AddressB, 0x1234, 1, 56), "ping queued");
            Check.True(lan.RunUntil(delegate { return lan.A.Statistics.IcmpEchoRepliesReceived == 1; }, 100), "echo reply within 100 ms");
            Check.Equal(0x1234, lan.A.LastEchoReplyIdentifier, "identifier echoed (RFC 792)");
            Check.Equal(1, lan.A.LastEchoReplySequence, "sequence echoed");
            Check.Equal(WireLan.AddressB, lan.A.LastEchoReplyFrom, "reply from B");
            Check.Equal(requestsBefore + 1, lan.A.Statistics.ArpRequestsSent, "one ARP request resolved B");
            Check.True(lan.B.ArpTable.Find(WireLan.AddressA) >= 0, "B learned A from the request (RFC 826 merge)");
        }

        private static void UnansweredResolutionRetriesOnceASecondThenGivesUp()
        {
            WireLan lan = WireLan.Pair();
            int before = lan.A.Statistics.ArpRequestsSent;
            lan.A.SendPing(0x0A000063, 1, 1, 8); // nobody has 10.0.0.99
            lan.Run(950);
            Check.Equal(before + 1, lan.A.Statistics.ArpRequestsSent, "one request in the first second");
            lan.Run(2100);
            Check.Equal(before + 3, lan.A.Statistics.ArpRequestsSent, "no more than one a second (RFC 1122 2.3.2.1)");
            lan.Run(1100);
            Check.Equal(1, lan.A.Statistics.ArpResolutionFailures, "resolution failed");
            Check.Equal(1, lan.A.Statistics.ArpPendingDropped, "the waiting packet was dropped");
            Check.Equal(-1, lan.A.ArpTable.Find(0x0A000063), "no entry left");
        }

        /// <summary>A connects to an echo on B, sends count bytes and reads them back; returns the client.</summary>
        private static TcpConnection Echo(WireLan lan, int count, int limitMs)
        {
            TcpListener listener = lan.B.Tcp.Listen(7, 1);
            Check.NotNull(listener, "B listens on 7");
            TcpConnection client = lan.A.Tcp.Connect(WireLan.AddressA, WireLan.AddressB, 7, 0);
            Check.NotNull(client, "A connects");
            byte[] data = Pattern(count, 5);
            byte[] back = new byte[count];
            byte[] relay = new byte[1460];
            int sent = 0, received = 0;
            TcpConnection server = null;
            lan.EveryStep = delegate
            {
                if (server == null)
                    server = lan.B.Tcp.Accept(listener);
                if (server != null)
                {
                    int n = lan.B.Tcp.Receive(server, relay, 0, server.SendSpace < relay.Length ? server.SendSpace : relay.Length);
                    if (n > 0)
                        Check.Equal(n, lan.B.Tcp.Send(server, relay, 0, n), "echo takes what fits");
                }
                if (client.IsConnected && sent < count)
                {
                    int n = lan.A.Tcp.Send(client, data, sent, count - sent);
                    if (n > 0) sent += n;
                }
                int r = lan.A.Tcp.Receive(client, back, received, count - received);
                if (r > 0) received += r;
            };
            bool done = lan.RunUntil(delegate { return received == count; }, limitMs);
            lan.EveryStep = null;
            Check.True(done, string.Concat("all ", count.ToString(), " bytes came back, got ", received.ToString()));
            for (int i = 0; i < count; i++)
            {
                if (back[i] != data[i])
                    Check.Fail(string.Concat("byte ", i.ToString(), " differs"));
            }
            return client;
        }

        private static void EchoThroughBothStacks()
        {
            WireLan lan = WireLan.Pair();
            TcpConnection client = Echo(lan, 20000, 5000);
            Check.True(client.State == TcpState.Established, "still established");
            Check.Equal(0, lan.Wire.FramesDropped, "no frame dropped on the wire");
            Check.Equal(0, lan.A.Tcp.Counters.SegmentsRetransmitted + lan.B.Tcp.Counters.SegmentsRetransmitted, "no retransmission on a lossless wire");
        }

        private static void TransferSurvivesLostFrames()
        {
            WireLan lan = WireLan.Pair();
            lan.Wire.LoseEvery = 7;
            Echo(lan, 30000, 120000);
            Check.True(lan.A.Tcp.Counters.SegmentsRetransmitted + lan.B.Tcp.Counters.SegmentsRetransmitted > 0, "losses were repaired by retransmission");
        }

        private static void ConnectToAClosedPortIsRefused()
        {
            WireLan lan = WireLan.Pair();
            TcpConnection c = lan.A.Tcp.Connect(WireLan.AddressA, WireLan.AddressB, 81, 0);
            Check.True(lan.RunUntil(delegate { return c.State == TcpState.Closed; }, 1000), "the RST closes the connection (RFC 9293 3.10.7.3)");
            Check.True(c.Error == TcpError.Refused, "connection refused");
        }

        private static void BothSidesCloseAndTheActiveCloserWaits()
        {
            WireLan lan = WireLan.Pair();
            TcpConnection client = Echo(lan, 3000, 5000);
            TcpConnection server = null;
            for (int i = 0; i < lan.B.Tcp.ConnectionCount && server == null; i++)
            {
                TcpConnection c = lan.B.Tcp.ConnectionAt(i);
                if (c.State == TcpState.Established && c.RemotePort == client.LocalPort) server = c;
            }
            Check.NotNull(server, "B's side of the connection");
            lan.A.Tcp.Close(client);
            Check.True(lan.RunUntil(delegate { return server.State == TcpState.CloseWait; }, 1000), "B sees the FIN");
            lan.B.Tcp.Close(server);
            Check.True(lan.RunUntil(delegate { return client.State == TcpState.TimeWait && server.State == TcpState.Closed; }, 1000),
                "A in TIME_WAIT, B closed");
            Check.True(lan.RunUntil(delegate { return client.State == TcpState.Closed; }, 300000), "TIME_WAIT ends (2 MSL)");
            Check.True(client.Error == TcpError.None && server.Error == TcpError.None, "graceful on both sides");
        }

        private static void DatagramsBothWaysAndPortUnreachable()
        {
            WireLan lan = WireLan.Pair();
            UdpSocket server = lan.B.OpenUdp(7);
            UdpSocket client = lan.A.OpenUdp(0);
            Check.NotNull(server, "B opens 7");
            Check.Null(lan.B.OpenUdp(7), "7 is taken");
            byte[] message = Pattern(5, 1);
            Check.Equal(5, lan.A.SendTo(client, WireLan.AddressB, 7, message, 0, 5), "A sends 5 bytes");
            Check.True(lan.RunUntil(delegate { return server.Pending > 0; }, 100), "B receives");
            byte[] buffer = new byte[64];
            uint from;
            int port;
            int n = lan.B.ReceiveFrom(server, buffer, 0, buffer.Length, out from, out port);
            Check.Equal(5, n, "5 bytes");
            Check.Equal(WireLan.AddressA, from, "from A");
            Check.Equal(client.LocalPort, port, "from A's port");
            lan.B.SendTo(server, from, port, buffer, 0, n);
            Check.True(lan.RunUntil(delegate { return client.Pending > 0; }, 100), "A receives the answer");
            Check.Equal(5, lan.A.ReceiveFrom(client, buffer, 0, buffer.Length, out from, out port), "5 bytes back");
            for (int i = 0; i < 5; i++)
                Check.Equal(message[i], buffer[i], "payload intact");
            lan.A.SendTo(client, WireLan.AddressB, 9999, message, 0, 5);
            Check.True(lan.RunUntil(delegate { return lan.A.Statistics.IcmpErrorsReceived == 1; }, 100),
                "a closed port answers port unreachable (RFC 1122 4.1.3.1)");
            Check.Equal(1, lan.B.Statistics.UdpNoPort, "B counted the datagram to no port");
        }

        /// <summary>count bytes of a seeded pseudo-random pattern.</summary>
        public static byte[] Pattern(int count, uint seed)
        {
            var random = new SeededRandom(seed);
            byte[] data = new byte[count];
            for (int i = 0; i < count; i++)
                data[i] = (byte)random.NextUInt32();
            return data;
        }
    }
}
