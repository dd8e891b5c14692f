using System;
using System.Collections.Generic;
using NanoTcp.Boards.Desktop;
using NanoTcp.Dns;
using NanoTcp.Scenarios;
using NanoTcp.Wire;
using Xunit;

namespace NanoTcp.Tests.Stack
{
    /// <summary>The resolver against crafted replies, including every malicious DNS case in TCP.md.</summary>
    public sealed class DnsResolverTests
    {
        private const uint Device = 0x0A000002, Server = 0x0A000035, Answer = 0x5DB8D822;

        private sealed class Lan
        {
            public readonly SimulatedSwitch Switch = new(9);
            public readonly NetworkStack Stack;
            public readonly RawPeer Server;

            public Lan()
            {
                var nic = Switch.AddNic("device", "02:00:00:00:00:0d");
                Stack = new NetworkStack(nic, new StackConfig(), new SeededRandom(31));
                Stack.Configure(Device, 0xFFFFFF00, 0, DnsResolverTests.Server);
                Server = new RawPeer(Switch, "02:00:00:00:00:35", DnsResolverTests.Server);
            }

            public UdpSeen NextQuery(int limitMs)
            {
                long end = Switch.Now + limitMs;
                while (Switch.Now <= end)
                {
                    Stack.Poll(Switch.Now);
                    UdpSeen seen = Server.NextUdp();
                    if (seen != null) return seen;
                    Switch.Now++;
                }
                return null;
            }

            public void Run(int ms)
            {
                for (int i = 0; i < ms; i++) { Stack.Poll(Switch.Now); Server.NextUdp(); Switch.Now++; }
            }

            public void Answer(UdpSeen query, byte[] reply, int sourcePort = 53)
                => Server.SendUdp(query.SourceMac, Device, sourcePort, query.SourcePort, reply);
        }

        /// <summary>A reply echoing the query's header id and question, then the given answer bytes.</summary>
        private static byte[] Reply(UdpSeen query, int answers, byte[] answerBytes, int rcode = 0, int idDelta = 0)
        {
            var r = new List<byte>();
            r.AddRange(query.Payload);
            int id = ((r[0] << 8) | r[1]) + idDelta;
            r[0] = (byte)(id >> 8); r[1] = (byte)id;
            r[2] = 0x81; r[3] = (byte)(0x80 | rcode);
            r[6] = 0; r[7] = (byte)answers;
            r.AddRange(answerBytes);
            return r.ToArray();
        }

        private static byte[] ARecord(byte[] name, uint ttl, uint address)
        {
            var a = new List<byte>(name) { 0, 1, 0, 1, (byte)(ttl >> 24), (byte)(ttl >> 16), (byte)(ttl >> 8), (byte)ttl, 0, 4 };
            a.AddRange(new[] { (byte)(address >> 24), (byte)(address >> 16), (byte)(address >> 8), (byte)address });
            return a.ToArray();
        }

        private static readonly byte[] PointerToQuestion = { 0xC0, 0x0C };

        [Fact]
        public void ResolvesAnARecordAndCachesItForItsTtl()
        {
            var lan = new Lan();
            DnsResolver dns = lan.Stack.Dns;
            Assert.True(dns.Resolve("Example.COM"));
            UdpSeen query = lan.NextQuery(50);
            Assert.NotNull(query);
            Assert.Equal(53, query.DestinationPort);
            Assert.InRange(query.SourcePort, 49152, 65535);
            Assert.Equal(new byte[] { 7, (byte)'e', (byte)'x', (byte)'a', (byte)'m', (byte)'p', (byte)'l', (byte)'e', 3, (byte)'c', (byte)'o', (byte)'m', 0, 0, 1, 0, 1 }, query.Payload[12..]);
            lan.Answer(query, Reply(query, 1, ARecord(PointerToQuestion, 60, Answer)));
            lan.Run(5);
            Assert.Equal(DnsStatus.Resolved, dns.Status);
            Assert.Equal(Answer, dns.Result);

            Assert.True(dns.Resolve("example.com"));
            Assert.Equal(DnsStatus.Resolved, dns.Status);
            Assert.Equal(1, dns.CacheHits);
            Assert.Null(lan.NextQuery(10));
            lan.Run(61000);
            dns.Resolve("example.com");
            UdpSeen again = lan.NextQuery(50);
            Assert.NotNull(again); // the TTL ran out
            Assert.NotEqual(query.SourcePort, again.SourcePort);
        }

        [Fact]
        public void FollowsACnameToTheARecord()
        {
            var lan = new Lan();
            lan.Stack.Dns.Resolve("www.example.com");
            UdpSeen query = lan.NextQuery(50);
            var cname = new List<byte>(PointerToQuestion) { 0, 5, 0, 1, 0, 0, 0, 60, 0, 6, 3, (byte)'w', (byte)'e', (byte)'b', 0xC0, 16 };
            var answers = new List<byte>(cname);
            answers.AddRange(ARecord(new byte[] { 0xC0, (byte)(12 + 17 + 4 + 12) }, 60, Answer));
            lan.Answer(query, Reply(query, 2, answers.ToArray()));
            lan.Run(5);
            Assert.Equal(DnsStatus.Resolved, lan.Stack.Dns.Status);
            Assert.Equal(Answer, lan.Stack.Dns.Result);
        }

        [Fact]
        public void NameErrorMeansNotFound()
        {
            var lan = new Lan();
            lan.Stack.Dns.Resolve("nowhere.example");
            UdpSeen query = lan.NextQuery(50);
            lan.Answer(query, Reply(query, 0, Array.Empty<byte>(), rcode: 3));
            lan.Run(5);
            Assert.Equal(DnsStatus.NotFound, lan.Stack.Dns.Status);
        }

        [Fact]
        public void RepliesThatDoNotMatchIdPortOrQuestionAreIgnored()
        {
            var lan = new Lan();
            DnsResolver dns = lan.Stack.Dns;
            dns.Resolve("example.com");
            UdpSeen query = lan.NextQuery(50);
            byte[] good = Reply(query, 1, ARecord(PointerToQuestion, 60, Answer));
            // one at a time: the socket queues two datagrams by default
            lan.Answer(query, Reply(query, 1, ARecord(PointerToQuestion, 60, 0x01020304), idDelta: 1)); // wrong id
            lan.Run(3);
            lan.Answer(query, Reply(query, 1, ARecord(PointerToQuestion, 60, 0x01020304)), sourcePort: 5353); // wrong port
            lan.Run(3);
            byte[] otherQuestion = Reply(query, 1, ARecord(PointerToQuestion, 60, 0x01020304));
            otherQuestion[13] = (byte)'X'; // "Xxample.com"
            lan.Answer(query, otherQuestion);
            lan.Run(3);
            lan.Server.SendUdp(query.SourceMac, Device, 53, query.SourcePort, good, source: 0x0A000099); // wrong server
            lan.Run(3);
            Assert.Equal(DnsStatus.Pending, dns.Status);
            Assert.Equal(4, dns.RepliesIgnored);
            lan.Answer(query, good);
            lan.Run(5);
            Assert.Equal(DnsStatus.Resolved, dns.Status);
            Assert.Equal(Answer, dns.Result);
        }

        [Fact]
        public void UnansweredQueriesAreRetriedThenTimeOut()
        {
            var lan = new Lan();
            DnsResolver dns = lan.Stack.Dns;
            dns.Resolve("example.com");
            long start = lan.Switch.Now;
            Assert.NotNull(lan.NextQuery(10));
            Assert.NotNull(lan.NextQuery(1100));
            Assert.InRange(lan.Switch.Now - start, 990, 1100);
            Assert.NotNull(lan.NextQuery(2100));
            Assert.InRange(lan.Switch.Now - start, 2990, 3100);
            Assert.Null(lan.NextQuery(4100));
            Assert.Equal(DnsStatus.TimedOut, dns.Status);
        }

        public static TheoryData<string, byte[], int> MaliciousAnswers => new()
        {
            // name bytes of the answer record, then a valid-looking A body
            { "pointer to itself", new byte[] { 0xC0, 0x1D }, 1 },
            { "pointer forward past the message", new byte[] { 0xC0, 0xFF }, 1 },
            { "pointer into the header", new byte[] { 0xC0, 0x02 }, 1 },
            { "pointer with its second byte missing", new byte[] { 0xC0 }, 1 },
            { "label running past the data", new byte[] { 0x3F, (byte)'a', (byte)'b' }, 1 },
            { "reserved label type 0x40", new byte[] { 0x41, (byte)'a', 0 }, 1 },
            { "answer count larger than the data", new byte[] { 0xC0, 0x0C }, 9 },
        };

        [Theory]
        [MemberData(nameof(MaliciousAnswers))]
        public void MaliciousRepliesFailCleanly(string name, byte[] answerName, int answerCount)
        {
            var lan = new Lan();
            DnsResolver dns = lan.Stack.Dns;
            dns.Resolve("example.com");
            UdpSeen query = lan.NextQuery(50);
            byte[] answer = answerName.Length >= 2 && answerName[0] == 0xC0 && answerName[1] == 0x0C && answerCount > 1
                ? new byte[] { 0xC0, 0x0C, 0, 5, 0, 1, 0, 0, 0, 60, 0, 2, 0xC0, 0x0C } // a CNAME; the other 8 answers are missing
                : answerName;
            lan.Answer(query, Reply(query, answerCount, answer));
            lan.Run(5);
            Assert.True(dns.Status == DnsStatus.Failed, name + ": " + dns.Status);
            Assert.True(dns.RepliesMalformed >= 1 || answerCount > 1, name);
            Assert.Equal(0u, dns.Result);
        }

        [Fact]
        public void RdLengthPastTheDataFailsCleanly()
        {
            var lan = new Lan();
            lan.Stack.Dns.Resolve("example.com");
            UdpSeen query = lan.NextQuery(50);
            lan.Answer(query, Reply(query, 1, new byte[] { 0xC0, 0x0C, 0, 1, 0, 1, 0, 0, 0, 60, 0x40, 0x00, 1, 2, 3, 4 }));
            lan.Run(5);
            Assert.Equal(DnsStatus.Failed, lan.Stack.Dns.Status);
            Assert.Equal(1, lan.Stack.Dns.RepliesMalformed);
        }

        [Theory]
        [InlineData("")]
        [InlineData("a..b")]
        [InlineData(".example.com")]
        [InlineData("bad!name.com")]
        [InlineData("a-label-that-is-sixty-four-characters-long-xxxxxxxxxxxxxxxxxxxxxx.com")]
        public void InvalidNamesAreRejectedBeforeAnyQuery(string name)
        {
            var lan = new Lan();
            Assert.True(lan.Stack.Dns.Resolve(name));
            Assert.Equal(DnsStatus.InvalidName, lan.Stack.Dns.Status);
            Assert.Null(lan.NextQuery(20));
        }

        [Fact]
        public void NameWalkerRejectsLoopsLongNamesAndMissingTerminators()
        {
            // header (12 bytes) then names to walk
            var loop = new byte[40];
            loop[20] = 0xC0; loop[21] = 22; loop[22] = 0xC0; loop[23] = 20; // 20 -> 22 -> 20
            Assert.Equal(-1, DnsMessage.SkipName(loop, 0, loop.Length, 22));
            var noEnd = new byte[20];
            noEnd[12] = 3; noEnd[13] = (byte)'a'; noEnd[14] = (byte)'b'; noEnd[15] = (byte)'c'; noEnd[16] = 3;
            Assert.Equal(-1, DnsMessage.SkipName(noEnd, 0, 17, 12));
            var chain = new byte[12 + 64 * 5 + 2]; // 5 labels of 63: 320 bytes, over 255
            for (int i = 0; i < 5; i++) chain[12 + i * 64] = 63;
            Assert.Equal(-1, DnsMessage.SkipName(chain, 0, chain.Length, 12));
            var ok = new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, (byte)'a', 0, 0xC0, 12 };
            Assert.Equal(15, DnsMessage.SkipName(ok, 0, ok.Length, 12));
            Assert.Equal(17, DnsMessage.SkipName(ok, 0, ok.Length, 15));
        }
    }
}
