using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using NanoTcp.Boards;
using NanoTcp.Link;
using NanoTcp.Boards.Desktop;
using NanoTcp.Boards.W5500;
using NanoTcp.Mdns;
using NanoTcp.Scenarios;
using NanoTcp.Tests.Stack;
using NanoTcp.Wire;
using Xunit;

namespace NanoTcp.Tests.Mdns
{
    /// <summary>mDNS messages scapy built (Golden/make_mdns_golden.py).</summary>
    public static class GoldenMdns
    {
        private static readonly Lazy<Dictionary<string, byte[]>> s_all = new(() =>
        {
            var all = new Dictionary<string, byte[]>();
            foreach (string line in File.ReadLines(Path.Combine(RepoLayout.Root, "tests", "NanoTcp.Tests", "Mdns", "Golden", "mdns.jsonl")))
            {
                using var doc = JsonDocument.Parse(line);
                all.Add(doc.RootElement.GetProperty("name").GetString(), Convert.FromHexString(doc.RootElement.GetProperty("hex").GetString()));
            }
            return all;
        });

        public static byte[] Get(string name) => s_all.Value[name];
    }

    /// <summary>The responder (RFC 6762) on a simulated LAN, queried with scapy's messages, in virtual time.</summary>
    public sealed class MdnsResponderTests
    {
        private const uint Device = 0x0A000002, Querier = 0x0A000007, Group = 0xE00000FB;
        private static readonly byte[] GroupMac = { 0x01, 0x00, 0x5E, 0x00, 0x00, 0xFB };

        /// <summary>A frame the querier's NIC received, with what a test checks beyond the payload.</summary>
        private sealed record Seen(long At, uint Destination, int DestinationPort, int SourcePort, byte[] DestinationMac, int Ttl, byte[] Payload);

        private sealed class Lan
        {
            public readonly SimulatedSwitch Switch = new(6);
            public readonly NetworkStack Stack;
            public readonly MdnsResponder Responder;
            public readonly SimulatedNic QuerierNic;
            public readonly List<Seen> Received = new();
            private readonly RawPeer _querier;
            private readonly byte[] _frame = new byte[1514];

            /// <summary>The device on a plain simulated NIC, or on the W5500 driver over the register-level simulator.</summary>
            public Lan(bool w5500 = false)
            {
                INetworkDevice device;
                if (w5500)
                {
                    var clock = new VirtualBoardClock();
                    var chip = new W5500Simulator(Switch, "02:00:00:00:00:0d", clock, 9);
                    chip.Chip.AutoNegotiationUs = 0; // the link is up from the start; auto-negotiation is the W5500 scenarios' business
                    var driver = chip.CreateDriver(W5500BoardSettings.DevKitC, new byte[] { 2, 0, 0, 0, 0, 0x0d });
                    Assert.True(driver.Initialize());
                    _beforePoll = () => clock.NowMicroseconds = Switch.Now * 1000;
                    device = driver;
                }
                else
                    device = Switch.AddNic("device", "02:00:00:00:00:0d");
                Stack = new NetworkStack(device, new StackConfig(), new SeededRandom(51));
                Stack.Configure(Device, 0xFFFFFF00, 0, 0);
                _querier = new RawPeer(Switch, "02:00:00:00:00:07", Querier);
                QuerierNic = _querier.Nic;
                Responder = new MdnsResponder(Stack, new MdnsConfig { HostName = "nanotcp" });
            }

            private readonly Action _beforePoll;

            public void Run(int ms)
            {
                long end = Switch.Now + ms;
                while (Switch.Now < end)
                {
                    _beforePoll?.Invoke();
                    Stack.Poll(Switch.Now);
                    Responder.Poll(Switch.Now);
                    Collect();
                    Switch.Now++;
                }
            }

            /// <summary>UDP frames the querier's NIC got (ARP answered for it by hand, as RawPeer does).</summary>
            private void Collect()
            {
                int n;
                while ((n = QuerierNic.Receive(_frame, 0, _frame.Length)) > 0)
                {
                    if (EthernetFrame.TryParse(_frame, 0, n, out var eth) != WireError.None)
                        continue;
                    if (eth.EtherTypeValue == EtherType.Arp && ArpPacket.TryParse(_frame, 14, n - 14, out var arp) == WireError.None
                        && arp.Operation == ArpPacket.OperationRequest && arp.TargetProtocolAddress == Querier)
                    {
                        var reply = new byte[60];
                        EthernetFrame.Emit(reply, 0, _frame, arp.SenderHardwareOffset, QuerierNic.Mac, 0, EtherType.Arp);
                        ArpPacket.Emit(reply, 14, ArpPacket.OperationReply, QuerierNic.Mac, 0, Querier, _frame, arp.SenderHardwareOffset, arp.SenderProtocolAddress);
                        QuerierNic.Transmit(reply, 0, 60);
                        continue;
                    }
                    if (eth.EtherTypeValue != EtherType.Ipv4 || Ipv4Packet.TryParse(_frame, 14, n - 14, out var ip) != WireError.None || ip.Protocol != IpProtocol.Udp
                        || UdpDatagram.TryParse(_frame, ip.PayloadOffset, ip.PayloadLength, ip.Source, ip.Destination, out var udp) != WireError.None)
                        continue;
                    Received.Add(new Seen(Switch.Now, ip.Destination, udp.DestinationPort, udp.SourcePort, _frame[0..6], ip.TimeToLive,
                        _frame.AsSpan(udp.PayloadOffset, udp.PayloadLength).ToArray()));
                }
            }

            /// <summary>Sends a query from the querier to the group (or unicast to the device), then runs a few ms.</summary>
            public void Query(byte[] message, int sourcePort = 5353, bool unicast = false)
            {
                Received.Clear();
                if (unicast)
                    _querier.SendUdp(new byte[] { 2, 0, 0, 0, 0, 0x0d }, Device, sourcePort, 5353, message);
                else
                    _querier.SendUdp(GroupMac, Group, sourcePort, 5353, message);
                Run(5);
            }

            /// <summary>Started, with the two announcements over and the one-second multicast limit passed.</summary>
            public static Lan Announced(bool w5500 = false)
            {
                var lan = new Lan(w5500);
                lan.Responder.Start(lan.Switch.Now);
                lan.Run(2500);
                Assert.Equal(2, lan.Responder.Announcements);
                lan.Received.Clear();
                return lan;
            }
        }

        [Fact]
        public void AnnouncesTwiceOneSecondApartToTheGroupWithTtl255()
        {
            var lan = new Lan();
            lan.Responder.Start(lan.Switch.Now);
            lan.Run(5000);
            Assert.Equal(2, lan.Received.Count);
            Assert.InRange(lan.Received[1].At - lan.Received[0].At, 1000, 1001); // RFC 6762 8.3
            foreach (Seen s in lan.Received)
            {
                Assert.Equal(GoldenMdns.Get("response_a"), s.Payload);
                Assert.Equal(Group, s.Destination);
                Assert.Equal(5353, s.DestinationPort);
                Assert.Equal(5353, s.SourcePort);
                Assert.Equal(GroupMac, s.DestinationMac);                      // RFC 1112 6.4
                Assert.Equal(255, s.Ttl);                                       // RFC 6762 11
            }
        }

        [Fact]
        public void AnnouncesAgainWhenTheAddressChanges()
        {
            var lan = Lan.Announced();
            lan.Stack.Configure(Device + 1, 0xFFFFFF00, 0, 0);
            lan.Run(3000);
            Assert.Equal(2, lan.Received.FindAll(s => s.Destination == Group).Count);
            byte[] expected = (byte[])GoldenMdns.Get("response_a").Clone();
            expected[12 + 15 + 10 + 3] = 3; // the A record's last address byte: 10.0.0.3
            Assert.Equal(expected, lan.Received.Find(s => s.Destination == Group).Payload);
        }

        [Theory]
        [InlineData("query_a")]
        [InlineData("query_a_mixed_case")] // RFC 6762 16: names compare case-insensitively
        [InlineData("query_any")]
        [InlineData("query_a_class_any")]
        [InlineData("query_compressed")]
        [InlineData("query_known_answer_stale")]          // 59 s left of 120: under half, so answered (7.1)
        [InlineData("query_known_answer_other_address")]
        public void AnswersAQuestionForOurARecordByMulticast(string query)
        {
            var lan = Lan.Announced();
            lan.Query(GoldenMdns.Get(query));
            Seen answer = Assert.Single(lan.Received);
            Assert.Equal(GoldenMdns.Get("response_a"), answer.Payload);
            Assert.Equal(Group, answer.Destination);
            Assert.Equal(5353, answer.DestinationPort);
            Assert.Equal(1, lan.Responder.MulticastAnswers);
        }

        [Fact]
        public void AQuestionWithTheQuBitIsAnsweredByUnicast()
        {
            var lan = Lan.Announced();
            lan.Query(GoldenMdns.Get("query_a_qu"));
            Seen answer = Assert.Single(lan.Received);
            Assert.Equal(GoldenMdns.Get("response_a"), answer.Payload);
            Assert.Equal(Querier, answer.Destination); // RFC 6762 5.4
            Assert.Equal(5353, answer.DestinationPort);
            Assert.Equal(1, lan.Responder.UnicastAnswers);
        }

        [Fact]
        public void AnAaaaQuestionGetsAnNsecSayingOnlyAExists()
        {
            var lan = Lan.Announced();
            lan.Query(GoldenMdns.Get("query_aaaa"));
            Seen answer = Assert.Single(lan.Received);
            Assert.Equal(GoldenMdns.Get("response_nsec"), answer.Payload); // RFC 6762 6.1
        }

        [Fact]
        public void ALegacyQueryFromAnotherPortGetsAUnicastDnsReply()
        {
            var lan = Lan.Announced();
            lan.Query(GoldenMdns.Get("query_legacy"), sourcePort: 40000);
            Seen answer = Assert.Single(lan.Received);
            Assert.Equal(GoldenMdns.Get("response_legacy"), answer.Payload); // RFC 6762 6.7: id and question echoed, TTL 10
            Assert.Equal(Querier, answer.Destination);
            Assert.Equal(40000, answer.DestinationPort);
            Assert.Equal(1, lan.Responder.LegacyAnswers);
        }

        [Fact]
        public void AUnicastQueryToOurAddressIsAnsweredToo()
        {
            var lan = Lan.Announced();
            lan.Query(GoldenMdns.Get("query_legacy"), sourcePort: 40001, unicast: true);
            Seen answer = Assert.Single(lan.Received);
            Assert.Equal(GoldenMdns.Get("response_legacy"), answer.Payload);
        }

        [Theory]
        [InlineData("query_other_name")]
        [InlineData("query_other_type")]
        [InlineData("query_known_answer_fresh")]   // 100 s of 120 left: the querier knows (7.1)
        [InlineData("query_opcode_1")]             // 18.3
        [InlineData("query_rcode_1")]              // 18.11
        [InlineData("response_from_other_host")]
        public void NoAnswerWhenTheQueryIsNotOursToAnswer(string query)
        {
            var lan = Lan.Announced();
            lan.Query(GoldenMdns.Get(query));
            Assert.Empty(lan.Received);
            Assert.Equal(0, lan.Responder.MulticastAnswers + lan.Responder.UnicastAnswers + lan.Responder.LegacyAnswers);
        }

        [Fact]
        public void TheRecordIsMulticastAtMostOncePerSecond()
        {
            var lan = Lan.Announced();
            lan.Query(GoldenMdns.Get("query_a"));
            Assert.Single(lan.Received);
            lan.Run(500);
            lan.Query(GoldenMdns.Get("query_a"));
            Assert.Empty(lan.Received); // RFC 6762 6: not again within a second
            Assert.Equal(1, lan.Responder.RateLimited);
            lan.Run(600);
            lan.Query(GoldenMdns.Get("query_a"));
            Assert.Single(lan.Received);
        }

        [Fact]
        public void StopSaysGoodbyeWithTtlZero()
        {
            var lan = Lan.Announced();
            lan.Responder.Stop(lan.Switch.Now);
            lan.Run(5);
            Seen goodbye = Assert.Single(lan.Received);
            Assert.Equal(GoldenMdns.Get("response_goodbye"), goodbye.Payload); // RFC 6762 10.1
            lan.Query(GoldenMdns.Get("query_a"));
            Assert.Empty(lan.Received);
        }

        [Fact]
        public void NothingIsSentBeforeTheStackHasAnAddress()
        {
            var lan = new Lan();
            lan.Stack.Configure(0, 0, 0, 0);
            lan.Responder.Start(lan.Switch.Now);
            lan.Run(3000);
            Assert.Empty(lan.Received);
            lan.Stack.Configure(Device, 0xFFFFFF00, 0, 0);
            lan.Run(3000);
            Assert.Equal(2, lan.Received.Count);
        }

        [Fact]
        public void ANameThatIsNotOneValidLabelIsRefused()
        {
            var stack = new NetworkStack(new SimulatedSwitch(1).AddNic("d", "02:00:00:00:00:01"), new StackConfig(), new SeededRandom(1));
            Assert.Throws<ArgumentException>(() => new MdnsResponder(stack, new MdnsConfig { HostName = "two.labels" }));
            Assert.Throws<ArgumentException>(() => new MdnsResponder(stack, new MdnsConfig { HostName = "sp ace" }));
        }

        [Fact]
        public void TheW5500MacFilterLetsTheGroupThrough()
        {
            // MACRAW with MFEN (Sn_MR 0x84, as the driver sets it) passes IPv4 multicast (W5500.md section 5).
            var lan = Lan.Announced(w5500: true);
            lan.Query(GoldenMdns.Get("query_a"));
            Assert.Equal(GoldenMdns.Get("response_a"), Assert.Single(lan.Received).Payload);
        }

        [Fact]
        public void HostileMessagesNeverThrowAndAreCounted()
        {
            var lan = Lan.Announced();
            var random = new Random(11);
            byte[] baseQuery = GoldenMdns.Get("query_compressed");
            // A pointer loop, a forward pointer and a label running past the end, then random mutations.
            lan.Query(Convert.FromHexString("000000000001000000000000c00c00010001"));
            lan.Query(Convert.FromHexString("000000000001000000000000c02000010001"));
            lan.Query(Convert.FromHexString("0000000000010000000000003f6e616e6f"));
            Assert.Equal(3, lan.Responder.MessagesMalformed);
            for (int i = 0; i < 3000; i++)
            {
                byte[] m = (byte[])baseQuery.Clone();
                int flips = random.Next(1, 6);
                for (int f = 0; f < flips; f++)
                    m[random.Next(m.Length)] = (byte)random.Next(256);
                lan.Query(random.Next(4) == 0 ? m[..random.Next(m.Length)] : m);
            }
            Assert.True(lan.Responder.MessagesMalformed > 3);
            lan.Run(1000);
            lan.Query(GoldenMdns.Get("query_a"));
            Assert.Equal(GoldenMdns.Get("response_a"), Assert.Single(lan.Received).Payload);
        }

        [Fact]
        public void AnsweringAllocatesNothing()
        {
            var lan = Lan.Announced();
            byte[] query = GoldenMdns.Get("query_a_qu"); // answered by unicast: no once-a-second limit
            var frame = new byte[1514];
            var querier = new RawPeer(lan.Switch, "02:00:00:00:00:08", Querier + 1);
            querier.SendUdp(GroupMac, Group, 5353, 5353, query); // warm up, and let the device learn the querier's MAC
            for (int i = 0; i < 10; i++) { lan.Stack.Poll(lan.Switch.Now); lan.Responder.Poll(lan.Switch.Now); querier.NextUdp(); lan.Switch.Now++; }
            int answers = 0;
            long before = ThreadAllocations.Start();
            for (int i = 0; i < 5000; i++)
            {
                querier.SendUdp(GroupMac, Group, 5353, 5353, query);
                lan.Stack.Poll(lan.Switch.Now);
                lan.Responder.Poll(lan.Switch.Now);
                while (querier.Nic.Receive(frame, 0, frame.Length) > 0)
                    answers++;
                while (lan.QuerierNic.Receive(frame, 0, frame.Length) > 0) { }
                lan.Switch.Now++;
            }
            long allocated = ThreadAllocations.Since(before);
            Assert.True(answers >= 4900, answers.ToString());
            Assert.InRange(lan.Responder.UnicastAnswers, 5000, 5001); // the last query may still be on the wire
            Assert.Equal(0, allocated);
        }
    }
}
