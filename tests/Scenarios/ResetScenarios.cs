// RST handling (RFC 9293 3.10.7.4 step 2, 3.5.3), RFC 5961 challenge ACKs (sections 3-5, rate limit
// section 7), and what the application's Abort and Close do.
using NanoTcp.Tcp;
using NanoTcp.Wire;

namespace NanoTcp.Scenarios
{
    public static class ResetScenarios
    {
        private const int Ack = TcpFlags.Ack, Syn = TcpFlags.Syn, Fin = TcpFlags.Fin, Rst = TcpFlags.Rst, Psh = TcpFlags.Psh;

        public static void RstAtExactlyRcvNxtResets()
        {
            var h = new SegmentHarness();
            TcpConnection c = States.Established(h);
            h.Inject(Rst, 5001, 0, 0);
            h.ExpectNothing();
            States.ExpectState(TcpState.Closed, c);
            Check.Equal(TcpErrorNames.Name(TcpError.Reset), TcpErrorNames.Name(c.Error), "error");
        }

        public static void RstInsideTheWindowGetsAChallengeAck()
        {
            var h = new SegmentHarness();
            TcpConnection c = States.Established(h);
            h.Inject(Rst, 5002, 0, 0);
            h.Expect(Ack, 1001, 5001);
            States.ExpectState(TcpState.Established, c);
        }

        public static void RstOutsideTheWindowIsDroppedSilently()
        {
            var h = new SegmentHarness();
            TcpConnection c = States.Established(h);
            h.Inject(Rst, 5001 + 100000, 0, 0);
            h.Inject(Rst, 5000, 0, 0);
            h.ExpectNothing();
            States.ExpectState(TcpState.Established, c);
        }

        public static void SynInEstablishedGetsAChallengeAck()
        {
            var h = new SegmentHarness();
            TcpConnection c = States.Established(h);
            h.InjectSyn(5001, 1460); // in window
            h.Expect(Ack, 1001, 5001);
            h.InjectSyn(9999999, 1460); // out of window
            h.Expect(Ack, 1001, 5001);
            States.ExpectState(TcpState.Established, c);
        }

        /// <summary>RFC 5961 5.2: ACKs above SND.MAX or below SND.UNA - MAX.SND.WND are dropped with a challenge ACK.</summary>
        public static void UnacceptableAcksGetAChallengeAckAndTheirDataIsDropped()
        {
            var h = new SegmentHarness();
            TcpConnection c = States.Established(h);
            h.InjectData(Psh | Ack, 5001, 2000, 65535, SegmentHarness.Bytes(5, 0)); // acks data never sent
            h.Expect(Ack, 1001, 5001);
            Check.Equal(0, c.BytesAvailable, "data of a bad-ACK segment is not taken");
            h.InjectData(Psh | Ack, 5001, unchecked(1001u - 70000u), 65535, SegmentHarness.Bytes(5, 0)); // far below SND.UNA - MAX.SND.WND
            h.Expect(Ack, 1001, 5001);
            Check.Equal(0, c.BytesAvailable, "still nothing");
            h.InjectData(Psh | Ack, 5001, 1001u - 1000u, 65535, SegmentHarness.Bytes(5, 0)); // old but inside MAX.SND.WND: fine
            Check.Equal(5, c.BytesAvailable, "data of an old-but-acceptable ACK is taken");
        }

        public static void ChallengeAcksAreRateLimited()
        {
            var h = new SegmentHarness();
            States.Established(h);
            int limit = h.Config.ChallengeAcksPerSecond;
            for (int i = 0; i < limit + 5; i++)
                h.Inject(Rst, 5002, 0, 0);
            for (int i = 0; i < limit; i++)
                h.Expect(Ack, 1001, 5001);
            h.ExpectNothing();
            Check.Equal(5, h.Engine.Counters.ChallengeAcksSuppressed, "suppressed");
            h.Advance(1000);
            h.Inject(Rst, 5002, 0, 0);
            h.Expect(Ack, 1001, 5001);
        }

        public static void SegmentWithoutFlagsIsDropped()
        {
            var h = new SegmentHarness();
            TcpConnection c = States.Established(h);
            h.InjectData(0, 5001, 0, 65535, SegmentHarness.Bytes(5, 0));
            h.ExpectNothing();
            Check.Equal(0, c.BytesAvailable, "no data taken from a segment without ACK");
            Check.Equal(1, h.Engine.Counters.DroppedNoAck, "counted");
        }

        public static void AbortSendsRstAndFreesTheSlot()
        {
            var h = new SegmentHarness();
            TcpConnection c = States.Established(h);
            h.Engine.Abort(c);
            h.Expect(Rst, 1001, 0);
            Check.Equal(0, h.Engine.ConnectionsInUse, "slot free");
        }

        /// <summary>RFC 1122 4.2.2.13: Close with unread data resets; so does data arriving after Close.</summary>
        public static void CloseWithUnreadDataResets()
        {
            var h = new SegmentHarness();
            TcpConnection c = States.Established(h);
            h.InjectData(Psh | Ack, 5001, 1001, 65535, SegmentHarness.Bytes(5, 0));
            h.Engine.Close(c);
            h.Expect(Rst, 1001, 0);
            Check.Equal(0, h.Engine.ConnectionsInUse, "slot free");
        }

        public static void DataAfterCloseResets()
        {
            var h = new SegmentHarness();
            States.FinWait1(h);
            h.InjectData(Psh | Ack, 5001, 1002, 65535, SegmentHarness.Bytes(5, 0));
            h.Expect(Rst, 1002, 0);
            Check.Equal(1, h.Engine.Counters.DataAfterClose, "counted");
            Check.Equal(0, h.Engine.ConnectionsInUse, "slot free");
        }

        public static void RstInTimeWaitCloses()
        {
            var h = new SegmentHarness();
            TcpConnection c = States.TimeWait(h);
            h.Inject(Rst, 5002, 0, 0);
            h.ExpectNothing();
            States.ExpectState(TcpState.Closed, c);
        }
    }
}
