// Issue 12's correctness classes, each stated as exact segments from the RFC text: unacceptable
// segments are ACKed (RFC 9293 3.10.7.4), sequence numbers a zero-window or timed-out peer accepts,
// Karn and RFC 6298 5.7, bounded windows and timers, the FIN and RST after a rewound SND.NXT, RFC 6582's
// "recover", no ACK withheld in SYN-RECEIVED, zero-window peers bounded (RFC 6429), keepalive restarted
// only by acceptable segments, and the RST after the last retransmission (RFC 9293 3.10.5 / 3.8.3).
using NanoTcp.Tcp;
using NanoTcp.Wire;

namespace NanoTcp.Scenarios
{
    public static class CorrectnessScenarios
    {
        private const int Ack = TcpFlags.Ack, Syn = TcpFlags.Syn, Fin = TcpFlags.Fin, Rst = TcpFlags.Rst, Psh = TcpFlags.Psh;

        /// <summary>2000 bytes sent as 1460 + 540, none acknowledged.</summary>
        private static TcpConnection TwoSegmentsInFlight(SegmentHarness h)
        {
            TcpConnection c = States.Established(h);
            c.Nagle = false;
            h.Engine.Send(c, SegmentHarness.Bytes(2000, 0), 0, 2000);
            h.ExpectData(Ack, 1001, 5001, 1460);
            h.ExpectData(Psh | Ack, 2461, 5001, 540);
            return c;
        }

        /// <summary>The peer's window shut and 10 bytes waiting behind it.</summary>
        private static TcpConnection DataBehindAShutWindow(SegmentHarness h)
        {
            TcpConnection c = States.Established(h);
            h.Inject(Ack, 5001, 1001, 0);
            h.Engine.Send(c, SegmentHarness.Bytes(10, 0), 0, 10);
            h.ExpectNothing();
            return c;
        }

        /// <summary>Our receive ring full (window 0 announced), with ACKs sent at once.</summary>
        private static TcpConnection EstablishedWithFullRing(SegmentHarness h)
        {
            TcpConnection c = States.Established(h);
            c.DelayedAck = false;
            h.InjectData(Ack, 5001, 1001, 65535, SegmentHarness.Bytes(1460, 0));
            Check.Equal(588, h.Expect(Ack, 1001, 6461).Window, "window after 1460 unread bytes");
            h.InjectData(Ack, 6461, 1001, 65535, SegmentHarness.Bytes(588, 0));
            Check.Equal(0, h.Expect(Ack, 1001, 7049).Window, "ring full");
            return c;
        }

        /// <summary>1: a zero-window probe (a new byte at RCV.NXT) is not acceptable, and RFC 9293 3.10.7.4
        /// says an unacceptable segment is answered with an ACK: the prober learns the window is still shut.</summary>
        public static void ZeroWindowProbeIsAnsweredWithAnAck()
        {
            var h = new SegmentHarness();
            TcpConnection c = EstablishedWithFullRing(h);
            h.InjectData(Ack, 7049, 1001, 65535, SegmentHarness.Bytes(1, 0));
            Check.Equal(0, h.Expect(Ack, 1001, 7049).Window, "the probe's answer: window still 0");
            h.InjectData(Ack, 7049, 1001, 65535, SegmentHarness.Bytes(100, 0)); // more than a probe
            Check.Equal(0, h.Expect(Ack, 1001, 7049).Window, "data past a shut window is ACKed too");
            Check.Equal(2048, c.BytesAvailable, "nothing taken past the window");
        }

        /// <summary>2: while our probe byte sits beyond the peer's zero window, a segment without data must carry
        /// SEG.SEQ = SND.UNA: the peer accepts an empty segment only at its RCV.NXT (RFC 9293 3.10.7.4).</summary>
        public static void AcksDuringPersistCarrySndUna()
        {
            var h = new SegmentHarness();
            TcpConnection c = DataBehindAShutWindow(h);
            c.DelayedAck = false;
            h.Advance(1000);
            h.ExpectData(Ack, 1001, 5001, 1); // the probe
            h.Inject(Ack, 5001, 1001, 0);
            h.InjectData(Psh | Ack, 5001, 1001, 0, SegmentHarness.Bytes(10, 0));
            h.Expect(Ack, 1001, 5011); // not 1002, past the peer's window
        }

        /// <summary>3: RFC 6298 section 3 (Karn): a zero-window probe is answered only when the peer's application
        /// reads, so its ACK says nothing about the round trip; no sample from it.</summary>
        public static void PersistProbeTakesNoRttSample()
        {
            var config = new TcpConfig();
            config.MinRtoMs = 100;
            var h = new SegmentHarness(config);
            TcpConnection c = DataBehindAShutWindow(h); // SYN-ACK answered at once: SRTT 0, RTO 100
            Check.Equal(100, c.Rtt.RtoMs, "RTO from the handshake");
            h.Advance(100);
            h.ExpectData(Ack, 1001, 5001, 1);
            h.Advance(50);
            h.Inject(Ack, 5001, 1001, 0);
            h.Advance(150);
            h.ExpectData(Ack, 1001, 5001, 1);
            h.Inject(Ack, 5001, 1001, 0);
            h.Advance(100);
            h.Inject(Ack, 5001, 1001, 65535); // the peer's application read: the window opens
            h.ExpectData(Psh | Ack, 1001, 5001, 10);
            h.Advance(10);
            h.Inject(Ack, 5001, 1011, 65535);
            Check.Equal(0, c.Rtt.SmoothedRttMs, "no sample from the probes");
            Check.Equal(100, c.Rtt.RtoMs, "RTO unchanged");
        }

        /// <summary>3: a SYN-ACK sent again for the peer's retransmitted SYN is a retransmission (Karn: no sample),
        /// and with no sample after a retransmitted SYN-ACK the RTO is at least 3 s (RFC 6298 5.7).</summary>
        public static void SynAckResentForARetransmittedSynTakesNoSample()
        {
            var h = new SegmentHarness();
            TcpListener listener = h.Engine.Listen(SegmentHarness.OurPort, 2);
            h.InjectSyn(SegmentHarness.RemoteIss, 1460);
            h.Expect(Syn | Ack, 1000, 5001);
            h.Advance(500);
            h.InjectSyn(SegmentHarness.RemoteIss, 1460); // the peer did not get our SYN-ACK
            h.Expect(Syn | Ack, 1000, 5001);
            h.Advance(20);
            h.Inject(Ack, 5001, 1001, 65535);
            TcpConnection c = h.Engine.Accept(listener);
            Check.NotNull(c, "accepted");
            Check.False(c.Rtt.HasSample, "no sample: which SYN-ACK was answered is unknown");
            Check.Equal(3000, c.Rtt.RtoMs, "RFC 6298 5.7: RTO re-initialized to 3 s");
        }

        /// <summary>3: RFC 6298 5.7 for the active side: the SYN timed out once (RTO backed off to 2 s), the
        /// SYN-ACK gives no sample (Karn), so data transmission starts with an RTO of 3 s.</summary>
        public static void RtoIsThreeSecondsAfterARetransmittedSyn()
        {
            var h = new SegmentHarness();
            TcpConnection c = h.Engine.Connect(SegmentHarness.LocalAddress, SegmentHarness.RemoteAddress, SegmentHarness.PeerPort, SegmentHarness.OurPort);
            h.Expect(Syn, 1000, 0);
            h.Advance(1000);
            h.Expect(Syn, 1000, 0);
            h.Advance(100);
            h.Inject(Syn | Ack, 5000, 1001, 65535, null, 1460, 0, SegmentHarness.PeerPort, SegmentHarness.OurPort);
            h.Expect(Ack, 1001, 5001);
            Check.False(c.Rtt.HasSample, "Karn");
            Check.Equal(3000, c.Rtt.RtoMs, "RTO");
            h.Engine.Send(c, SegmentHarness.Bytes(10, 0), 0, 10);
            h.ExpectData(Psh | Ack, 1001, 5001, 10);
            h.Advance(2999);
            h.ExpectNothing();
            h.Advance(1);
            h.ExpectData(Psh | Ack, 1001, 5001, 10);
        }

        /// <summary>4: RFC 7661 / RFC 2861: cwnd grows only while it limits the sender. A transfer held back by
        /// a 4096-byte peer window keeps cwnd within twice that (plus one segment) however long it runs, and a
        /// flood of duplicate ACKs cannot inflate it past twice the largest window a peer can offer (65535).</summary>
        public static void CongestionWindowStaysBounded()
        {
            var config = new TcpConfig();
            config.SendBufferSize = 16384;
            var h = new SegmentHarness(config);
            TcpConnection c = States.EstablishedActive(h);
            byte[] data = SegmentHarness.Bytes(16384, 0);
            h.Engine.Send(c, data, 0, 16384);
            for (int round = 0; round < 400; round++)
            {
                h.Clear();
                h.Inject(Ack, 5001, c.SndMax, 4096);
                h.Engine.Send(c, data, 0, c.SendSpace);
                Check.True(c.Congestion.CongestionWindow > 0, "cwnd positive");
            }
            Check.True(c.Congestion.CongestionWindow <= 2 * 4096 + 1460, "cwnd bounded by what the window lets fly");
            Check.True(SequenceNumber.GreaterThan(c.SndMax, c.SndUna), "data in flight");
            uint una = c.SndUna;
            for (int i = 0; i < 300; i++)
            {
                h.Clear();
                h.Inject(Ack, 5001, una, 4096); // duplicates: recovery starts at the third, then inflates
            }
            Check.True(c.Congestion.CongestionWindow <= 2 * 65535, "inflation bounded");
        }

        /// <summary>5: the ACK of our FIN that arrives after a timeout rewound SND.NXT (and resent only the first
        /// segment) acknowledges the FIN: FIN_WAIT_2, no second FIN one sequence number higher.</summary>
        public static void FinAckedAfterATimeoutRewindIsRecognised()
        {
            var h = new SegmentHarness();
            TcpConnection c = TwoSegmentsInFlight(h);
            h.Engine.Close(c);
            h.Expect(Fin | Ack, 3001, 5001);
            h.Advance(1000);
            h.ExpectData(Ack, 1001, 5001, 1460); // timeout: loss window of one segment
            h.Inject(Ack, 5001, 3002, 65535);      // the ACK of everything, FIN included, was only late
            h.ExpectNothing();
            States.ExpectState(TcpState.FinWait2, c);
        }

        /// <summary>6: RFC 5961 3.2 accepts a RST only at exactly RCV.NXT. The peer has received up to SND.MAX,
        /// so Abort's RST carries SND.MAX, not the SND.NXT a timeout rewound.</summary>
        public static void AbortAfterATimeoutRewindSendsRstAtSndMax()
        {
            var h = new SegmentHarness();
            TcpConnection c = TwoSegmentsInFlight(h);
            h.Advance(1000);
            h.ExpectData(Ack, 1001, 5001, 1460);
            h.Engine.Abort(c);
            h.Expect(Rst, 3001, 0);
        }

        /// <summary>7: RFC 6582 3.2 step 2: duplicate ACKs whose ACK covers more than "recover" (the highest
        /// sequence number sent when the last recovery began, SND.MAX - 1) start a new fast retransmit; a loss
        /// right after recovery must not wait for the RTO.</summary>
        public static void LossRightAfterRecoveryIsFastRetransmitted()
        {
            var config = new TcpConfig();
            config.SendBufferSize = 16384;
            var h = new SegmentHarness(config);
            TcpConnection c = States.EstablishedActive(h);
            h.Engine.Send(c, SegmentHarness.Bytes(5840, 0), 0, 5840);
            h.ExpectData(Ack, 1001, 5001, 1460);
            h.ExpectData(Ack, 2461, 5001, 1460);
            h.ExpectData(Ack, 3921, 5001, 1460);
            h.Inject(Ack, 5001, 2461, 65535);
            h.ExpectData(Psh | Ack, 5381, 5001, 1460);
            h.Inject(Ack, 5001, 2461, 65535);
            h.Inject(Ack, 5001, 2461, 65535);
            h.Inject(Ack, 5001, 2461, 65535);
            h.ExpectData(Ack, 2461, 5001, 1460); // first fast retransmit; recover = 6841
            h.Inject(Ack, 5001, 6841, 65535);     // full acknowledgment: recovery over
            h.ExpectNothing();
            Check.False(c.Congestion.InRecovery, "recovery over");
            h.Engine.Send(c, SegmentHarness.Bytes(4380, 0), 0, 4380);
            h.ExpectData(Ack, 6841, 5001, 1460);
            h.ExpectData(Ack, 8301, 5001, 1460);
            h.Clear();
            // 6841 is lost: the duplicates ACK 6841, which covers more than recover (6840).
            h.Inject(Ack, 5001, 6841, 65535);
            h.Inject(Ack, 5001, 6841, 65535);
            h.Inject(Ack, 5001, 6841, 65535);
            h.ExpectData(Ack, 6841, 5001, 1460);
            Check.Equal(2, h.Engine.Counters.FastRetransmits, "fast retransmits");
        }

        /// <summary>10: RFC 9293 3.10.7.4 and RFC 5961 3.2 apply in SYN-RECEIVED too: an unacceptable segment gets
        /// an ACK, and so does a RST inside the window but not at RCV.NXT (the challenge ACK).</summary>
        public static void SynReceivedAnswersWithAcks()
        {
            var h = new SegmentHarness();
            States.SynReceived(h);
            h.Inject(Ack, 5001 + 100000, 1001, 65535);
            h.Expect(Ack, 1001, 5001);
            h.Inject(Rst, 5002, 0, 0);
            h.Expect(Ack, 1001, 5001);
            h.Inject(Ack, 5001, 1001, 65535); // the handshake still completes
            h.ExpectNothing();
        }

        /// <summary>11: RFC 6429: a connection the application closed, whose peer answers every probe with a zero
        /// window, is given up after 8 probes (Linux's orphan limit), with a RST the peer accepts.</summary>
        public static void ClosedConnectionStuckOnAZeroWindowIsGivenUp()
        {
            var h = new SegmentHarness();
            TcpConnection c = DataBehindAShutWindow(h);
            h.Engine.Close(c);
            h.ExpectNothing();
            int probes = 0;
            for (int step = 0; step < 1000 && h.Engine.ConnectionsInUse > 0; step++)
            {
                h.Advance(1000);
                if (h.Pending == 0)
                    continue;
                TcpSegment s = h.Next();
                if ((s.Flags & Rst) != 0)
                {
                    Check.Equal(1001u, s.SequenceNumber, "RST at SND.UNA, the peer's RCV.NXT");
                    break;
                }
                Check.Equal(1, s.PayloadLength, "probe");
                probes++;
                h.Inject(Ack, 5001, 1001, 0);
            }
            Check.Equal(h.Config.OrphanZeroWindowProbes, probes, "probes before giving up");
            Check.Equal(0, h.Engine.ConnectionsInUse, "slot freed");
        }

        /// <summary>11: a connection the application holds, whose peer keeps a zero window, ends no later than
        /// ZeroWindowTimeoutMs (about the data-retransmission give-up time), as a timeout and with a RST.</summary>
        public static void HeldConnectionStuckOnAZeroWindowTimesOut()
        {
            var h = new SegmentHarness();
            TcpConnection c = DataBehindAShutWindow(h);
            bool reset = false;
            long start = h.Now;
            for (int step = 0; step < 1000 && c.State != TcpState.Closed; step++)
            {
                h.Advance(1000);
                if (h.Pending == 0)
                    continue;
                TcpSegment s = h.Next();
                if ((s.Flags & Rst) != 0)
                {
                    reset = true;
                    continue;
                }
                h.Inject(Ack, 5001, 1001, 0);
            }
            States.ExpectState(TcpState.Closed, c);
            Check.Equal(TcpErrorNames.Name(TcpError.TimedOut), TcpErrorNames.Name(c.Error), "error");
            Check.True(reset, "RST sent");
            long took = h.Now - start;
            Check.True(took >= h.Config.ZeroWindowTimeoutMs && took <= h.Config.ZeroWindowTimeoutMs + h.Config.MaxRtoMs, "ended at the limit");
        }

        /// <summary>12: RFC 1122 4.2.3.6 keepalive: only acceptable segments show the peer alive. An out-of-window
        /// segment or an in-window RST (both only answered with an ACK) restart neither the idle timer nor the count.</summary>
        public static void KeepAliveIgnoresUnacceptableSegments()
        {
            var config = new TcpConfig();
            config.KeepAliveIdleMs = 10000;
            config.KeepAliveIntervalMs = 1000;
            config.KeepAliveProbes = 2;
            var h = new SegmentHarness(config);
            TcpConnection c = States.Established(h);
            c.KeepAlive = true;
            h.Advance(1); // arms the idle timer
            h.Advance(5000);
            h.Inject(Ack, 5001 + 100000, 1001, 65535); // out of window
            h.Expect(Ack, 1001, 5001);
            h.Advance(4999);
            h.ExpectNothing();
            h.Advance(1);
            h.Expect(Ack, 1000, 5001); // probe 1 on time
            h.Inject(Rst, 5100, 0, 0);  // in window, not RCV.NXT: challenge ACK only
            h.Expect(Ack, 1001, 5001);
            h.Advance(1000);
            h.Expect(Ack, 1000, 5001); // probe 2
            h.Advance(1000);
            States.ExpectState(TcpState.Closed, c);
            Check.Equal(TcpErrorNames.Name(TcpError.TimedOut), TcpErrorNames.Name(c.Error), "error");
        }
    }
}
