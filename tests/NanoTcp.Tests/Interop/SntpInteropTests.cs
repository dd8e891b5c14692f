using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using NanoTcp.Boards.Desktop;
using NanoTcp.Sntp;
using Xunit;

namespace NanoTcp.Tests.Interop
{
    /// <summary>
    /// chrony serving NTP (from its `local` reference, no upstream) and dnsmasq serving DHCP with option 42,
    /// both on the kernel's side of the TAP (10.123.0.1), in the private namespace. chronyd runs with -x, so
    /// it never touches the system clock, and its command port is off.
    /// </summary>
    public sealed class ChronyLab : IDisposable
    {
        public readonly TapLab Lab;
        private readonly Process _chrony, _dnsmasq;
        private readonly string _dir;
        public string ChronyLog => Path.Combine(_dir, "chronyd.log");

        public ChronyLab()
        {
            Lab = new TapLab("ntsntp", 0x0A7B0001, configureStack: false);
            if (!Lab.CanRun)
                return;
            _dir = Directory.CreateTempSubdirectory("nanotcp-chrony").FullName;
            string config = Path.Combine(_dir, "chrony.conf");
            File.WriteAllText(config, string.Join("\n",
                "local stratum 8",
                "allow 10.123.0.0/24",
                "bindaddress 10.123.0.1",
                "cmdport 0",
                "pidfile " + Path.Combine(_dir, "chronyd.pid"),
                "") );
            _chrony = LabProcess.Start("chronyd", $"-d -x -u root -f {config}", ChronyLog);
            _dnsmasq = LabProcess.Start("dnsmasq",
                "--no-daemon --user=root --interface=ntsntp --bind-interfaces --except-interface=lo --no-resolv --no-hosts --port=0 " +
                "--dhcp-range=10.123.0.50,10.123.0.60,255.255.255.0,1h --dhcp-option=option:ntp-server,10.123.0.1 " +
                $"--dhcp-leasefile={Path.Combine(_dir, "leases")}", Path.Combine(_dir, "dnsmasq.log"));
            Thread.Sleep(500); // let both bind
        }

        public void Dispose()
        {
            LabProcess.Stop(_chrony, _dnsmasq);
            Lab.Dispose();
        }
    }

    [Trait("Category", "Interop")]
    public sealed class SntpInteropTests : IClassFixture<ChronyLab>
    {
        private readonly ChronyLab _chrony;
        private TapLab Lab => _chrony.Lab;

        public SntpInteropTests(ChronyLab chrony) => _chrony = chrony;

        [SkippableFact]
        public void LearnsTheServerFromDhcpAndTakesChronysTime()
        {
            Skip.IfNot(Lab.CanRun, Lab.Reason);
            SntpClient client;
            Monitor.Enter(Lab.Runner.Lock);
            try
            {
                client = new SntpClient(Lab.Stack, new SntpConfig(), new HostRandom()); // server: DHCP option 42
                client.Start(Lab.Runner.NowMs);
                Lab.Runner.OnPolled = () => { Lab.Services.Poll(); client.Poll(Lab.Runner.NowMs); };
                Lab.Stack.StartDhcp();
            }
            finally { Monitor.Exit(Lab.Runner.Lock); }
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!client.IsSynchronized && DateTime.UtcNow < deadline)
                Thread.Sleep(50);
            string log = File.Exists(_chrony.ChronyLog) ? File.ReadAllText(_chrony.ChronyLog) : "none";
            Assert.True(Lab.Stack.IsConfigured, "no DHCP lease");
            Assert.Equal(0x0A7B0001u, Lab.Stack.Dhcp.NtpServer);
            Assert.True(client.IsSynchronized, $"not synchronized: {client.LastOutcome}, {client.RequestsSent} sent, {client.RepliesIgnored} ignored, {client.RepliesRejected} rejected; chronyd log: {log}");
            Assert.Equal(0x0A7B0001u, client.SynchronizedWith);
            Assert.Equal(8, client.ServerStratum); // chrony.conf(5): `local stratum 8` serves as stratum 8
            Assert.Equal(0, client.RepliesRejected);
            // chrony serves this machine's own clock: ours must agree with it to within the round trip.
            long ours = client.UnixTimeMs(Lab.Runner.NowMs);
            long system = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            Assert.InRange(ours - system, -50, 50);
            Assert.InRange(client.RoundTripMs, 0, 50);
        }
    }
}
