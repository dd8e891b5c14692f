using System;
using System.Collections.Generic;
using NanoTcp.Boards.Desktop;
using NanoTcp.Firmware.Services;
using NanoTcp.Link;
using NanoTcp.Scenarios;
using NanoTcp.Tcp;
using Xunit;

namespace NanoTcp.Tests.Firmware
{
    /// <summary>What the services' side sends when QuietPoll runs the stack and the services at the default
    /// configuration (2 KB rings), segment by segment, in virtual time. The peer fills the 2 KB ring; the
    /// service takes it all in the same step. The ACK the full ring owes (RFC 1122 4.2.3.2: the peer can
    /// send nothing more until it comes) must carry the window that read opened (RFC 9293 3.8.6.2.2), not
    /// announce a shut window followed by a separate window update; echo's reply data carries both.</summary>
    public sealed class QuietPollSegmentTests
    {
        private const uint Client = 0x0A000001, Server = 0x0A000002;

        /// <summary>Records the TCP header fields of every frame the server sends.</summary>
        private sealed class RecordingDevice : INetworkDevice
        {
            private readonly INetworkDevice _inner;
            public readonly List<(int SourcePort, uint Ack, int Window, int Payload, int Flags)> Sent = new();
            public RecordingDevice(INetworkDevice inner) => _inner = inner;
            public int Mtu => _inner.Mtu;
            public bool IsLinkUp => _inner.IsLinkUp;
            public void CopyMacAddress(byte[] destination, int offset) => _inner.CopyMacAddress(destination, offset);
            public int Receive(byte[] buffer, int offset, int capacity) => _inner.Receive(buffer, offset, capacity);

            public bool Transmit(byte[] buffer, int offset, int length)
            {
                int ip = offset + 14;
                if (length >= 54 && buffer[offset + 12] == 0x08 && buffer[offset + 13] == 0 && buffer[ip + 9] == 6)
                {
                    int ipHeader = (buffer[ip] & 0x0F) * 4, total = buffer[ip + 2] << 8 | buffer[ip + 3];
                    int tcp = ip + ipHeader, tcpHeader = (buffer[tcp + 12] >> 4) * 4;
                    uint ack = (uint)(buffer[tcp + 8] << 24 | buffer[tcp + 9] << 16 | buffer[tcp + 10] << 8 | buffer[tcp + 11]);
                    Sent.Add((buffer[tcp] << 8 | buffer[tcp + 1], ack, buffer[tcp + 14] << 8 | buffer[tcp + 15],
                        total - ipHeader - tcpHeader, buffer[tcp + 13]));
                }
                return _inner.Transmit(buffer, offset, length);
            }
        }

        /// <summary>Sends data to port and reads what comes back until the server has taken it all and
        /// returned expectBack bytes; the server's TCP segments from port.</summary>
        private static List<(int SourcePort, uint Ack, int Window, int Payload, int Flags)> Run(int port, byte[] data, int expectBack, Func<FirmwareServices, long> taken)
        {
            var lan = new SimulatedSwitch(3);
            var client = new NetworkStack(lan.AddNic("client", "02:00:00:00:00:01"), new StackConfig(), new SeededRandom(1));
            var recorder = new RecordingDevice(lan.AddNic("server", "02:00:00:00:00:02"));
            var server = new NetworkStack(recorder, new StackConfig(), new SeededRandom(2));
            client.Configure(Client, 0xFFFFFF00, 0, 0);
            server.Configure(Server, 0xFFFFFF00, 0, 0);
            var services = new FirmwareServices(server);
            TcpConnection c = client.Tcp.Connect(Client, Server, port, 0);
            var buffer = new byte[4096];
            int sent = 0, back = 0;
            while (lan.Now < 5000 && (taken(services) < data.Length || back < expectBack))
            {
                long next = QuietPoll.Run(server, services.Poll, lan.Now);
                next = Math.Min(next, client.Poll(lan.Now));
                if (c.IsConnected && sent < data.Length)
                    sent += Math.Max(0, client.Tcp.Send(c, data, sent, data.Length - sent));
                int n;
                while ((n = client.Tcp.Receive(c, buffer, 0, buffer.Length)) > 0)
                    back += n;
                next = Math.Min(next, lan.NextDelivery);
                lan.Now = next > lan.Now && next != long.MaxValue ? next : lan.Now + 1;
            }
            Assert.Equal(data.Length, taken(services));
            Assert.Equal(expectBack, back);
            return recorder.Sent.FindAll(s => s.SourcePort == port && (s.Flags & 0x02) == 0); // after the SYN-ACK
        }

        [Fact]
        public void TheAckOfAFullRingIntoDiscardCarriesTheWindowTheServiceOpened()
        {
            var data = new byte[2048]; // exactly one default ring
            var segments = Run(ServicePorts.Discard, data, 0, s => s.DiscardedBytes);
            // The peer's segments (1460 + 588) left 588 B and then nothing free: each ACK the server sent
            // announces the whole ring again, since the service read before it left.
            Assert.NotEmpty(segments);
            foreach (var s in segments)
                Assert.True(s.Window >= 1460, $"ACK {s.Ack} announced window {s.Window}: a shut window, then an update");
            Assert.True(segments.Count <= 2, $"{segments.Count} pure ACKs for 2 segments");
        }

        [Fact]
        public void EchoRepliesCarryTheAckAndWindowWithTheData()
        {
            var data = new byte[2048];
            new Random(4).NextBytes(data);
            var segments = Run(ServicePorts.Echo, data, data.Length, s => s.EchoedBytes);
            int pureAcks = segments.FindAll(s => s.Payload == 0).Count;
            Assert.True(segments.Exists(s => s.Payload > 0));
            // Before the replies left, nothing was owed that they do not carry: no ACK of their own.
            Assert.True(pureAcks <= 1, $"{pureAcks} pure ACKs besides the echoed data: " +
                string.Join(", ", segments.ConvertAll(s => $"ack {s.Ack} win {s.Window} len {s.Payload}")));
        }
    }
}
