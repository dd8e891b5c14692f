using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using NanoTcp.Firmware.Services;
using Xunit;

namespace NanoTcp.Tests.Interop
{
    /// <summary>The Linux kernel against the firmware's services at the configuration that ships (issue 12
    /// point 4: 4 connections, 2 KB rings). Generous limits: these check that transfers complete intact,
    /// not how fast (the benchmarks measure that).</summary>
    [Trait("Category", "Interop")]
    public sealed class DefaultConfigInteropTests : IClassFixture<DefaultConfigInteropTests.Lab>
    {
        private const int Megabyte = 1024 * 1024;
        private const int LimitMs = 120_000;

        /// <summary>TapLab with StackConfig's defaults, on its own TAP and /24.</summary>
        public sealed class Lab : IDisposable
        {
            public readonly TapLab Tap = new TapLab("nt12", 0x0A700001, true, new StackConfig());
            public void Dispose() => Tap.Dispose();
        }

        private readonly TapLab _lab;

        public DefaultConfigInteropTests(Lab lab) => _lab = lab.Tap;

        private void Require() => Skip.IfNot(_lab.CanRun, _lab.Reason);

        private Socket ConnectFromLinux(int port, Action<Socket> before = null)
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = LimitMs, SendTimeout = LimitMs };
            before?.Invoke(s);
            s.Connect(new IPEndPoint(IPAddress.Parse(_lab.StackIp), port));
            return s;
        }

        private static byte[] Data(int length, int seed)
        {
            var data = new byte[length];
            new Random(seed).NextBytes(data);
            return data;
        }

        /// <summary>Sends data in writes of chunk bytes on another thread while reading the echo; returns what came back.</summary>
        private static byte[] Echo(Socket s, byte[] data, int chunk)
        {
            var writer = new Thread(() =>
            {
                for (int sent = 0; sent < data.Length; sent += chunk)
                    s.Send(data, sent, Math.Min(chunk, data.Length - sent), SocketFlags.None);
                s.Shutdown(SocketShutdown.Send);
            });
            writer.Start();
            var back = new byte[data.Length + 1];
            int got = 0, n;
            while (got < back.Length && (n = s.Receive(back, got, back.Length - got, SocketFlags.None)) > 0)
                got += n;
            Assert.True(writer.Join(LimitMs), "the writer did not finish");
            Assert.Equal(data.Length, got);
            return back.AsSpan(0, got).ToArray();
        }

        [SkippableFact]
        public void OneMegabyteIntoDiscardArrivesIntact()
        {
            Require();
            byte[] data = Data(Megabyte, 21);
            long before;
            uint checksumBefore;
            Monitor.Enter(_lab.Runner.Lock);
            try { before = _lab.Services.DiscardedBytes; checksumBefore = _lab.Services.DiscardChecksum; }
            finally { Monitor.Exit(_lab.Runner.Lock); }
            using (Socket s = ConnectFromLinux(ServicePorts.Discard))
            {
                s.Send(data);
                s.Shutdown(SocketShutdown.Send);
                Assert.Equal(0, s.Receive(new byte[16])); // our FIN comes once everything was taken
            }
            Monitor.Enter(_lab.Runner.Lock);
            try
            {
                Assert.Equal(before + Megabyte, _lab.Services.DiscardedBytes);
                Assert.Equal(RunningChecksum.Add(checksumBefore, data, 0, Megabyte), _lab.Services.DiscardChecksum);
            }
            finally { Monitor.Exit(_lab.Runner.Lock); }
        }

        [SkippableFact]
        public void OneMegabyteOutOfChargenFollowsTheRfc864Ring()
        {
            Require();
            var got = new byte[Megabyte];
            using (Socket s = ConnectFromLinux(ServicePorts.Chargen))
            {
                int n;
                for (int received = 0; received < got.Length; received += n)
                {
                    n = s.Receive(got, received, got.Length - received, SocketFlags.None);
                    Assert.True(n > 0, $"chargen ended after {received} bytes");
                }
            }
            // RFC 864: lines of 72 of the 95 printing characters (32-126, a ring), CR LF; each line starts one
            // character further along the ring.
            for (int i = 0; i < got.Length; i++)
            {
                int line = i / 74, column = i % 74;
                byte expected = column == 72 ? (byte)13 : column == 73 ? (byte)10 : (byte)(32 + (line + column) % 95);
                if (got[i] != expected)
                    Assert.Fail($"byte {i} is {got[i]}, RFC 864 has {expected}");
            }
        }

        [SkippableFact]
        public void OneMegabyteEchoedComesBackIntact()
        {
            Require();
            byte[] data = Data(Megabyte, 22);
            using Socket s = ConnectFromLinux(ServicePorts.Echo);
            Assert.Equal(data, Echo(s, data, 65536));
        }

        [SkippableFact]
        public void APeerSendingHalfWindowSegmentsIsEchoedIntact()
        {
            Require();
            // TCP_MAXSEG 1024: the kernel's segments are half our 2 KB window, not our MSS (RFC 1122 4.2.3.2
            // must still ACK every second of them).
            byte[] data = Data(256 * 1024, 23);
            using Socket s = ConnectFromLinux(ServicePorts.Echo, socket => socket.SetRawSocketOption(6 /* IPPROTO_TCP */, 2 /* TCP_MAXSEG */, BitConverter.GetBytes(1024)));
            Assert.Equal(data, Echo(s, data, 65536));
        }

        [SkippableFact]
        public void APeerMakingSmallWritesWithoutNagleIsEchoedIntact()
        {
            Require();
            byte[] data = Data(128 * 1024, 24);
            using Socket s = ConnectFromLinux(ServicePorts.Echo, socket => socket.NoDelay = true);
            Assert.Equal(data, Echo(s, data, 300));
        }
    }
}
