// The DHCP client (RFC 2131, options RFC 2132) and the DNS resolver (RFC 1035) against servers scripted here,
// byte by byte from the RFCs, on a MemoryWire.
using NanoTcp.Dhcp;
using NanoTcp.Dns;
using NanoTcp.Scenarios;
using NanoTcp.Wire;

namespace NanoTcp.StackSuites
{
    public static class DhcpDnsSuite
    {
        private const uint ServerAddress = 0x0A0000FE, Offered = 0x0A000064, Router = 0x0A000001, DnsServer = 0x0A000035;
        private const uint AnswerAddress = 0x5DB8D822;
        private static readonly byte[] BroadcastMac = { 255, 255, 255, 255, 255, 255 };

        public static TestCatalog Catalog()
        {
            return new TestCatalog()
                .Add("Dhcp.DiscoverOfferRequestAckConfiguresTheStack", DiscoverOfferRequestAckConfiguresTheStack)
                .Add("Dhcp.NakSendsTheClientBackToDiscover", NakSendsTheClientBackToDiscover)
                .Add("Dns.ResolvesAnARecordAndCachesIt", ResolvesAnARecordAndCachesIt)
                .Add("Dns.ReplyWithAnotherIdIsIgnored", ReplyWithAnotherIdIsIgnored)
                .Add("Dns.NameErrorMeansNotFound", NameErrorMeansNotFound);
        }

        private static WireLan DhcpLan()
        {
            var lan = new WireLan(false, false);
            lan.AddPeer(0xFE, ServerAddress);
            return lan;
        }

        private static int MessageType(ScriptedPeer peer) { return peer.Payload[242]; } // option 53 comes first
        private static uint Xid(ScriptedPeer peer) { return NetworkOrder.ReadUInt32(peer.Payload, 4); }

        /// <summary>Waits for the client's next message to port 67 and returns its type (0: none came).</summary>
        private static int NextRequest(WireLan lan, int limitMs)
        {
            lan.Peer.Take();
            if (!lan.RunUntil(lan.Peer.HasDatagram, limitMs))
                return 0;
            Check.Equal(67, lan.Peer.DestinationPort, "to the server port");
            Check.Equal(68, lan.Peer.SourcePort, "from the client port");
            return MessageType(lan.Peer);
        }

        /// <summary>A server reply built from RFC 2131 section 2 and RFC 2132, echoing the held request's xid and chaddr.</summary>
        private static void Reply(WireLan lan, int type, uint lease)
        {
            ScriptedPeer peer = lan.Peer;
            byte[] m = new byte[300];
            m[0] = 2; m[1] = 1; m[2] = 6;
            System.Array.Copy(peer.Payload, 4, m, 4, 4);
            System.Array.Copy(peer.Payload, 10, m, 10, 2);
            if (type != DhcpMessage.Nak) NetworkOrder.WriteUInt32(m, 16, Offered);
            System.Array.Copy(peer.Payload, 28, m, 28, 16);
            NetworkOrder.WriteUInt32(m, 236, 0x63825363);
            int p = 240;
            m[p++] = 53; m[p++] = 1; m[p++] = (byte)type;
            m[p++] = 54; m[p++] = 4; NetworkOrder.WriteUInt32(m, p, ServerAddress); p += 4;
            if (type != DhcpMessage.Nak)
            {
                m[p++] = 51; m[p++] = 4; NetworkOrder.WriteUInt32(m, p, lease); p += 4;
                m[p++] = 1; m[p++] = 4; NetworkOrder.WriteUInt32(m, p, 0xFFFFFF00); p += 4;
                m[p++] = 3; m[p++] = 4; NetworkOrder.WriteUInt32(m, p, Router); p += 4;
                m[p++] = 6; m[p++] = 4; NetworkOrder.WriteUInt32(m, p, DnsServer); p += 4;
            }
            m[p] = 255;
            peer.SendUdp(BroadcastMac, 0xFFFFFFFF, 67, 68, m, m.Length);
        }

        private static void DiscoverOfferRequestAckConfiguresTheStack()
        {
            WireLan lan = DhcpLan();
            lan.A.StartDhcp();
            Check.Equal(DhcpMessage.Discover, NextRequest(lan, 100), "DHCPDISCOVER first");
            Check.Equal(0u, lan.Peer.Source, "from 0.0.0.0 (RFC 2131 4.1)");
            Check.Equal(0xFFFFFFFFu, lan.Peer.Destination, "to the limited broadcast");
            Check.True(lan.Peer.Broadcast, "in a broadcast frame");
            Check.True(MacAddress.AreEqual(lan.Peer.Payload, 28, lan.PortA.Mac, 0), "chaddr is the NIC's MAC");
            uint xid = Xid(lan.Peer);
            Reply(lan, DhcpMessage.Offer, 7200);
            Check.Equal(DhcpMessage.Request, NextRequest(lan, 100), "DHCPREQUEST answers the offer");
            Check.Equal(xid, Xid(lan.Peer), "same transaction");
            Check.Equal(Offered, DhcpMessage.ReadAddressOption(lan.Peer.Payload, 0, lan.Peer.PayloadLength, DhcpMessage.OptionRequestedAddress), "requests the offered address");
            Check.Equal(ServerAddress, DhcpMessage.ReadAddressOption(lan.Peer.Payload, 0, lan.Peer.PayloadLength, DhcpMessage.OptionServerIdentifier), "names the server");
            Reply(lan, DhcpMessage.Ack, 7200);
            lan.Run(5);
            Check.True(lan.A.Dhcp.State == DhcpState.Bound, "bound");
            Check.Equal(Offered, lan.A.Address, "address from yiaddr");
            Check.Equal(0xFFFFFF00u, lan.A.SubnetMask, "mask from option 1");
            Check.Equal(Router, lan.A.Gateway, "router from option 3");
            Check.Equal(DnsServer, lan.A.DnsServer, "DNS server from option 6");
            Check.Equal(7200u, lan.A.Dhcp.LeaseSeconds, "lease from option 51");
        }

        private static void NakSendsTheClientBackToDiscover()
        {
            WireLan lan = DhcpLan();
            lan.A.StartDhcp();
            NextRequest(lan, 100);
            uint xid = Xid(lan.Peer);
            Reply(lan, DhcpMessage.Offer, 3600);
            Check.Equal(DhcpMessage.Request, NextRequest(lan, 100), "request");
            Reply(lan, DhcpMessage.Nak, 0);
            Check.Equal(DhcpMessage.Discover, NextRequest(lan, 15000), "a NAK restarts at DHCPDISCOVER (RFC 2131 3.1.5)");
            Check.True(Xid(lan.Peer) != xid, "with a new transaction id");
            Check.Equal(1, lan.A.Dhcp.Naks, "NAK counted");
            Check.Equal(0u, lan.A.Address, "no address");
        }

        private static WireLan DnsLan()
        {
            var lan = new WireLan(false, false);
            lan.A.Configure(0x0A000002, 0xFFFFFF00, 0, DnsServer);
            lan.AddPeer(0x35, DnsServer);
            lan.Run(5);
            return lan;
        }

        // "example.com" as RFC 1035 3.1 labels, then QTYPE A (1) and QCLASS IN (1).
        private static readonly byte[] ExampleQuestion =
            { 7, (byte)'e', (byte)'x', (byte)'a', (byte)'m', (byte)'p', (byte)'l', (byte)'e', 3, (byte)'c', (byte)'o', (byte)'m', 0, 0, 1, 0, 1 };

        /// <summary>Waits for a query and checks it asks for example.com A IN.</summary>
        private static void ExpectExampleQuery(WireLan lan)
        {
            lan.Peer.Take();
            Check.True(lan.RunUntil(lan.Peer.HasDatagram, 100), "a query went out");
            Check.Equal(53, lan.Peer.DestinationPort, "to port 53");
            Check.Equal(12 + ExampleQuestion.Length, lan.Peer.PayloadLength, "header and one question");
            Check.Equal(1, NetworkOrder.ReadUInt16(lan.Peer.Payload, 4), "QDCOUNT 1");
            for (int i = 0; i < ExampleQuestion.Length; i++)
                Check.Equal(ExampleQuestion[i], lan.Peer.Payload[12 + i], "question byte");
        }

        /// <summary>RFC 1035 4.1.1: the query's id (plus idDelta) and question, QR=1 RD RA, the rcode, and
        /// answers A records (a pointer to the question's name, TTL 60, RDLENGTH 4).</summary>
        private static void Answer(WireLan lan, int idDelta, int rcode, int answers, uint address)
        {
            ScriptedPeer peer = lan.Peer;
            byte[] r = new byte[peer.PayloadLength + 16];
            System.Array.Copy(peer.Payload, r, peer.PayloadLength);
            NetworkOrder.WriteUInt16(r, 0, (NetworkOrder.ReadUInt16(r, 0) + idDelta) & 0xFFFF);
            r[2] = 0x81; r[3] = (byte)(0x80 | rcode);
            r[6] = 0; r[7] = (byte)answers;
            int p = peer.PayloadLength;
            if (answers > 0)
            {
                r[p++] = 0xC0; r[p++] = 12; r[p++] = 0; r[p++] = 1; r[p++] = 0; r[p++] = 1;
                NetworkOrder.WriteUInt32(r, p, 60); p += 4;
                r[p++] = 0; r[p++] = 4;
                NetworkOrder.WriteUInt32(r, p, address); p += 4;
            }
            uint device = lan.A.Address;
            int port = peer.SourcePort;
            peer.Take();
            peer.SendUdp(peer.SourceMac, device, 53, port, r, p);
        }

        private static void ResolvesAnARecordAndCachesIt()
        {
            WireLan lan = DnsLan();
            DnsResolver dns = lan.A.Dns;
            Check.True(dns.Resolve("Example.COM"), "query started");
            ExpectExampleQuery(lan); // names are case-insensitive (RFC 1035 2.3.3); we send lower case
            Answer(lan, 0, 0, 1, AnswerAddress);
            lan.Run(5);
            Check.True(dns.Status == DnsStatus.Resolved, "resolved");
            Check.Equal(AnswerAddress, dns.Result, "the A record's address");
            Check.True(dns.Resolve("example.com"), "again");
            Check.True(dns.Status == DnsStatus.Resolved, "at once, from the cache");
            Check.Equal(1, dns.CacheHits, "one cache hit");
            lan.Run(20);
            Check.False(lan.Peer.HasDatagram(), "no second query within the TTL");
        }

        private static void ReplyWithAnotherIdIsIgnored()
        {
            WireLan lan = DnsLan();
            DnsResolver dns = lan.A.Dns;
            dns.Resolve("example.com");
            ExpectExampleQuery(lan);
            int port = lan.Peer.SourcePort;
            byte[] query = new byte[lan.Peer.PayloadLength];
            System.Array.Copy(lan.Peer.Payload, query, query.Length);
            Answer(lan, 1, 0, 1, 0x01020304); // wrong id (RFC 5452 9.1)
            lan.Run(5);
            Check.True(dns.Status == DnsStatus.Pending, "still pending");
            Check.Equal(1, dns.RepliesIgnored, "counted as ignored");
            // the right answer still gets in
            System.Array.Copy(query, lan.Peer.Payload, query.Length);
            lan.Peer.PayloadLength = query.Length;
            lan.Peer.SourcePort = port;
            Answer(lan, 0, 0, 1, AnswerAddress);
            lan.Run(5);
            Check.True(dns.Status == DnsStatus.Resolved, "resolved by the matching reply");
            Check.Equal(AnswerAddress, dns.Result, "with its address");
        }

        private static void NameErrorMeansNotFound()
        {
            WireLan lan = DnsLan();
            lan.A.Dns.Resolve("example.com");
            ExpectExampleQuery(lan);
            Answer(lan, 0, 3, 0, 0);
            lan.Run(5);
            Check.True(lan.A.Dns.Status == DnsStatus.NotFound, "RCODE 3 is a name error (RFC 1035 4.1.1)");
        }
    }
}
