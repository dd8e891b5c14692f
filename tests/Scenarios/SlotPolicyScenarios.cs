// The slot policy (TcpEngine.Slots.cs) segment by segment: a completed cookie handshake reclaims the oldest
// half-open entry (RFC 4987), a handshake that finds no slot is refused with RST, a half-open entry lives
// HalfOpenTimeoutMs at most.
using NanoTcp.Tcp;
using NanoTcp.Wire;

namespace NanoTcp.Scenarios
{
    public static class SlotPolicyScenarios
    {
        private const int Ack = TcpFlags.Ack, Syn = TcpFlags.Syn, Rst = TcpFlags.Rst;
        private const int Port = SegmentHarness.OurPort;

        private static TcpConfig TwoSlots()
        {
            var config = new TcpConfig();
            config.MaxConnections = 2;
            config.MaxHalfOpen = 2;
            config.SynQueueLength = 2;
            config.MaxConnectionsPerPeer = 0; // the harness's peer is one address
            return config;
        }

        public static void CookieHandshakeReclaimsTheOldestHalfOpenSlot()
        {
            var h = new SegmentHarness(TwoSlots());
            TcpListener listener = h.Engine.Listen(Port, 2);
            h.Inject(Syn, 5000, 0, 65535, null, 1460, 0, 40000, Port);
            h.Expect(Syn | Ack, 1000, 5001);
            h.Advance(10);
            h.Inject(Syn, 7000, 0, 65535, null, 1460, 0, 40001, Port);
            h.Expect(Syn | Ack, 1000, 7001);
            Check.Equal(2, h.Engine.ConnectionsInUse, "two half-open entries fill the table");
            h.Inject(Syn, 9000, 0, 65535, null, 1460, 0, 40002, Port);
            uint cookie = h.Next().SequenceNumber; // no slot for a third: a cookie
            Check.Equal(2, h.Engine.ConnectionsInUse, "the cookie keeps nothing");
            h.Inject(Ack, 9001, cookie + 1, 65535, null, 0, 0, 40002, Port);
            TcpConnection c = h.Engine.Accept(listener);
            Check.NotNull(c, "the proved client has a connection");
            Check.Equal(40002, c.RemotePort, "it is the cookie's client");
            Check.Equal(1, h.Engine.Counters.HalfOpenDropped, "the oldest half-open entry gave way");
            h.ExpectNothing(); // silently: a spoofed source would only get one more frame
            h.Inject(Ack, 5001, 1001, 65535, null, 0, 0, 40000, Port);
            h.Expect(Rst, 1001, 0); // its ACK finds LISTEN and no valid cookie
            h.Inject(Ack, 7001, 1001, 65535, null, 0, 0, 40001, Port);
            Check.NotNull(h.Engine.Accept(listener), "the younger half-open entry completes");
        }

        public static void HandshakeThatFindsNoSlotIsRefusedWithRst()
        {
            var config = TwoSlots();
            config.MaxConnections = 1;
            var h = new SegmentHarness(config);
            TcpListener listener = h.Engine.Listen(Port, 2);
            h.Inject(Syn, 5000, 0, 65535, null, 1460, 0, 40000, Port);
            h.Expect(Syn | Ack, 1000, 5001);
            h.Inject(Ack, 5001, 1001, 65535, null, 0, 0, 40000, Port);
            TcpConnection held = h.Engine.Accept(listener);
            h.Inject(Syn, 9000, 0, 65535, null, 1460, 0, 40001, Port);
            uint cookie = h.Next().SequenceNumber;
            h.Inject(Ack, 9001, cookie + 1, 65535, null, 0, 0, 40001, Port);
            h.Expect(Rst, cookie + 1, 0); // RFC 9293: SEG.SEQ = SEG.ACK of the segment refused
            Check.Equal(1, h.Engine.Counters.ConnectionsRefused, "refused");
            Check.True(held.State == TcpState.Established, "a connection with progress is not reclaimed");
        }

        public static void HalfOpenEntryLivesAtMostItsTimeout()
        {
            var h = new SegmentHarness(TwoSlots());
            h.Engine.Listen(Port, 2);
            h.Inject(Syn, 5000, 0, 65535, null, 1460, 0, 40000, Port);
            h.Expect(Syn | Ack, 1000, 5001);
            h.Advance(h.Config.InitialRtoMs);
            h.Expect(Syn | Ack, 1000, 5001); // retransmitted once the RTO ran out
            h.Advance(h.Config.HalfOpenTimeoutMs - h.Config.InitialRtoMs);
            Check.Equal(0, h.Engine.ConnectionsInUse, "gone after HalfOpenTimeoutMs");
            Check.Equal(1, h.Engine.Counters.HalfOpenDropped, "counted");
            h.Advance(60000);
            h.ExpectNothing(); // and no SYN-ACK after it
        }
    }
}
