using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using NanoTcp.Dns;
using NanoTcp.Wire;
using NanoTcp.Boards.Desktop;
using Xunit;

namespace NanoTcp.Tests.Interop
{
    /// <summary>A lab whose stack starts unconfigured, with dnsmasq serving DHCP and DNS on the TAP.</summary>
    public sealed class DnsmasqLab : IDisposable
    {
        public readonly TapLab Lab;
        private readonly Process _dnsmasq;
        public readonly string Log = Path.Combine(RepoLayout.TestResults, "dnsmasq.log");

        public DnsmasqLab()
        {
            Lab = new TapLab("nt1", 0x0A4E0001, configureStack: false);
            if (!Lab.CanRun)
                return;
            string leases = Path.Combine(Path.GetTempPath(), "nanotcp-dnsmasq.leases");
            File.Delete(leases);
            var start = new ProcessStartInfo("dnsmasq",
                $"--no-daemon --user=root --interface=nt1 --bind-interfaces --except-interface=lo --no-resolv --no-hosts " +
                $"--dhcp-range=10.78.0.50,10.78.0.60,255.255.255.0,1h --dhcp-option=option:router,10.78.0.1 " +
                $"--dhcp-leasefile={leases} --address=/device.test/10.78.0.9 --log-dhcp --log-queries --log-facility={Log}")
            { RedirectStandardOutput = true, RedirectStandardError = true };
            _dnsmasq = Process.Start(start);
            Thread.Sleep(500); // let it bind
        }

        public void Dispose()
        {
            if (_dnsmasq != null && !_dnsmasq.HasExited)
                _dnsmasq.Kill();
            _dnsmasq?.Dispose();
            Lab.Dispose();
        }
    }

    [Trait("Category", "Interop")]
    public sealed class DnsmasqInteropTests : IClassFixture<DnsmasqLab>
    {
        private readonly DnsmasqLab _dnsmasq;
        private TapLab Lab => _dnsmasq.Lab;

        public DnsmasqInteropTests(DnsmasqLab dnsmasq) => _dnsmasq = dnsmasq;

        [SkippableFact]
        public void LeasesAnAddressFromDnsmasqThenResolvesANameThroughIt()
        {
            Skip.IfNot(Lab.CanRun, Lab.Reason);
            Monitor.Enter(Lab.Runner.Lock);
            try { Lab.Stack.StartDhcp(); }
            finally { Monitor.Exit(Lab.Runner.Lock); }
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (!Lab.Stack.IsConfigured && DateTime.UtcNow < deadline)
                Thread.Sleep(50);
            Assert.True(Lab.Stack.IsConfigured, "no lease; dnsmasq log: " + (File.Exists(_dnsmasq.Log) ? File.ReadAllText(_dnsmasq.Log) : "none"));
            uint address = Lab.Stack.Address;
            Assert.InRange(address, 0x0A4E0032u, 0x0A4E003Cu); // 10.78.0.50 - 10.78.0.60
            Assert.Equal(0xFFFFFF00u, Lab.Stack.SubnetMask);
            Assert.Equal(0x0A4E0001u, Lab.Stack.Gateway);
            Assert.Equal(0x0A4E0001u, Lab.Stack.DnsServer); // dnsmasq names itself as DNS server
            Assert.Equal(3600u, Lab.Stack.Dhcp.LeaseSeconds);

            DnsResolver dns;
            Monitor.Enter(Lab.Runner.Lock);
            try { dns = Lab.Stack.Dns; dns.Resolve("device.test"); }
            finally { Monitor.Exit(Lab.Runner.Lock); }
            deadline = DateTime.UtcNow.AddSeconds(10);
            while (dns.Status == DnsStatus.Pending && DateTime.UtcNow < deadline)
                Thread.Sleep(20);
            Assert.Equal(DnsStatus.Resolved, dns.Status);
            Assert.Equal("10.78.0.9", Ipv4Address.Format(dns.Result));
        }
    }

    /// <summary>The captures of a short session, read by tshark with checksum validation on.</summary>
    [Trait("Category", "Interop")]
    public sealed class CaptureValidationTests
    {
        [SkippableFact]
        public void TsharkFindsNoMalformedFramesAndNoBadChecksums()
        {
            string why = TapLab.WhyNot();
            Skip.If(why != null, why);
            string pcap;
            using (var lab = new TapLab("nt2", 0x0A4F0001))
            {
                pcap = lab.PcapPath;
                var (code, output) = HostCommand.Run("curl", $"-s -m 10 http://{lab.StackIp}/");
                Assert.Equal(0, code);
                using var ping = new System.Net.NetworkInformation.Ping();
                Assert.Equal(System.Net.NetworkInformation.IPStatus.Success, ping.Send(lab.StackIp, 2000).Status);
                using var udp = new System.Net.Sockets.UdpClient();
                udp.Client.ReceiveTimeout = 2000;
                udp.Send(new byte[] { 1, 2, 3 }, 3, lab.StackIp, 7);
                var from = new System.Net.IPEndPoint(0, 0);
                Assert.Equal(new byte[] { 1, 2, 3 }, udp.Receive(ref from)); // UDP echo
                Thread.Sleep(200);
            }
            const string checks = "-o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE";
            var (all, listing) = HostCommand.Run("tshark", $"-r {pcap} {checks}");
            Assert.True(all == 0, listing);
            Assert.Contains("HTTP", listing);
            Assert.Contains("Echo (ping) reply", listing);
            var (bad, badList) = HostCommand.Run("tshark", $"-r {pcap} {checks} -Y \"_ws.malformed || ip.checksum.status == 0 || tcp.checksum.status == 0 || udp.checksum.status == 0 || icmp.checksum.status == 0\"");
            Assert.Equal(0, bad);
            Assert.True(string.IsNullOrWhiteSpace(badList.Replace("Running as user \"root\" and group \"root\". This could be dangerous.", "")), badList);
        }
    }
}
