using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using NanoTcp.Boards.Desktop;
using NanoTcp.Scenarios;
using NanoTcp.Sntp;
using NanoTcp.Tests.Stack;
using NanoTcp.Wire;
using Xunit;

namespace NanoTcp.Tests.Sntp
{
    /// <summary>An NTP packet scapy built (Golden/make_ntp_golden.py), with what scapy read back from it.</summary>
    public sealed record GoldenNtp(string Name, byte[] Bytes, int Mode, int Stratum, long ReceiveUnixMs, long TransmitUnixMs)
    {
        private static readonly Lazy<Dictionary<string, GoldenNtp>> s_all = new(() =>
        {
            var all = new Dictionary<string, GoldenNtp>();
            foreach (string line in File.ReadLines(Path.Combine(RepoLayout.Root, "tests", "NanoTcp.Tests", "Sntp", "Golden", "ntp.jsonl")))
            {
                using var doc = JsonDocument.Parse(line);
                var r = doc.RootElement;
                all.Add(r.GetProperty("name").GetString(), new GoldenNtp(r.GetProperty("name").GetString(),
                    Convert.FromHexString(r.GetProperty("hex").GetString()), r.GetProperty("mode").GetInt32(),
                    r.GetProperty("stratum").GetInt32(), r.GetProperty("recv_unix_ms").GetInt64(), r.GetProperty("sent_unix_ms").GetInt64()));
            }
            return all;
        });

        public static GoldenNtp Get(string name) => s_all.Value[name];

        /// <summary>The packet with origin timestamp set to the request's transmit timestamp, as a server answers (RFC 5905 8).</summary>
        public byte[] AnswerTo(byte[] request)
        {
            byte[] b = (byte[])Bytes.Clone();
            Array.Copy(request, 40, b, 24, 8);
            return b;
        }
    }

    /// <summary>The SNTP client (RFC 4330) against a server scripted with scapy's packets, in virtual time.</summary>
    public sealed class SntpClientTests
    {
        private const uint Device = 0x0A000002, Server = 0x0A00007B, OtherHost = 0x0A00007C;

        private sealed class Lan
        {
            public readonly SimulatedSwitch Switch = new(3);
            public readonly NetworkStack Stack;
            public readonly RawPeer Server, Other;
            public readonly SntpClient Client;
            public readonly List<(long At, UdpSeen Request)> Requests = new();

            public Lan(SntpConfig config = null, bool start = true, uint server = SntpClientTests.Server)
            {
                var nic = Switch.AddNic("device", "02:00:00:00:00:0d");
                Stack = new NetworkStack(nic, new StackConfig(), new SeededRandom(41));
                Stack.Configure(Device, 0xFFFFFF00, 0, 0);
                Server = new RawPeer(Switch, "02:00:00:00:00:7b", SntpClientTests.Server);
                Other = new RawPeer(Switch, "02:00:00:00:00:7c", OtherHost);
                config ??= new SntpConfig { Server = server };
                Client = new SntpClient(Stack, config, new SeededRandom(43));
                if (start)
                    Client.Start(Switch.Now);
            }

            /// <summary>Polls for ms milliseconds of virtual time, recording each request the server sees.</summary>
            public void Run(int ms)
            {
                long end = Switch.Now + ms;
                while (Switch.Now < end)
                    Step();
            }

            public void Step()
            {
                Stack.Poll(Switch.Now);
                Client.Poll(Switch.Now);
                UdpSeen seen;
                while ((seen = Server.NextUdp()) != null)
                    Requests.Add((Switch.Now, seen));
                Other.NextUdp();
                Switch.Now++;
            }

            /// <summary>Runs until the server has seen another request; returns it (null after limitMs).</summary>
            public UdpSeen NextRequest(int limitMs)
            {
                int before = Requests.Count;
                long end = Switch.Now + limitMs;
                while (Switch.Now <= end && Requests.Count == before)
                    Step();
                return Requests.Count > before ? Requests[^1].Request : null;
            }

            /// <summary>Sends payload to the client from the server's port 123 (or another source), then steps until the client has looked at it.</summary>
            public void Reply(UdpSeen request, byte[] payload, int sourcePort = 123, RawPeer from = null)
            {
                (from ?? Server).SendUdp(request.SourceMac, Device, sourcePort, request.SourcePort, payload);
                for (int i = 0; i < 3; i++)
                    Step();
            }
        }

        [Fact]
        public void TheRequestIsScapysClientPacketWithARandomTransmitTimestamp()
        {
            var lan = new Lan(new SntpConfig { Server = Server, PollIntervalMs = 15000 });
            UdpSeen first = lan.NextRequest(10);
            Assert.NotNull(first);
            Assert.Equal(Server, first.Destination);
            Assert.Equal(123, first.DestinationPort);
            Assert.Equal(lan.Client.LocalPort, first.SourcePort);
            Assert.InRange(first.SourcePort, 49152, 65535);
            Assert.Equal(48, first.Payload.Length);
            // RFC 4330 section 5: LI 0, VN 4, mode 3, the rest zero but the transmit timestamp.
            Assert.Equal(GoldenNtp.Get("client_request").Bytes[..40], first.Payload[..40]);
            Assert.NotEqual(new byte[8], first.Payload[40..48]);
            UdpSeen second = lan.NextRequest(20000); // unanswered: asked again after 15 s
            Assert.NotNull(second);
            Assert.NotEqual(first.Payload[40..48], second.Payload[40..48]);
        }

        [Fact]
        public void AReplySetsTheOffsetFromTheFourTimestamps()
        {
            var lan = new Lan();
            UdpSeen request = lan.NextRequest(10);
            long t1 = lan.Client.LastQueryAt;
            lan.Run(40);
            GoldenNtp golden = GoldenNtp.Get("server_reply");
            lan.Reply(request, golden.AnswerTo(request.Payload));
            Assert.True(lan.Client.IsSynchronized);
            Assert.Equal(SntpOutcome.Synchronized, lan.Client.LastOutcome);
            long t4 = lan.Client.SynchronizedAt;
            Assert.InRange(t4, t1 + 40, t1 + 45);
            // RFC 4330 section 5: offset ((T2 - T1) + (T3 - T4)) / 2, delay (T4 - T1) - (T3 - T2).
            long offset = ((golden.ReceiveUnixMs - t1) + (golden.TransmitUnixMs - t4)) / 2;
            Assert.InRange(lan.Client.OffsetMs, offset - 1, offset + 1);
            Assert.InRange(lan.Client.RoundTripMs, (t4 - t1) - (golden.TransmitUnixMs - golden.ReceiveUnixMs) - 1, (t4 - t1) - (golden.TransmitUnixMs - golden.ReceiveUnixMs) + 1);
            Assert.Equal(2, lan.Client.ServerStratum);
            Assert.Equal(Server, lan.Client.SynchronizedWith);
            DateTime utc = lan.Client.UtcTime(t4);
            Assert.Equal(DateTimeKind.Utc, utc.Kind);
            var serverSent = DateTimeOffset.FromUnixTimeMilliseconds(golden.TransmitUnixMs).UtcDateTime;
            Assert.InRange((utc - serverSent).TotalMilliseconds, 0, 40); // about half the round trip after the server's T3
            Assert.Equal(new DateTime(2026, 12, 1, 11, 0, 0, DateTimeKind.Utc), new DateTime(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, DateTimeKind.Utc));
        }

        [Fact]
        public void TimestampsAfter2036AreInEraOne()
        {
            var lan = new Lan();
            UdpSeen request = lan.NextRequest(10);
            GoldenNtp golden = GoldenNtp.Get("server_reply_era1");
            lan.Reply(request, golden.AnswerTo(request.Payload));
            Assert.True(lan.Client.IsSynchronized);
            Assert.Equal(2040, lan.Client.UtcTime(lan.Switch.Now).Year);
            Assert.InRange(lan.Client.UnixTimeMs(lan.Client.SynchronizedAt), golden.TransmitUnixMs, golden.TransmitUnixMs + 10);
        }

        [Fact]
        public void AVersion3ReplyIsAccepted()
        {
            var lan = new Lan();
            UdpSeen request = lan.NextRequest(10);
            lan.Reply(request, GoldenNtp.Get("server_reply_v3").AnswerTo(request.Payload));
            Assert.True(lan.Client.IsSynchronized);
        }

        [Theory]
        [InlineData("unsynchronized")]      // LI 3
        [InlineData("stratum_16")]
        [InlineData("zero_transmit")]
        [InlineData("zero_receive")]
        [InlineData("far_from_reference")]  // root delay / 2 + root dispersion >= 1 s (RFC 5905 MAXDIST)
        public void AnAnswerThatFailsASanityCheckIsRejectedAndAskedAgainLater(string name)
        {
            var lan = new Lan();
            UdpSeen request = lan.NextRequest(10);
            long t1 = lan.Client.LastQueryAt;
            lan.Reply(request, GoldenNtp.Get(name).AnswerTo(request.Payload));
            Assert.False(lan.Client.IsSynchronized);
            Assert.Equal(SntpOutcome.Rejected, lan.Client.LastOutcome);
            Assert.Equal(1, lan.Client.RepliesRejected);
            Assert.NotNull(lan.NextRequest(16000));
            Assert.InRange(lan.Requests[^1].At - t1, 15000, 15002); // RFC 4330 10: never sooner than 15 s
        }

        [Theory]
        [InlineData("client_mode")]
        [InlineData("symmetric_active")]
        [InlineData("broadcast_mode")]
        [InlineData("version_2")]
        public void APacketThatIsNotAServerReplyIsIgnoredAndTheRealOneStillCounts(string name)
        {
            var lan = new Lan();
            UdpSeen request = lan.NextRequest(10);
            lan.Reply(request, GoldenNtp.Get(name).AnswerTo(request.Payload));
            Assert.False(lan.Client.IsSynchronized);
            Assert.Equal(1, lan.Client.RepliesIgnored);
            lan.Reply(request, GoldenNtp.Get("server_reply").AnswerTo(request.Payload));
            Assert.True(lan.Client.IsSynchronized);
        }

        [Fact]
        public void RepliesNotAnsweringOurRequestAreIgnored()
        {
            var lan = new Lan();
            UdpSeen request = lan.NextRequest(10);
            GoldenNtp golden = GoldenNtp.Get("server_reply");
            lan.Reply(request, golden.Bytes);                                      // origin 0, not our nonce
            byte[] other = golden.AnswerTo(request.Payload);
            other[31] ^= 1;
            lan.Reply(request, other);                                             // origin off by one bit
            lan.Reply(request, golden.AnswerTo(request.Payload), sourcePort: 1123); // not from port 123
            lan.Reply(request, golden.AnswerTo(request.Payload), from: lan.Other);  // not the server we asked
            lan.Reply(request, golden.AnswerTo(request.Payload)[..47]);             // short
            Assert.False(lan.Client.IsSynchronized);
            Assert.Equal(5, lan.Client.RepliesIgnored);
            lan.Reply(request, golden.AnswerTo(request.Payload));
            Assert.True(lan.Client.IsSynchronized);
            long offset = lan.Client.OffsetMs;
            lan.Run(500);
            lan.Reply(request, golden.AnswerTo(request.Payload));                  // a duplicate, later
            Assert.Equal(6, lan.Client.RepliesIgnored);
            Assert.Equal(offset, lan.Client.OffsetMs);
            Assert.Equal(1, lan.Client.RepliesAccepted);
        }

        [Fact]
        public void AfterAReplyTheNextQueryComesOnePollIntervalLater()
        {
            var lan = new Lan(new SntpConfig { Server = Server, PollIntervalMs = 60000 });
            UdpSeen request = lan.NextRequest(10);
            long t1 = lan.Client.LastQueryAt;
            lan.Reply(request, GoldenNtp.Get("server_reply").AnswerTo(request.Payload));
            Assert.NotNull(lan.NextRequest(61000));
            Assert.InRange(lan.Requests[^1].At - t1, 60000, 60002);
        }

        [Fact]
        public void APollIntervalUnder15SecondsIsRaisedTo15()
        {
            var lan = new Lan(new SntpConfig { Server = Server, PollIntervalMs = 1000 });
            Assert.Equal(15000, lan.Client.PollIntervalMs);
            UdpSeen request = lan.NextRequest(10);
            long t1 = lan.Client.LastQueryAt;
            lan.Reply(request, GoldenNtp.Get("server_reply").AnswerTo(request.Payload));
            lan.NextRequest(16000);
            Assert.InRange(lan.Requests[^1].At - t1, 15000, 15002);
        }

        [Fact]
        public void UnansweredQueriesTimeOutAndBackOffExponentiallyUpToThePollInterval()
        {
            var lan = new Lan(new SntpConfig { Server = Server, PollIntervalMs = 100000, ReplyTimeoutMs = 2000 });
            lan.NextRequest(10);
            lan.Run(2001);
            Assert.Equal(SntpOutcome.TimedOut, lan.Client.LastOutcome);
            Assert.Equal(1, lan.Client.Timeouts);
            for (int i = 0; i < 5; i++)
                Assert.NotNull(lan.NextRequest(100001));
            long[] expected = { 15000, 30000, 60000, 100000, 100000 };
            Assert.Equal(expected.Length + 1, lan.Requests.Count);
            for (int i = 0; i < expected.Length; i++)
                Assert.InRange(lan.Requests[i + 1].At - lan.Requests[i].At, expected[i] - 3, expected[i] + 3); // the first waited for ARP
        }

        [Fact]
        public void KissRateDoublesThePollInterval()
        {
            var lan = new Lan(new SntpConfig { Server = Server, PollIntervalMs = 60000 });
            UdpSeen request = lan.NextRequest(10);
            long t1 = lan.Client.LastQueryAt;
            lan.Reply(request, GoldenNtp.Get("kiss_rate").AnswerTo(request.Payload));
            Assert.Equal(SntpOutcome.KissRate, lan.Client.LastOutcome);
            Assert.Equal(1, lan.Client.KissesOfDeath);
            Assert.False(lan.Client.IsSynchronized);
            Assert.Equal(120000, lan.Client.PollIntervalMs);
            lan.Run(110000);
            Assert.Single(lan.Requests);
            Assert.NotNull(lan.NextRequest(11000));
            Assert.InRange(lan.Requests[^1].At - t1, 120000, 120005); // the ARP entry expired meanwhile: resolved again
        }

        [Theory]
        [InlineData("kiss_deny")]
        [InlineData("kiss_rstr")]
        public void KissDenyOrRestrictStopsQueriesToThatServer(string name)
        {
            var lan = new Lan(new SntpConfig { Server = Server, PollIntervalMs = 15000 });
            UdpSeen request = lan.NextRequest(10);
            lan.Reply(request, GoldenNtp.Get(name).AnswerTo(request.Payload));
            Assert.Equal(SntpOutcome.KissDeny, lan.Client.LastOutcome);
            lan.Run(120000);
            Assert.Single(lan.Requests);
            Assert.Equal(1, lan.Client.RequestsSent);
        }

        [Fact]
        public void AnotherKissCodeCountsAsNoAnswer()
        {
            var lan = new Lan();
            UdpSeen request = lan.NextRequest(10);
            long t1 = lan.Client.LastQueryAt;
            lan.Reply(request, GoldenNtp.Get("kiss_init").AnswerTo(request.Payload));
            Assert.Equal(SntpOutcome.KissOther, lan.Client.LastOutcome);
            Assert.NotNull(lan.NextRequest(16000));
            Assert.InRange(lan.Requests[^1].At - t1, 15000, 15002);
        }

        [Fact]
        public void WithoutAServerNothingIsSent()
        {
            var lan = new Lan(new SntpConfig());
            lan.Run(30000);
            Assert.Empty(lan.Requests);
            Assert.Equal(SntpOutcome.NoServer, lan.Client.LastOutcome);
            Assert.Equal(0, lan.Client.RequestsSent);
        }

        [Fact]
        public void TheServerComesFromDhcpOption42()
        {
            var sw = new SimulatedSwitch(4);
            var dhcp = new SimulatedDhcpServer(sw, "02:00:00:00:00:fe", 0x0A0000FE, 0xFFFFFF00, 0, 0, 0x0A000064, 4, 3600) { NtpServer = Server };
            var ntp = new RawPeer(sw, "02:00:00:00:00:7b", Server);
            var stack = new NetworkStack(sw.AddNic("device", "02:00:00:00:00:0d"), new StackConfig { UdpSockets = 3 }, new SeededRandom(5));
            var client = new SntpClient(stack, new SntpConfig(), new SeededRandom(6));
            client.Start(sw.Now);
            stack.StartDhcp();
            UdpSeen request = null;
            for (int i = 0; i < 10000 && request == null; i++)
            {
                stack.Poll(sw.Now);
                client.Poll(sw.Now);
                dhcp.Poll();
                UdpSeen seen = ntp.NextUdp(); // DHCP broadcasts reach this NIC too
                if (seen != null && seen.DestinationPort == 123) request = seen;
                sw.Now++;
            }
            Assert.NotNull(request);
            Assert.Equal(Server, stack.Dhcp.NtpServer);
            Assert.Equal(Server, request.Destination);
            Assert.Equal(123, request.DestinationPort);
        }

        [Fact]
        public void HostileDatagramsNeverThrowAndNeverSynchronize()
        {
            var lan = new Lan();
            UdpSeen request = lan.NextRequest(10);
            var random = new Random(7);
            byte[] answer = GoldenNtp.Get("server_reply").AnswerTo(request.Payload);
            for (int i = 0; i < 2000; i++)
            {
                byte[] junk = new byte[random.Next(0, 80)];
                random.NextBytes(junk);
                lan.Server.SendUdp(request.SourceMac, Device, 123, request.SourcePort, junk);
                lan.Stack.Poll(lan.Switch.Now);
                lan.Client.Poll(lan.Switch.Now);
                lan.Switch.Now++;
                if (lan.Client.LastOutcome != SntpOutcome.None && lan.Client.LastOutcome != SntpOutcome.TimedOut)
                    break;
            }
            Assert.False(lan.Client.IsSynchronized); // random bytes cannot guess a 64-bit nonce
            Assert.True(lan.Client.RepliesIgnored > 0);
        }

        [Fact]
        public void ExchangesAllocateNothing()
        {
            var lan = new Lan(new SntpConfig { Server = Server, PollIntervalMs = 15000 });
            var frame = new byte[1514];
            var arpReply = new byte[60];
            byte[] reply = (byte[])GoldenNtp.Get("server_reply").Bytes.Clone();
            byte[] serverMac = lan.Server.Nic.Mac;
            long before = 0;
            int answered = 0;
            for (int round = 0; round < 60; round++)
            {
                if (round == 10)
                    before = ThreadAllocations.Start();
                for (int ms = 0; ms < 15000; ms++)
                {
                    lan.Stack.Poll(lan.Switch.Now);
                    lan.Client.Poll(lan.Switch.Now);
                    int n = lan.Server.Nic.Receive(frame, 0, frame.Length);
                    if (n > 0 && frame[12] == 8 && frame[13] == 6 && ArpPacket.TryParse(frame, 14, n - 14, out ArpPacket arp) == WireError.None
                        && arp.Operation == ArpPacket.OperationRequest && arp.TargetProtocolAddress == Server)
                    {
                        // The server's side without RawPeer (which allocates what it returns): ARP reply by hand.
                        EthernetFrame.Emit(arpReply, 0, frame, arp.SenderHardwareOffset, serverMac, 0, EtherType.Arp);
                        ArpPacket.Emit(arpReply, 14, ArpPacket.OperationReply, serverMac, 0, Server, frame, arp.SenderHardwareOffset, arp.SenderProtocolAddress);
                        lan.Server.Nic.Transmit(arpReply, 0, 60);
                    }
                    else if (n > 0 && frame[12] == 8 && frame[13] == 0 && frame[23] == 17)
                    {
                        Array.Copy(frame, 42 + 40, reply, 24, 8); // the nonce becomes the origin timestamp
                        lan.Server.SendUdp(DeviceMac, Device, 123, (frame[34] << 8) | frame[35], reply);
                        answered++;
                    }
                    lan.Switch.Now++;
                }
            }
            long allocated = ThreadAllocations.Since(before);
            Assert.True(answered >= 59, answered.ToString());
            Assert.Equal(answered, lan.Client.RepliesAccepted);
            Assert.Equal(0, allocated);
        }

        private static readonly byte[] DeviceMac = { 2, 0, 0, 0, 0, 0x0d };
    }
}
