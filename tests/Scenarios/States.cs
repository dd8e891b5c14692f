// Factories that bring a connection into each RFC 9293 state through exact segments (smoltcp's
// socket_established() and friends). Our ISS is 1000, the peer's 5000: in ESTABLISHED we send from
// 1001 and expect 5001.
using NanoTcp.Tcp;
using NanoTcp.Wire;

namespace NanoTcp.Scenarios
{
    public static class States
    {
        public const int Ack = TcpFlags.Ack;
        public const int Syn = TcpFlags.Syn;
        public const int Fin = TcpFlags.Fin;
        public const int Rst = TcpFlags.Rst;
        public const int Psh = TcpFlags.Psh;

        /// <summary>A listener on OurPort that has answered the peer's SYN (SYN_RECEIVED).</summary>
        public static TcpListener SynReceived(SegmentHarness h)
        {
            TcpListener listener = h.Engine.Listen(SegmentHarness.OurPort, 2);
            Check.NotNull(listener, "listener");
            h.InjectSyn(SegmentHarness.RemoteIss, 1460);
            TcpSegment synAck = h.Expect(Syn | Ack, SegmentHarness.LocalIss, SegmentHarness.RemoteIss + 1);
            Check.Equal(1460, synAck.MaximumSegmentSize, "MSS option in the SYN-ACK");
            Check.Equal(h.Config.ReceiveBufferSize, synAck.Window, "SYN-ACK window = receive ring");
            return listener;
        }

        /// <summary>A passive open completed and accepted.</summary>
        public static TcpConnection Established(SegmentHarness h)
        {
            TcpListener listener = SynReceived(h);
            h.Inject(Ack, 5001, 1001, 65535);
            h.ExpectNothing();
            TcpConnection c = h.Engine.Accept(listener);
            Check.NotNull(c, "accepted connection");
            Check.Equal(TcpStateNames.Name(TcpState.Established), TcpStateNames.Name(c.State), "state");
            return c;
        }

        /// <summary>An active open completed (we sent the SYN).</summary>
        public static TcpConnection EstablishedActive(SegmentHarness h)
        {
            TcpConnection c = h.Engine.Connect(SegmentHarness.LocalAddress, SegmentHarness.RemoteAddress, SegmentHarness.PeerPort, SegmentHarness.OurPort);
            Check.NotNull(c, "connection");
            h.Expect(Syn, 1000, 0);
            h.Inject(Syn | Ack, 5000, 1001, 65535, null, 1460, 0, SegmentHarness.PeerPort, SegmentHarness.OurPort);
            h.Expect(Ack, 1001, 5001);
            ExpectState(TcpState.Established, c);
            return c;
        }

        public static TcpConnection FinWait1(SegmentHarness h)
        {
            TcpConnection c = Established(h);
            h.Engine.Close(c);
            h.Expect(Fin | Ack, 1001, 5001);
            ExpectState(TcpState.FinWait1, c);
            return c;
        }

        public static TcpConnection FinWait2(SegmentHarness h)
        {
            TcpConnection c = FinWait1(h);
            h.Inject(Ack, 5001, 1002, 65535);
            h.ExpectNothing();
            ExpectState(TcpState.FinWait2, c);
            return c;
        }

        public static TcpConnection TimeWait(SegmentHarness h)
        {
            TcpConnection c = FinWait2(h);
            h.Inject(Fin | Ack, 5001, 1002, 65535);
            h.Expect(Ack, 1002, 5002);
            ExpectState(TcpState.TimeWait, c);
            return c;
        }

        public static TcpConnection CloseWait(SegmentHarness h)
        {
            TcpConnection c = Established(h);
            h.Inject(Fin | Ack, 5001, 1001, 65535);
            h.ExpectNothing(); // the ACK waits a little, for a FIN to ride with it
            h.Advance(h.Config.DelayedAckMs);
            h.Expect(Ack, 1001, 5002);
            ExpectState(TcpState.CloseWait, c);
            return c;
        }

        public static TcpConnection LastAck(SegmentHarness h)
        {
            TcpConnection c = CloseWait(h);
            h.Engine.Close(c);
            h.Expect(Fin | Ack, 1001, 5002);
            ExpectState(TcpState.LastAck, c);
            return c;
        }

        public static void ExpectState(TcpState expected, TcpConnection c)
        {
            Check.Equal(TcpStateNames.Name(expected), TcpStateNames.Name(c.State), "state");
        }
    }
}
