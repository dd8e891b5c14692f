using System;
using System.IO;
using System.Threading;
using NanoTcp.Boards.Desktop;
using NanoTcp.Mdns;
using Xunit;

namespace NanoTcp.Tests.Interop
{
    /// <summary>The responder on a TAP (10.155.0.2) with the kernel's side at 10.155.0.1, and a route for
    /// 224.0.0.0/4 onto the TAP so Linux queriers reach the group; nothing leaves the namespace.</summary>
    public sealed class MdnsLab : IDisposable
    {
        public const string HostName = "nanotcp-lab";
        public readonly TapLab Lab;
        public readonly MdnsResponder Responder;

        public MdnsLab()
        {
            Lab = new TapLab("ntmdns", 0x0A9B0001);
            if (!Lab.CanRun)
                return;
            HostCommand.Run("ip", "route add 224.0.0.0/4 dev ntmdns");
            Monitor.Enter(Lab.Runner.Lock);
            try
            {
                Responder = new MdnsResponder(Lab.Stack, new MdnsConfig { HostName = HostName });
                Responder.Start(Lab.Runner.NowMs);
                Lab.Runner.OnPolled = () => { Lab.Services.Poll(); Responder.Poll(Lab.Runner.NowMs); };
            }
            finally { Monitor.Exit(Lab.Runner.Lock); }
        }

        public void Dispose() => Lab.Dispose();
    }

    [Trait("Category", "Interop")]
    public sealed class MdnsInteropTests : IClassFixture<MdnsLab>
    {
        private readonly MdnsLab _mdns;
        private TapLab Lab => _mdns.Lab;

        public MdnsInteropTests(MdnsLab mdns) => _mdns = mdns;

        [SkippableFact]
        public void ZeroconfResolvesTheNameByMulticast()
        {
            Skip.IfNot(Lab.CanRun, Lab.Reason);
            string script = Path.Combine(RepoLayout.Root, "tests", "NanoTcp.Tests", "Interop", "mdns_query.py");
            var (code, output) = HostCommand.Run("/usr/bin/python3", $"{script} {MdnsLab.HostName}.local {Lab.LinuxIp}", 20000);
            Assert.True(code == 0, "python3-zeroconf got no A record: " + output);
            Assert.Contains($"A {Lab.StackIp} ttl 120 unique True", output); // cache-flush bit: a unique record (RFC 6762 10.2)
        }

        [SkippableFact]
        public void DigGetsALegacyUnicastReply()
        {
            Skip.IfNot(Lab.CanRun, Lab.Reason);
            // RFC 6762 6.7: a query from a port other than 5353 is answered by unicast, id and question echoed,
            // TTL 10. dig is asked at the device's address: `dig @224.0.0.251` connects its socket to the
            // group, so the kernel refuses the unicast reply from the device (port unreachable, seen in the pcap).
            var (code, output) = HostCommand.Run("dig", $"-p 5353 @{Lab.StackIp} {MdnsLab.HostName}.local A +time=2 +tries=3 +norecurse", 20000);
            Assert.True(code == 0, output);
            Assert.Matches($@"{MdnsLab.HostName}\.local\.\s+10\s+IN\s+A\s+{Lab.StackIp.Replace(".", @"\.")}", output);
            Assert.True(_mdns.Responder.LegacyAnswers >= 1);
        }
    }
}
