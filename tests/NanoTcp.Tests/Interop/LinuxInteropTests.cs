using System;
using System.Linq;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using NanoTcp.Firmware.Services;
using NanoTcp.Tcp;
using TcpState = NanoTcp.Tcp.TcpState;
using TcpListener = System.Net.Sockets.TcpListener;
using NanoTcp.Boards.Desktop;
using Xunit;

namespace NanoTcp.Tests.Interop
{
    /// <summary>The stack against the Linux kernel's TCP/IP over a TAP device (issue 6).</summary>
    [Trait("Category", "Interop")]
    public sealed class LinuxInteropTests : IClassFixture<TapLab>
    {
        private readonly TapLab _lab;

        public LinuxInteropTests(TapLab lab) => _lab = lab;

        private void Require() => Skip.IfNot(_lab.CanRun, _lab.Reason);

        private Socket ConnectFromLinux(int port)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 20000, SendTimeout = 20000 };
            socket.Connect(new IPEndPoint(IPAddress.Parse(_lab.StackIp), port));
            return socket;
        }

        private static byte[] ReadToEnd(Socket socket, int limit)
        {
            var data = new System.Collections.Generic.List<byte>();
            var buffer = new byte[65536];
            int n;
            while (data.Count < limit && (n = socket.Receive(buffer)) > 0)
                data.AddRange(buffer.Take(n));
            return data.ToArray();
        }

        private static TcpState LinuxState(int localPort)
        {
            var c = IPGlobalProperties.GetIPGlobalProperties().GetActiveTcpConnections().FirstOrDefault(t => t.LocalEndPoint.Port == localPort);
            return c == null ? TcpState.Closed : c.State switch
            {
                System.Net.NetworkInformation.TcpState.TimeWait => TcpState.TimeWait,
                System.Net.NetworkInformation.TcpState.Established => TcpState.Established,
                _ => TcpState.Listen,
            };
        }

        private TcpConnection StackConnectionTo(int remotePort)
        {
            for (int i = 0; i < _lab.Stack.Tcp.ConnectionCount; i++)
            {
                TcpConnection c = _lab.Stack.Tcp.ConnectionAt(i);
                if (c.RemotePort == remotePort && c.State != TcpState.Closed)
                    return c;
            }
            return null;
        }

        [SkippableFact]
        public void LinuxPingsTheStack()
        {
            Require();
            using var ping = new Ping();
            for (int i = 0; i < 3; i++)
            {
                PingReply reply = ping.Send(IPAddress.Parse(_lab.StackIp), 2000, new byte[56]);
                Assert.Equal(IPStatus.Success, reply.Status);
            }
        }

        [SkippableFact]
        public void LinuxEchoesDataBothWaysAndClosesFirstSoLinuxHoldsTimeWait()
        {
            Require();
            var data = new byte[200_000];
            new Random(1).NextBytes(data);
            using Socket s = ConnectFromLinux(ServicePorts.Echo);
            int localPort = ((IPEndPoint)s.LocalEndPoint).Port;
            byte[] echoed = null;
            var reader = new Thread(() => echoed = ReadToEnd(s, data.Length));
            reader.Start();
            s.Send(data);
            reader.Join(30000);
            Assert.Equal(data, echoed);
            s.Shutdown(SocketShutdown.Both);
            s.Close();
            Thread.Sleep(300);
            Assert.Equal(TcpState.TimeWait, LinuxState(localPort));
            Assert.Null(StackConnectionTo(localPort)); // LAST_ACK done: our side is CLOSED and free
        }

        [SkippableFact]
        public void TheStackClosesFirstAndHoldsTimeWait()
        {
            Require();
            using Socket s = ConnectFromLinux(ServicePorts.Http);
            int localPort = ((IPEndPoint)s.LocalEndPoint).Port;
            s.Send(Encoding.ASCII.GetBytes("GET / HTTP/1.0\r\n\r\n"));
            string page = Encoding.ASCII.GetString(ReadToEnd(s, 100_000));
            Assert.Contains("nanoTcp status", page);
            s.Close();
            Thread.Sleep(300);
            TcpConnection ours = StackConnectionTo(localPort);
            Assert.NotNull(ours);
            Assert.Equal(TcpState.TimeWait, ours.State);
            Assert.NotEqual(TcpState.TimeWait, LinuxState(localPort));
        }

        [SkippableFact]
        public void HalfCloseFromLinuxStillGetsEverythingBack()
        {
            Require();
            var data = new byte[50_000];
            new Random(2).NextBytes(data);
            using Socket s = ConnectFromLinux(ServicePorts.Echo);
            s.Send(data);
            s.Shutdown(SocketShutdown.Send); // our side sees FIN, keeps sending the echo (CLOSE_WAIT)
            byte[] echoed = ReadToEnd(s, int.MaxValue);
            Assert.Equal(data, echoed);
        }

        [SkippableFact]
        public void TheStackConnectsToALinuxServer()
        {
            Require();
            var listener = new TcpListener(IPAddress.Parse(_lab.LinuxIp), 7007);
            listener.Start();
            var server = new Thread(() =>
            {
                using var peer = listener.AcceptSocket();
                var buffer = new byte[65536];
                int n;
                while ((n = peer.Receive(buffer)) > 0)
                    peer.Send(buffer, n, SocketFlags.None);
            });
            server.Start();
            TcpConnection c = _lab.Runner.Connect(_lab.LinuxAddress, 7007, 5000);
            Assert.True(c.IsConnected, "state " + TcpStateNames.Name(c.State) + ", " + TcpErrorNames.Name(c.Error));
            var data = new byte[100_000];
            new Random(3).NextBytes(data);
            var back = new byte[data.Length];
            int got = 0;
            var reader = new Thread(() =>
            {
                int n;
                while (got < back.Length && (n = _lab.Runner.Read(c, back, got, back.Length - got, 20000)) > 0)
                    got += n;
            });
            reader.Start();
            Assert.Equal(data.Length, _lab.Runner.Write(c, data, 0, data.Length, 20000));
            reader.Join(30000);
            Assert.Equal(data, back);
            _lab.Runner.Close(c);
            server.Join(5000);
            listener.Stop();
        }

        [SkippableFact]
        public void ClosedPortsAreResetBothWays()
        {
            Require();
            var e = Assert.Throws<SocketException>(() => ConnectFromLinux(5555));
            Assert.Equal(SocketError.ConnectionRefused, e.SocketErrorCode);
            TcpConnection c = _lab.Runner.Connect(_lab.LinuxAddress, 5556, 5000);
            Assert.Equal(TcpState.Closed, c.State);
            Assert.Equal(TcpError.Refused, c.Error);
        }

        [SkippableFact]
        public void TenMegabytesIntoDiscardArriveIntact()
        {
            Require();
            const int Total = 10 * 1024 * 1024;
            var data = new byte[Total];
            new Random(4).NextBytes(data);
            long before;
            uint checksumBefore;
            Monitor.Enter(_lab.Runner.Lock);
            try { before = _lab.Services.DiscardedBytes; checksumBefore = _lab.Services.DiscardChecksum; }
            finally { Monitor.Exit(_lab.Runner.Lock); }
            Assert.Equal(0, before); // the checksum below runs from the first byte discarded
            using Socket s = ConnectFromLinux(ServicePorts.Discard);
            s.Send(data);
            s.Shutdown(SocketShutdown.Send);
            Assert.Empty(ReadToEnd(s, 1)); // our FIN comes once everything was taken
            Monitor.Enter(_lab.Runner.Lock);
            try
            {
                Assert.Equal(Total, _lab.Services.DiscardedBytes);
                Assert.Equal(RunningChecksum.Add(checksumBefore, data, 0, Total), _lab.Services.DiscardChecksum);
            }
            finally { Monitor.Exit(_lab.Runner.Lock); }
        }

        [SkippableFact]
        public void TenMegabytesFromChargenFollowTheRfc864Pattern()
        {
            Require();
            const int Total = 10 * 1024 * 1024;
            using Socket s = ConnectFromLinux(ServicePorts.Chargen);
            byte[] got = ReadToEnd(s, Total);
            Assert.True(got.Length >= Total);
            for (int i = 0; i < Total; i++)
                if (got[i] != FirmwareServices.ChargenByte(i % FirmwareServices.ChargenCycle))
                    Assert.Fail($"byte {i} is {got[i]}");
        }

        [SkippableFact]
        public void CurlFetchesTheStatusPage()
        {
            Require();
            var (code, output) = HostCommand.Run("curl", $"-s -m 10 http://{_lab.StackIp}/");
            Assert.True(code == 0, output);
            Assert.Contains("nanoTcp status", output);
            Assert.Contains("tcp segments in", output);
        }
    }
}
