using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using NanoTcp.Boards.Desktop;
using NanoTcp.Wire;
using Xunit;

namespace NanoTcp.Tests.Interop
{
    /// <summary>TapDevice.WaitReadable with and without its busy poll: it returns true for a frame waiting, one
    /// that arrives while it spins or later while it sleeps, and for Interrupt; false when its time runs out
    /// with nothing (so the spin ends). The frames are UDP datagrams the kernel sends to a permanent neighbour
    /// on the TAP (no ARP), with IPv6 off on the TAP so nothing else arrives.</summary>
    [Trait("Category", "Interop")]
    public sealed class TapDeviceWaitTests
    {
        private const string Name = "ntwait", LinuxIp = "10.91.0.1", PeerIp = "10.91.0.2";

        private static TapDevice Open(int busyPollMicroseconds)
        {
            var mac = new byte[6];
            MacAddress.TryParse("02:4e:54:00:00:09", mac, 0);
            var tap = new TapDevice(Name, mac) { BusyPollMicroseconds = busyPollMicroseconds };
            File.WriteAllText($"/proc/sys/net/ipv6/conf/{Name}/disable_ipv6", "1");
            HostCommand.Run("ip", "link set lo up");
            HostCommand.Run("ip", $"addr add {LinuxIp}/24 dev {Name}");
            HostCommand.Run("ip", $"link set {Name} up");
            HostCommand.Run("ip", $"neigh replace {PeerIp} lladdr 02:4e:54:00:00:09 dev {Name} nud permanent");
            var frame = new byte[1514];
            while (tap.Receive(frame, 0, frame.Length) > 0) { } // whatever link-up brought
            return tap;
        }

        private static void SendDatagram()
        {
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.SendTo(new byte[] { 1, 2, 3 }, new IPEndPoint(IPAddress.Parse(PeerIp), 9));
        }

        private static void AssertTheDatagramIsRead(TapDevice tap)
        {
            var frame = new byte[1514];
            int length = tap.Receive(frame, 0, frame.Length);
            Assert.True(length >= 14 + 20 + 8 + 3, $"a frame of {length} bytes");
            Assert.Equal(0x0800, frame[12] << 8 | frame[13]); // IPv4
            Assert.Equal(17, frame[14 + 9]);                 // UDP
            Assert.Equal(9, frame[14 + 20 + 2] << 8 | frame[14 + 20 + 3]);
        }

        [SkippableTheory]
        [InlineData(0)]
        [InlineData(50)]
        [InlineData(5000)]
        public void ReturnsFalseWhenNothingCameInTime(int busyPoll)
        {
            string why = TapLab.WhyNot();
            Skip.If(why != null, why);
            using var tap = Open(busyPoll);
            Assert.False(tap.WaitReadable(20));
            Assert.False(tap.WaitReadable(1)); // a wait shorter than the spin ends too
        }

        [SkippableFact]
        public void TheSpinEndsWithTheWaitsTimeout()
        {
            string why = TapLab.WhyNot();
            Skip.If(why != null, why);
            using var tap = Open(1_000_000);
            var watch = System.Diagnostics.Stopwatch.StartNew();
            Assert.False(tap.WaitReadable(1));
            Assert.True(watch.ElapsedMilliseconds < 900, $"a 1 ms wait with a 1 s spin took {watch.ElapsedMilliseconds} ms");
        }

        [SkippableTheory]
        [InlineData(0)]
        [InlineData(50)]
        public void ReturnsTrueForAFrameWaitingAndOneThatComesWhileItSleeps(int busyPoll)
        {
            string why = TapLab.WhyNot();
            Skip.If(why != null, why);
            using var tap = Open(busyPoll);
            SendDatagram();
            Assert.True(tap.WaitReadable(5000));
            AssertTheDatagramIsRead(tap);
            var later = new Thread(() => { Thread.Sleep(200); SendDatagram(); });
            later.Start();
            Assert.True(tap.WaitReadable(10000)); // long after the spin: poll(2) sleeping
            later.Join();
            AssertTheDatagramIsRead(tap);
        }

        [SkippableTheory]
        [InlineData(0)]
        [InlineData(50)]
        [InlineData(1_000_000)] // Interrupt ends the spin itself
        public void InterruptEndsTheWait(int busyPoll)
        {
            string why = TapLab.WhyNot();
            Skip.If(why != null, why);
            using var tap = Open(busyPoll);
            var interrupter = new Thread(() => { Thread.Sleep(100); tap.Interrupt(); });
            interrupter.Start();
            Assert.True(tap.WaitReadable(10000));
            interrupter.Join();
            Assert.False(tap.WaitReadable(1)); // the interrupt was drained: the next wait runs its course
        }
    }
}
