using System;
using System.Threading;
using NanoTcp.Boards.Desktop;
using NanoTcp.Firmware.Services;
using NanoTcp.Scenarios;
using NanoTcp.Tcp;
using Xunit;

namespace NanoTcp.Tests.Stack
{
    /// <summary>The blocking layer with real threads: each stack has its own poll thread, applications
    /// block in Accept/Connect/Read/Write. Timeouts here are generous limits, not measurements.</summary>
    public sealed class StackRunnerTests : IDisposable
    {
        private readonly SimulatedSwitch _switch = new(3) { Clock = new HostClock() };
        private readonly StackRunner _client, _server;

        public StackRunnerTests()
        {
            var a = new NetworkStack(_switch.AddNic("a", "02:00:00:00:00:0a"), new StackConfig(), new SeededRandom(1));
            var b = new NetworkStack(_switch.AddNic("b", "02:00:00:00:00:0b"), new StackConfig(), new SeededRandom(2));
            a.Configure(StackPair.AddressA, StackPair.Mask, 0, 0);
            b.Configure(StackPair.AddressB, StackPair.Mask, 0, 0);
            // The simulated switch cannot wake a poll thread when frames arrive: look at it every millisecond.
            _client = new StackRunner(a, _switch.Clock) { IdlePollMs = 1 };
            _server = new StackRunner(b, _switch.Clock) { IdlePollMs = 1 };
            _client.Start();
            _server.Start();
        }

        public void Dispose()
        {
            _client.Stop();
            _server.Stop();
        }

        [Fact]
        public void EchoAcrossThreadsWithBlockingCalls()
        {
            TcpListener listener = _server.Listen(7, 1);
            var serverThread = new Thread(() =>
            {
                TcpConnection c = _server.Accept(listener, 10000);
                var buffer = new byte[1000];
                int n;
                while ((n = _server.Read(c, buffer, 0, buffer.Length, 10000)) > 0)
                    _server.Write(c, buffer, 0, n, 10000);
                _server.Close(c);
            });
            serverThread.Start();

            TcpConnection client = _client.Connect(StackPair.AddressB, 7, 10000);
            Assert.NotNull(client);
            Assert.True(client.IsConnected, "connected: " + client.State);
            var data = new byte[100_000];
            new Random(5).NextBytes(data);
            var received = new byte[data.Length];
            int got = 0;
            var reader = new Thread(() =>
            {
                int n;
                while (got < received.Length && (n = _client.Read(client, received, got, received.Length - got, 10000)) > 0)
                    got += n;
            });
            reader.Start();
            Assert.Equal(data.Length, _client.Write(client, data, 0, data.Length, 10000));
            _client.Shutdown(client);
            reader.Join(15000);
            serverThread.Join(15000);
            Assert.Equal(data.Length, got);
            Assert.Equal(data, received);
            _client.Close(client);
        }

        [Fact]
        public void ReadReturnsTimedOutWhenNothingArrives()
        {
            TcpListener listener = _server.Listen(8, 1);
            TcpConnection client = _client.Connect(StackPair.AddressB, 8, 5000);
            Assert.True(client.IsConnected);
            Assert.Equal(StackRunner.TimedOut, _client.Read(client, new byte[10], 0, 10, 100));
            Assert.NotNull(_server.Accept(listener, 1000));
        }

        [Fact]
        public void ConnectToAClosedPortIsRefused()
        {
            TcpConnection client = _client.Connect(StackPair.AddressB, 9, 5000);
            Assert.NotNull(client);
            Assert.Equal(TcpState.Closed, client.State);
            Assert.Equal(TcpError.Refused, client.Error);
        }
    }
}
