using System;
using System.Text;
using NanoTcp.Boards.Desktop;
using NanoTcp.Firmware.Services;
using NanoTcp.Tcp;
using NanoTcp.Tests.Stack;
using Xunit;
using Xunit.Abstractions;

namespace NanoTcp.Tests.Firmware
{
    /// <summary>The firmware's services over a simulated LAN: B runs them, A is the client.</summary>
    public sealed class FirmwareServicesTests
    {
        private readonly ITestOutputHelper _output;
        public FirmwareServicesTests(ITestOutputHelper output) => _output = output;

        private static (StackPair Pair, FirmwareServices Services) Lan()
        {
            var pair = new StackPair();
            return (pair, new FirmwareServices(pair.B));
        }

        private static byte[] Exchange(StackPair pair, FirmwareServices services, int port, byte[] request, int expect, bool shutdownAfterSend, int limitMs = 20000)
        {
            TcpConnection c = pair.A.Tcp.Connect(pair.A.Address, StackPair.AddressB, port, 0);
            var received = new System.Collections.Generic.List<byte>();
            var buffer = new byte[2048];
            int sent = 0;
            bool shut = false;
            pair.RunUntil(() => received.Count >= expect || (c.IsReceiveFinished && c.State != TcpState.SynSent), limitMs, () =>
            {
                services.Poll();
                if (c.IsConnected && sent < request.Length)
                    sent += Math.Max(0, pair.A.Tcp.Send(c, request, sent, request.Length - sent));
                if (sent == request.Length && shutdownAfterSend && !shut && c.IsConnected)
                {
                    pair.A.Tcp.Shutdown(c);
                    shut = true;
                }
                int n;
                while ((n = pair.A.Tcp.Receive(c, buffer, 0, buffer.Length)) > 0)
                    for (int i = 0; i < n; i++) received.Add(buffer[i]);
            });
            pair.A.Tcp.Close(c);
            return received.ToArray();
        }

        [Fact]
        public void HttpServesTheStatusPageInOneSegmentPlusFin()
        {
            var (pair, services) = Lan();
            byte[] page = Exchange(pair, services, ServicePorts.Http, Encoding.ASCII.GetBytes("GET / HTTP/1.0\r\nHost: x\r\n\r\n"), int.MaxValue, false);
            string text = Encoding.ASCII.GetString(page);
            Assert.StartsWith("HTTP/1.1 200 OK\r\n", text); // RFC 9110 6.2: the server's own version, to a 1.0 client too
            Assert.Contains("\r\nConnection: close\r\n", text);  // RFC 9112 9.3: 1.0 without keep-alive
            Assert.Contains($"\r\nContent-Length: {services.PageLength}\r\n", text);
            Assert.Contains("nanoTcp status", text);
            Assert.Contains("address: 10.0.0.2", text);
            Assert.Contains("connections:", text);
            Assert.Equal(1, services.HttpRequests);
            Assert.EndsWith("\r\n\r\n" + Encoding.ASCII.GetString(services.PageBuffer, 0, services.PageLength), text);
            // SYN-ACK, the whole page in one segment (it fits one MSS), its FIN (merged when the page is still
            // queued at Close, separate when it already left), the last ACK
            Assert.InRange(pair.B.Tcp.Counters.SegmentsSent, 3, 4);
        }

        [Fact]
        public void EchoReturnsEverythingAndClosesAfterThePeer()
        {
            var (pair, services) = Lan();
            var data = new byte[20000];
            new Random(1).NextBytes(data);
            byte[] back = Exchange(pair, services, ServicePorts.Echo, data, data.Length, true);
            Assert.Equal(data, back);
            Assert.Equal(data.Length, services.EchoedBytes);
        }

        [Fact]
        public void DiscardCountsAndChecksumsWhatItTakes()
        {
            var (pair, services) = Lan();
            var data = new byte[30000];
            new Random(2).NextBytes(data);
            Exchange(pair, services, ServicePorts.Discard, data, int.MaxValue, true);
            pair.RunUntil(() => services.DiscardedBytes == data.Length, 5000, services.Poll);
            Assert.Equal(data.Length, services.DiscardedBytes);
            Assert.Equal(RunningChecksum.Add(0, data, 0, data.Length), services.DiscardChecksum);
        }

        [Fact]
        public void DiscardChecksumIsSumTimes31PlusEachByteInAnyChunking()
        {
            var data = new byte[300];
            new Random(3).NextBytes(data);
            for (int offset = 0; offset < 5; offset++)
                for (int length = 0; length <= data.Length - offset; length += 1 + length / 8)
                {
                    uint expected = 7; // the definition, one byte at a time, from a non-zero start
                    for (int i = 0; i < length; i++)
                        expected = unchecked(expected * 31 + data[offset + i]);
                    Assert.Equal(expected, RunningChecksum.Add(7, data, offset, length));
                    int half = length / 3;
                    Assert.Equal(expected, RunningChecksum.Add(RunningChecksum.Add(7, data, offset, half), data, offset + half, length - half));
                }
        }

        [Fact]
        public void ChargenSendsTheRfc864Pattern()
        {
            var (pair, services) = Lan();
            byte[] got = Exchange(pair, services, ServicePorts.Chargen, Array.Empty<byte>(), 10000, false);
            Assert.True(got.Length >= 10000);
            // RFC 864: the 95 printing characters from ' ' (32) form a ring; line 0 holds characters 0-71, then CR LF;
            // line N starts at character N.
            Assert.Equal(" !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefg\r\n", Encoding.ASCII.GetString(got, 0, 74));
            Assert.Equal('!', (char)got[74]);
            for (int i = 0; i < got.Length; i++)
                Assert.Equal(FirmwareServices.ChargenByte(i % FirmwareServices.ChargenCycle), got[i]);
        }
    }
}
