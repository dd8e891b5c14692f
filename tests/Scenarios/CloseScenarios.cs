// Closing: RFC 9293 3.6 (figures 12-14) and 3.10.4; TIME_WAIT: 3.4.2, RFC 6191, RFC 1122 4.2.2.13.
using NanoTcp.Tcp;
using NanoTcp.Wire;

namespace NanoTcp.Scenarios
{
    public static class CloseScenarios
    {
        private const int Ack = TcpFlags.Ack, Syn = TcpFlags.Syn, Fin = TcpFlags.Fin, Rst = TcpFlags.Rst, Psh = TcpFlags.Psh;

        /// <summary>The side that closes first walks FIN_WAIT_1, FIN_WAIT_2, TIME_WAIT (2 MSL), CLOSED.</summary>
        public static void FourWayCloseActiveSide()
        {
            var h = new SegmentHarness();
            TcpConnection c = States.FinWait1(h);
            h.Inject(Ack, 5001, 1002, 65535);
            h.ExpectNothing();
            States.ExpectState(TcpState.FinWait2, c);
            h.Inject(Fin | Ack, 5001, 1002, 65535);
            h.Expect(Ack, 1002, 5002);
            States.ExpectState(TcpState.TimeWait, c);
            h.Advance(2 * h.Config.MslMs - 1);
            States.ExpectState(TcpState.TimeWait, c);
            h.Advance(1);
            States.ExpectState(TcpState.Closed, c);
            Check.Equal(0, h.Engine.ConnectionsInUse, "slot free after TIME_WAIT");
            h.ExpectNothing();
        }

        /// <summary>The side that closes second walks CLOSE_WAIT, LAST_ACK, CLOSED.</summary>
        public static void FourWayClosePassiveSide()
        {
            var h = new SegmentHarness();
            TcpConnection c = States.CloseWait(h);
            Check.True(c.IsReceiveFinished, "end of stream seen");
            h.Engine.Close(c);
            h.Expect(Fin | Ack, 1001, 5002);
            States.ExpectState(TcpState.LastAck, c);
            h.Inject(Ack, 5002, 1002, 65535);
            h.ExpectNothing();
            States.ExpectState(TcpState.Closed, c);
            Check.Equal(TcpErrorNames.Name(TcpError.None), TcpErrorNames.Name(c.Error), "graceful");
            Check.Equal(0, h.Engine.ConnectionsInUse, "slot free");
        }

        /// <summary>The passive side answers FIN with FIN+ACK at once: three segments in all.</summary>
        public static void ThreeSegmentClose()
        {
            var h = new SegmentHarness();
            TcpConnection c = States.Established(h);
            h.Inject(Fin | Ack, 5001, 1001, 65535);
            h.ExpectNothing();
            h.Engine.Close(c);
            h.Expect(Fin | Ack, 1001, 5002);
            h.ExpectNothing();
            h.Inject(Ack, 5002, 1002, 65535);
            States.ExpectState(TcpState.Closed, c);
        }

        /// <summary>RFC 9293 figure 13: FINs cross; both sides pass CLOSING to TIME_WAIT.</summary>
        public static void SimultaneousCloseThroughClosing()
        {
            var h = new SegmentHarness();
            TcpConnection c = States.FinWait1(h);
            h.Inject(Fin | Ack, 5001, 1001, 65535);
            h.Expect(Ack, 1002, 5002);
            States.ExpectState(TcpState.Closing, c);
            h.Inject(Ack, 5002, 1002, 65535);
            States.ExpectState(TcpState.TimeWait, c);
            h.ExpectNothing();
        }

        public static void FinCarryingData()
        {
            var h = new SegmentHarness();
            TcpConnection c = States.Established(h);
            h.InjectData(Fin | Psh | Ack, 5001, 1001, 65535, SegmentHarness.Bytes(4, 9));
            States.ExpectState(TcpState.CloseWait, c);
            Check.Equal(4, c.BytesAvailable, "data before the FIN");
            Check.False(c.IsReceiveFinished, "not finished before the data is read");
            h.Advance(h.Config.DelayedAckMs);
            h.Expect(Ack, 1001, 5006);
            var read = new byte[8];
            Check.Equal(4, h.Engine.Receive(c, read, 0, 8), "read");
            Check.True(c.IsReceiveFinished, "finished after reading");
        }

        /// <summary>A FIN beyond a hole counts only once the hole is filled.</summary>
        public static void FinAheadOfAHoleWaitsForTheHole()
        {
            var h = new SegmentHarness();
            TcpConnection c = States.Established(h);
            h.InjectData(Fin | Ack, 5011, 1001, 65535, SegmentHarness.Bytes(10, 10));
            h.Expect(Ack, 1001, 5001); // duplicate ACK: a hole at 5001
            States.ExpectState(TcpState.Established, c);
            Check.Equal(0, c.BytesAvailable, "nothing in order yet");
            h.InjectData(Ack, 5001, 1001, 65535, SegmentHarness.Bytes(10, 0));
            h.Expect(Ack, 1001, 5022);
            States.ExpectState(TcpState.CloseWait, c);
            var read = new byte[32];
            Check.Equal(20, h.Engine.Receive(c, read, 0, 32), "both segments, in order");
            Check.Equal(0, read[0], "first byte");
            Check.Equal(10, read[10], "first byte of the second segment");
        }

        /// <summary>After the peer's FIN, this side still sends until it closes.</summary>
        public static void HalfCloseKeepsSendingInCloseWait()
        {
            var h = new SegmentHarness();
            TcpConnection c = States.Established(h);
            h.Inject(Fin | Ack, 5001, 1001, 65535);
            States.ExpectState(TcpState.CloseWait, c);
            Check.Equal(10, h.Engine.Send(c, SegmentHarness.Bytes(10, 0), 0, 10), "send in CLOSE_WAIT");
            TcpSegment data = h.Expect(Psh | Ack, 1001, 5002);
            Check.Equal(10, data.PayloadLength, "payload");
            h.Inject(Ack, 5002, 1011, 65535);
            h.Engine.Close(c);
            h.Expect(Fin | Ack, 1011, 5002);
            h.Inject(Ack, 5002, 1012, 65535);
            States.ExpectState(TcpState.Closed, c);
        }

        /// <summary>Shutdown sends FIN but keeps receiving (FIN_WAIT_2 still takes data).</summary>
        public static void ShutdownStillReceives()
        {
            var h = new SegmentHarness();
            TcpConnection c = States.Established(h);
            h.Engine.Shutdown(c);
            h.Expect(Fin | Ack, 1001, 5001);
            Check.Equal(-1, h.Engine.Send(c, SegmentHarness.Bytes(1, 0), 0, 1), "no sending after shutdown");
            h.Inject(Ack, 5001, 1002, 65535);
            States.ExpectState(TcpState.FinWait2, c);
            h.InjectData(Psh | Ack, 5001, 1002, 65535, SegmentHarness.Bytes(6, 0));
            Check.Equal(6, c.BytesAvailable, "data in FIN_WAIT_2");
        }

        public static void TimeWaitReAcksRetransmittedFinAndRestartsTimer()
        {
            var h = new SegmentHarness();
            TcpConnection c = States.TimeWait(h);
            h.Advance(30000);
            h.Inject(Fin | Ack, 5001, 1002, 65535);
            h.Expect(Ack, 1002, 5002);
            h.Advance(2 * h.Config.MslMs - 1);
            States.ExpectState(TcpState.TimeWait, c);
            h.Advance(1);
            States.ExpectState(TcpState.Closed, c);
        }

        /// <summary>RFC 6191: a SYN above the old RCV.NXT reopens the pair, with an ISN above all the old one sent.</summary>
        public static void TimeWaitReopenedByHigherSyn()
        {
            var h = new SegmentHarness();
            States.TimeWait(h);
            h.InjectSyn(9000, 1460);
            TcpSegment synAck = h.Expect(Syn | Ack, 1002 + 65536, 9001);
            Check.Equal(1460, synAck.MaximumSegmentSize, "MSS");
            Check.Equal(1, h.Engine.Counters.TimeWaitReopened, "reopened");
            h.Inject(Ack, 9001, 1002 + 65537, 65535);
            TcpConnection again = h.Engine.Accept(h.Engine.FindListener(SegmentHarness.OurPort));
            Check.NotNull(again, "the new incarnation is accepted");
            States.ExpectState(TcpState.Established, again);
        }

        /// <summary>SYNs at the window edges in TIME_WAIT: at or below RCV.NXT they are old duplicates
        /// (answered with an ACK), above it they reopen.</summary>
        public static void TimeWaitSynAtTheWindowEdges()
        {
            uint rcvNxt = 5002;
            int window = new TcpConfig().ReceiveBufferSize;
            uint[] seqs = { rcvNxt - 1, rcvNxt, rcvNxt + (uint)window - 1, rcvNxt + (uint)window };
            bool[] reopens = { false, false, true, true };
            for (int i = 0; i < seqs.Length; i++)
            {
                var h = new SegmentHarness();
                TcpConnection c = States.TimeWait(h);
                h.InjectSyn(seqs[i], 1460);
                if (reopens[i])
                {
                    h.Expect(Syn | Ack, 1002 + 65536, seqs[i] + 1);
                }
                else
                {
                    h.Expect(Ack, 1002, 5002);
                    States.ExpectState(TcpState.TimeWait, c);
                }
            }
        }

        /// <summary>The table is full of TIME_WAIT: the oldest is recycled before a new open is refused.</summary>
        public static void OldestTimeWaitIsRecycledWhenTheTableIsFull()
        {
            var config = new TcpConfig();
            config.MaxConnections = 2;
            var h = new SegmentHarness(config);
            States.TimeWait(h);
            h.Advance(1000);
            // A second connection from another peer port, also to TIME_WAIT.
            TcpConnection second = h.Engine.Connect(SegmentHarness.LocalAddress, SegmentHarness.RemoteAddress, 41000, 8000);
            h.Expect(Syn, 1000, 0);
            h.Inject(Syn | Ack, 7000, 1001, 65535, null, 1460, 0, 41000, 8000);
            h.Expect(Ack, 1001, 7001);
            h.Engine.Close(second);
            h.Expect(Fin | Ack, 1001, 7001);
            h.Inject(Fin | Ack, 7001, 1002, 65535, null, 0, 0, 41000, 8000);
            h.Expect(Ack, 1002, 7002);
            States.ExpectState(TcpState.TimeWait, second);
            Check.Equal(2, h.Engine.ConnectionsInUse, "table full of TIME_WAIT");

            TcpConnection third = h.Engine.Connect(SegmentHarness.LocalAddress, SegmentHarness.RemoteAddress, 42000, 9000);
            Check.NotNull(third, "a slot was recycled");
            h.Expect(Syn, 1000, 0);
            Check.Equal(1, h.Engine.Counters.TimeWaitRecycled, "recycled");
            States.ExpectState(TcpState.TimeWait, second); // the younger one stays
        }
    }
}
