using System;
using System.Collections.Generic;
using System.Text;
using NanoTcp.Firmware.Services;
using NanoTcp.Tcp;
using NanoTcp.Tests.Stack;
using Xunit;

namespace NanoTcp.Tests.Firmware
{
    /// <summary>Chargen's copied pattern (issue 12) and the status page's configuration line, over a simulated LAN.</summary>
    public sealed class ChargenPatternTests
    {
        /// <summary>Connects A to B's service, sends request, reads until expect bytes came or the stream ended.</summary>
        private static byte[] Fetch(StackPair pair, FirmwareServices services, int port, byte[] request, int expect)
        {
            TcpConnection c = pair.A.Tcp.Connect(pair.A.Address, StackPair.AddressB, port, 0);
            var received = new List<byte>();
            var buffer = new byte[1000]; // odd-sized reads: the sender's chunks and ours never line up
            bool sent = false;
            pair.RunUntil(() => received.Count >= expect || (c.IsReceiveFinished && c.State != TcpState.SynSent), 60000, () =>
            {
                services.Poll();
                if (c.IsConnected && !sent && request.Length > 0)
                    sent = pair.A.Tcp.Send(c, request, 0, request.Length) == request.Length;
                int n;
                while ((n = pair.A.Tcp.Receive(c, buffer, 0, 333)) > 0)
                    for (int i = 0; i < n; i++) received.Add(buffer[i]);
            });
            pair.A.Tcp.Close(c);
            return received.ToArray();
        }

        [Fact]
        public void ChargenFollowsTheRfc864RingOverThreeFullCycles()
        {
            var pair = new StackPair();
            var services = new FirmwareServices(pair.B);
            const int lines = 95 * 3 + 7;
            byte[] got = Fetch(pair, services, ServicePorts.Chargen, Array.Empty<byte>(), lines * 74);
            Assert.True(got.Length >= lines * 74, "received " + got.Length);
            // RFC 864: the 95 printing characters (codes 32-126) in a ring; each line is 72 of them then CR LF,
            // and each line starts one character further along the ring than the line before.
            for (int line = 0; line < lines; line++)
            {
                var expected = new StringBuilder();
                for (int k = 0; k < 72; k++)
                    expected.Append((char)(32 + (line + k) % 95));
                expected.Append("\r\n");
                Assert.Equal(expected.ToString(), Encoding.ASCII.GetString(got, line * 74, 74));
            }
        }

        [Fact]
        public void TheStatusPageShowsTheTcpConfigurationInForce()
        {
            var config = new StackConfig();
            config.Tcp.MaxConnections = 6;
            config.Tcp.SendBufferSize = 4096;
            config.Tcp.ReceiveBufferSize = 3000;
            var pair = new StackPair(configB: config);
            var services = new FirmwareServices(pair.B);
            byte[] page = Fetch(pair, services, ServicePorts.Http, Encoding.ASCII.GetBytes("GET / HTTP/1.0\r\n\r\n"), int.MaxValue);
            Assert.Contains("tcp config: 6 connections, send ring 4096 B, receive ring 3000 B, mss 1460\r\n", Encoding.ASCII.GetString(page));
        }
    }
}
