using System;
using NanoTcp.Tcp;
using NanoTcp.Tests.Stack;
using NanoTcp.Wire;
using Xunit;
using Xunit.Abstractions;

namespace NanoTcp.Tests.Robustness
{
    /// <summary>RFC 5927's blind attack: someone who knows a connection's addresses and ports, but not its
    /// sequence numbers, floods ICMP "fragmentation needed" (MTU 68) and "port unreachable" for it while it
    /// transfers. The quoted sequence numbers miss [SND.UNA, SND.MAX), so nothing changes, every one is
    /// counted, and nothing is allocated.</summary>
    public sealed class ForgedIcmpTests
    {
        private readonly ITestOutputHelper _output;
        public ForgedIcmpTests(ITestOutputHelper output) => _output = output;

        [Fact]
        public void BlindIcmpErrorsNeitherShrinkNorEndATransfer()
        {
            var pair = new StackPair(seed: 5927);
            var attacker = new RawPeer(pair.Switch, "02:00:00:00:00:66", 0x0A000042);
            const int port = 7300;
            TcpListener listener = pair.B.Tcp.Listen(port, 1);
            TcpConnection c = pair.A.Tcp.Connect(pair.A.Address, StackPair.AddressB, port, 0);
            TcpConnection s = null;
            var data = new byte[200_000];
            new Random(2).NextBytes(data);
            var received = new byte[data.Length];
            int sent = 0, got = 0, steps = 0, forged = 0;
            long before = 0, after = 0;
            var random = new Random(3);
            var frame = new byte[14 + 20 + 8 + 28];
            bool done = pair.RunUntil(() => got == data.Length, 120_000, () =>
            {
                s ??= pair.B.Tcp.Accept(listener);
                while (c.IsConnected && sent < data.Length && c.SendSpace > 0)
                    sent += Math.Max(0, pair.A.Tcp.Send(c, data, sent, Math.Min(c.SendSpace, data.Length - sent)));
                int n;
                while (s != null && (n = pair.B.Tcp.Receive(s, received, got, data.Length - got)) > 0)
                    got += n;
                if (!c.IsConnected)
                    return;
                if (++steps == 100) before = ThreadAllocations.Start();
                for (int k = 0; k < 10; k++)
                {
                    Forge(frame, pair, attacker, c, k % 2 == 0 ? 4 : 3, (uint)random.Next() ^ ((uint)random.Next() << 16));
                    attacker.SendFrame(frame, frame.Length);
                    forged++;
                }
                after = GC.GetAllocatedBytesForCurrentThread();
            });
            _output.WriteLine($"forged ICMP: {forged} sent, {pair.A.Tcp.Counters.IcmpErrorsRejected} rejected, MSS {c.Mss}, {steps} steps; allocated {after - before} B");
            Assert.True(done, "transfer completed: " + TcpStateNames.Name(c.State));
            Assert.Equal(data, received);
            Assert.Equal(1460, c.Mss);
            Assert.Equal(0, pair.A.Tcp.Counters.IcmpMssLowered);
            Assert.True(forged > 1000, "the flood ran alongside the transfer");
            Assert.True(pair.A.Tcp.Counters.IcmpErrorsRejected >= forged - 10, "forged errors counted");
            Assert.Equal(0, after - before);
        }

        /// <summary>Destination unreachable (code 4 with next-hop MTU 68, or code 3) from a "router", quoting a
        /// segment of c with a guessed sequence number (RFC 792, RFC 1191 section 4).</summary>
        private static void Forge(byte[] frame, StackPair pair, RawPeer attacker, TcpConnection c, int code, uint guessedSeq)
        {
            Array.Copy(pair.NicA.Mac, 0, frame, 0, 6);
            Array.Copy(attacker.Nic.Mac, 0, frame, 6, 6);
            frame[12] = 0x08;
            frame[13] = 0x00;
            int icmp = 34, quoted = 42;
            Ipv4Packet.Emit(frame, 14, Ipv4Header.Create(attacker.Address, pair.A.Address, IpProtocol.Icmp, 8 + 28, 1));
            Ipv4Packet.Emit(frame, quoted, Ipv4Header.Create(pair.A.Address, c.RemoteAddress, IpProtocol.Tcp, 20, 2));
            NetworkOrder.WriteUInt16(frame, quoted + 20, c.LocalPort);
            NetworkOrder.WriteUInt16(frame, quoted + 22, c.RemotePort);
            NetworkOrder.WriteUInt32(frame, quoted + 24, guessedSeq);
            frame[icmp] = 3;
            frame[icmp + 1] = (byte)code;
            NetworkOrder.WriteUInt16(frame, icmp + 2, 0);
            NetworkOrder.WriteUInt16(frame, icmp + 4, 0);
            NetworkOrder.WriteUInt16(frame, icmp + 6, code == 4 ? 68 : 0);
            NetworkOrder.WriteUInt16(frame, icmp + 2, InternetChecksum.Compute(frame, icmp, 8 + 28));
        }
    }
}
