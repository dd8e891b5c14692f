using System;
using System.Diagnostics;
using System.Threading;
using NanoTcp.Boards.Desktop;
using NanoTcp.Firmware.Services;
using NanoTcp.Scenarios;
using NanoTcp.Sockets;
using NanoTcp.Tests.Stack;
using Xunit;

namespace NanoTcp.Tests.Sockets
{
    /// <summary>The socket layer between two stacks on a real-time simulated switch, each with its poll
    /// thread, plus a scripted DNS server (a raw NIC answering on a thread). Timeouts are generous limits.</summary>
    public sealed class SocketTests : IDisposable
    {
        private const uint DnsServer = 0x0A000035, Nobody = 0x0A000063, OffSubnet = 0xC0A80101;
        private readonly SimulatedSwitch _switch = new(3) { Clock = new HostClock() };
        private readonly StackRunner _clientRunner, _serverRunner;
        private readonly SocketFactory _client, _server;
        private readonly RawPeer _dns;
        private readonly Thread _dnsThread;
        private volatile bool _stop;

        public SocketTests()
        {
            var a = new NetworkStack(_switch.AddNic("a", "02:00:00:00:00:0a"), new StackConfig(), new SeededRandom(1));
            var b = new NetworkStack(_switch.AddNic("b", "02:00:00:00:00:0b"), new StackConfig(), new SeededRandom(2));
            a.Configure(StackPair.AddressA, StackPair.Mask, 0, DnsServer);
            b.Configure(StackPair.AddressB, StackPair.Mask, 0, 0);
            _dns = new RawPeer(_switch, "02:00:00:00:00:35", DnsServer);
            _dnsThread = new Thread(ServeDns);
            _dnsThread.Start();
            _clientRunner = new StackRunner(a, _switch.Clock);
            _serverRunner = new StackRunner(b, _switch.Clock);
            _clientRunner.Start();
            _serverRunner.Start();
            _client = new SocketFactory(_clientRunner);
            _server = new SocketFactory(_serverRunner);
        }

        public void Dispose()
        {
            _stop = true;
            _dnsThread.Join();
            _clientRunner.Stop();
            _serverRunner.Stop();
        }

        /// <summary>RFC 1035 4.1: answers "server.lan" with B's address, and any other name with NXDOMAIN (RCODE 3).</summary>
        private void ServeDns()
        {
            while (!_stop)
            {
                UdpSeen q = _dns.NextUdp();
                if (q == null) { Thread.Sleep(1); continue; }
                byte[] name = { 6, (byte)'s', (byte)'e', (byte)'r', (byte)'v', (byte)'e', (byte)'r', 3, (byte)'l', (byte)'a', (byte)'n', 0 };
                bool known = q.Payload.AsSpan(12).StartsWith(name);
                var reply = new System.Collections.Generic.List<byte>(q.Payload);
                reply[2] = 0x81; reply[3] = (byte)(known ? 0x80 : 0x83); // QR, RD, RA; RCODE 0 or 3
                reply[7] = (byte)(known ? 1 : 0);
                if (known)
                    reply.AddRange(new byte[] { 0xC0, 0x0C, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 2 });
                _dns.SendUdp(q.SourceMac, q.Source, 53, q.SourcePort, reply.ToArray());
            }
        }

        /// <summary>An echo server on B: one connection, echoes until the peer closes, then closes.</summary>
        private Thread EchoServer(ListenerSocket listener)
        {
            var t = new Thread(() =>
            {
                StreamSocket s = listener.Accept(10000);
                var stream = new NetworkStream(s);
                var buffer = new byte[700];
                int n;
                while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
                    stream.Write(buffer, 0, n);
                stream.Close();
            });
            t.Start();
            return t;
        }

        private static SocketError ErrorOf(Action call)
        {
            var e = Assert.Throws<SocketException>(call);
            return e.Error;
        }

        [Fact]
        public void ConnectsByNameAndEchoesThroughNetworkStreams()
        {
            ListenerSocket listener = _server.Listen(7, 1);
            Thread server = EchoServer(listener);
            StreamSocket s = _client.CreateStream();
            s.Connect("server.lan", 7);
            Assert.True(s.Connected);
            Assert.Equal(StackPair.AddressB, s.RemoteAddress);
            var stream = new NetworkStream(s);
            var data = new byte[30_000];
            new Random(4).NextBytes(data);
            var back = new byte[data.Length];
            int got = 0;
            var reader = new Thread(() => { int n; while (got < back.Length && (n = stream.Read(back, got, back.Length - got)) > 0) got += n; });
            reader.Start();
            stream.Write(data, 0, data.Length);
            stream.Flush();
            Assert.Equal(0, s.BytesUnacknowledged);
            s.Shutdown();
            Assert.True(reader.Join(15000));
            Assert.Equal(data, back);
            Assert.Equal(0, s.Receive(new byte[8], 0, 8)); // the server closed after our FIN: end of stream
            Assert.Equal(SocketError.Success, s.Error);
            s.Close();
            Assert.True(server.Join(15000));
        }

        [Fact]
        public void AnUnknownNameIsHostNotFound()
        {
            StreamSocket s = _client.CreateStream();
            Assert.Equal(SocketError.HostNotFound, ErrorOf(() => s.Connect("nosuch.lan", 80)));
            Assert.False(s.Connected);
        }

        [Fact]
        public void WithoutADnsServerANameIsTryAgain()
        {
            StreamSocket s = _server.CreateStream(); // B has no DNS server configured
            Assert.Equal(SocketError.TryAgain, ErrorOf(() => s.Connect("server.lan", 80)));
        }

        [Fact]
        public void AClosedPortIsRefused()
        {
            StreamSocket s = _client.CreateStream();
            Assert.Equal(SocketError.ConnectionRefused, ErrorOf(() => s.Connect(StackPair.AddressB, 9)));
            Assert.Equal(SocketError.ConnectionRefused, s.Error);
            // The slot was released: the same socket connects again once something listens.
            ListenerSocket listener = _server.Listen(9, 1);
            s.Connect(StackPair.AddressB, 9);
            Assert.True(s.Connected);
            Assert.True(listener.Accept(5000).Connected);
        }

        [Fact]
        public void AnAddressNobodyAnswersTimesOutWithinTheConnectTimeout()
        {
            StreamSocket s = _client.CreateStream();
            s.ConnectTimeout = 300;
            var watch = Stopwatch.StartNew();
            Assert.Equal(SocketError.TimedOut, ErrorOf(() => s.Connect(Nobody, 80)));
            Assert.InRange(watch.ElapsedMilliseconds, 250, 5000);
            Assert.Equal(0, _clientRunner.Stack.Tcp.ConnectionsInUse);
        }

        [Fact]
        public void OffSubnetWithoutAGatewayIsNetworkUnreachable()
        {
            StreamSocket s = _client.CreateStream();
            Assert.Equal(SocketError.NetworkUnreachable, ErrorOf(() => s.Connect(OffSubnet, 80)));
            DatagramSocket d = _client.OpenDatagram(0);
            Assert.Equal(SocketError.NetworkUnreachable, d.TrySendTo(new byte[4], 0, 4, OffSubnet, 53));
        }

        [Fact]
        public void BeforeTheDeviceHasAnAddressConnectSaysSo()
        {
            var c = new NetworkStack(_switch.AddNic("c", "02:00:00:00:00:0c"), new StackConfig(), new SeededRandom(3));
            var runner = new StackRunner(c, _switch.Clock);
            runner.Start();
            try
            {
                StreamSocket s = new SocketFactory(runner).CreateStream();
                Assert.Equal(SocketError.AddressNotAvailable, ErrorOf(() => s.Connect(StackPair.AddressB, 80)));
                Assert.Equal(SocketError.AddressNotAvailable, ErrorOf(() => s.Connect("server.lan", 80)));
            }
            finally { runner.Stop(); }
        }

        [Fact]
        public void ReceiveTimesOutAndAResetIsReported()
        {
            ListenerSocket listener = _server.Listen(8, 1);
            StreamSocket s = _client.CreateStream();
            s.ReceiveTimeout = 100;
            s.Connect(StackPair.AddressB, 8);
            Assert.Equal(SocketError.TimedOut, ErrorOf(() => s.Receive(new byte[10], 0, 10)));
            StreamSocket peer = listener.Accept(5000);
            peer.Abort(); // RST
            s.ReceiveTimeout = 5000;
            Assert.Equal(SocketError.ConnectionReset, ErrorOf(() => s.Receive(new byte[10], 0, 10)));
            Assert.Equal(SocketError.ConnectionReset, s.Error);
            Assert.Equal(SocketError.ConnectionReset, ErrorOf(() => s.Send(new byte[10], 0, 10)));
            s.Close();
        }

        [Fact]
        public void SendAfterShutdownSaysShutdown()
        {
            ListenerSocket listener = _server.Listen(10, 1);
            StreamSocket s = _client.CreateStream();
            s.Connect(StackPair.AddressB, 10);
            s.Shutdown();
            Assert.Equal(SocketError.Shutdown, ErrorOf(() => s.Send(new byte[1], 0, 1)));
            StreamSocket peer = listener.Accept(5000);
            Assert.Equal(0, peer.Receive(new byte[1], 0, 1)); // our FIN
            peer.Close();
            s.Close();
        }

        [Fact]
        public void ListenerRefusesASecondBindAndAcceptTimesOut()
        {
            ListenerSocket listener = _server.Listen(11, 1);
            Assert.Equal(SocketError.AddressAlreadyInUse, ErrorOf(() => _server.Listen(11, 1)));
            var into = _server.CreateStream();
            Assert.Equal(SocketError.TimedOut, listener.Accept(into, 100));
            Assert.Equal(SocketError.InProgress, listener.TryAccept(into));
            listener.Close();
            Assert.Equal(SocketError.ConnectionAborted, listener.Accept(into, 100));
        }

        [Fact]
        public void DatagramsGoBothWaysAndReceiveTimesOut()
        {
            DatagramSocket server = _server.OpenDatagram(5353);
            DatagramSocket client = _client.OpenDatagram(0);
            Assert.True(client.LocalPort >= 49152);
            client.SendTo(new byte[] { 1, 2, 3 }, 0, 3, StackPair.AddressB, 5353);
            var buffer = new byte[16];
            int n = server.ReceiveFrom(buffer, 0, buffer.Length, out uint from, out int fromPort);
            Assert.Equal(3, n);
            Assert.Equal(StackPair.AddressA, from);
            Assert.Equal(client.LocalPort, fromPort);
            server.SendTo(buffer, 0, n, from, fromPort);
            Assert.Equal(3, client.ReceiveFrom(buffer, 0, buffer.Length, out from, out _));
            Assert.Equal(StackPair.AddressB, from);
            client.ReceiveTimeout = 100;
            Assert.Equal(SocketError.TimedOut, ErrorOf(() => client.ReceiveFrom(buffer, 0, buffer.Length, out _, out _)));
            Assert.Equal(SocketError.MessageSize, client.TrySendTo(new byte[2000], 0, 2000, StackPair.AddressB, 5353));
            Assert.Equal(SocketError.AddressAlreadyInUse, ErrorOf(() => _server.OpenDatagram(5353)));
            client.Close();
            server.Close();
        }

        [Fact]
        public void NonBlockingCallsConnectAndMoveDataWithoutAllocating()
        {
            ListenerSocket listener = _server.Listen(12, 1);
            Thread server = EchoServer(listener);
            StreamSocket s = _client.CreateStream();
            var deadline = Stopwatch.StartNew();
            Assert.Equal(SocketError.InProgress, s.BeginConnect(StackPair.AddressB, 12));
            while (s.ConnectStatus == SocketError.InProgress && deadline.ElapsedMilliseconds < 5000)
                Thread.Sleep(1);
            Assert.Equal(SocketError.Success, s.ConnectStatus);
            var message = new byte[100];
            var back = new byte[100];
            void RoundTrip()
            {
                int sent = 0, got = 0;
                while (sent < message.Length) { int n = s.TrySend(message, sent, message.Length - sent); Assert.True(n >= 0); sent += n; }
                while (got < back.Length) { int n = s.TryReceive(back, got, back.Length - got); Assert.True(n >= 0); got += n; if (n == 0) _clientRunner.AwaitProgress(long.MaxValue); }
            }
            for (int i = 0; i < 20; i++) RoundTrip(); // warm-up
            long before = ThreadAllocations.Start();
            for (int i = 0; i < 500; i++) RoundTrip();
            Assert.Equal(0, ThreadAllocations.Since(before));
            s.Shutdown();
            while (s.TryReceive(back, 0, back.Length) >= 0 && deadline.ElapsedMilliseconds < 20000)
                Thread.Sleep(1);
            Assert.Equal(-1, s.TryReceive(back, 0, back.Length));
            s.Close();
            Assert.True(server.Join(15000));
        }
    }
}
