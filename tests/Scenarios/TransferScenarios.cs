// Data transfer: retransmission (RFC 6298), fast retransmit and NewReno (RFC 5681, RFC 6582), zero
// window and persist (RFC 9293 3.8.6.1), delayed ACK and Nagle (RFC 1122 4.2.3.2, 4.2.3.4), keepalive
// (RFC 1122 4.2.3.6), reassembly, urgent data, and sequence numbers across 2^32.
using NanoTcp.Tcp;
using NanoTcp.Wire;

namespace NanoTcp.Scenarios
{
    public static class TransferScenarios
    {
        private const int Ack = TcpFlags.Ack, Syn = TcpFlags.Syn, Fin = TcpFlags.Fin, Rst = TcpFlags.Rst, Psh = TcpFlags.Psh, Urg = TcpFlags.Urg;

        private static TcpSegment ExpectData(SegmentHarness h, int flags, uint seq, uint ack, int length)
        {
            TcpSegment s = h.Expect(flags, seq, ack);
            Check.Equal(length, s.PayloadLength, "payload length");
            return s;
        }

        /// <summary>RTO doubles 1, 2, 4 ... s up to the 60 s cap; after DataRetries the application sees a timeout
        /// and the connection is reset (RFC 9293 3.10.5), at SND.MAX, so that a peer still there frees its side.</summary>
        public static void RetransmissionBacksOffToTheCapThenTimesOut()
        {
            var h = new SegmentHarness();
            TcpConnection c = States.EstablishedActive(h);
            h.Engine.Send(c, SegmentHarness.Bytes(10, 0), 0, 10);
            ExpectData(h, Psh | Ack, 1001, 5001, 10);
            int rto = h.Config.MinRtoMs;
            for (int i = 0; i < h.Config.DataRetries; i++)
            {
                h.Advance(rto - 1);
                h.ExpectNothing();
                h.Advance(1);
                ExpectData(h, Psh | Ack, 1001, 5001, 10);
                rto = rto * 2 > h.Config.MaxRtoMs ? h.Config.MaxRtoMs : rto * 2;
            }
            h.Advance(rto);
            h.Expect(Rst, 1011, 0);
            h.ExpectNothing();
            States.ExpectState(TcpState.Closed, c);
            Check.Equal(TcpErrorNames.Name(TcpError.TimedOut), TcpErrorNames.Name(c.Error), "error");
        }

        /// <summary>Karn: no RTT sample from a retransmitted segment; the backed-off RTO stays until a clean one.</summary>
        public static void KarnTakesNoSampleFromARetransmission()
        {
            var config = new TcpConfig();
            config.MinRtoMs = 200;
            var h = new SegmentHarness(config);
            TcpConnection c = h.Engine.Connect(SegmentHarness.LocalAddress, SegmentHarness.RemoteAddress, SegmentHarness.PeerPort, SegmentHarness.OurPort);
            h.Expect(Syn, 1000, 0);
            h.Advance(100);
            h.Inject(Syn | Ack, 5000, 1001, 65535, null, 1460, 0, SegmentHarness.PeerPort, SegmentHarness.OurPort);
            h.Expect(Ack, 1001, 5001);
            Check.Equal(100, c.Rtt.SmoothedRttMs, "SRTT from the SYN");
            Check.Equal(300, c.Rtt.RtoMs, "RTO = SRTT + 4 RTTVAR");
            h.Engine.Send(c, SegmentHarness.Bytes(10, 0), 0, 10);
            ExpectData(h, Psh | Ack, 1001, 5001, 10);
            h.Advance(300);
            ExpectData(h, Psh | Ack, 1001, 5001, 10);
            Check.Equal(600, c.Rtt.RtoMs, "backed off");
            h.Advance(50);
            h.Inject(Ack, 5001, 1011, 65535);
            Check.Equal(100, c.Rtt.SmoothedRttMs, "no sample from the retransmitted segment");
            Check.Equal(600, c.Rtt.RtoMs, "backed-off RTO kept (RFC 6298 5.7)");
            h.Engine.Send(c, SegmentHarness.Bytes(10, 0), 0, 10);
            ExpectData(h, Psh | Ack, 1011, 5001, 10);
            h.Advance(100);
            h.Inject(Ack, 5001, 1021, 65535);
            Check.Equal(100, c.Rtt.SmoothedRttMs, "SRTT");
            Check.Equal(250, c.Rtt.RtoMs, "RTO from a clean sample");
        }

        /// <summary>Three duplicate ACKs retransmit at once; a partial ACK retransmits the next hole (NewReno).</summary>
        public static void FastRetransmitAndNewRenoPartialAck()
        {
            var config = new TcpConfig();
            config.SendBufferSize = 16384;
            var h = new SegmentHarness(config);
            TcpConnection c = States.EstablishedActive(h);
            Check.Equal(8760, h.Engine.Send(c, SegmentHarness.Bytes(8760, 0), 0, 8760), "queued");
            // Initial window 3 * 1460 (RFC 5681 3.1).
            ExpectData(h, Ack, 1001, 5001, 1460);
            ExpectData(h, Ack, 2461, 5001, 1460);
            ExpectData(h, Ack, 3921, 5001, 1460);
            h.ExpectNothing();
            h.Inject(Ack, 5001, 2461, 65535);
            ExpectData(h, Ack, 5381, 5001, 1460);
            ExpectData(h, Ack, 6841, 5001, 1460);
            // 2461 is lost; three duplicate ACKs come back.
            h.Inject(Ack, 5001, 2461, 65535);
            h.Inject(Ack, 5001, 2461, 65535);
            h.ExpectNothing();
            h.Inject(Ack, 5001, 2461, 65535);
            ExpectData(h, Ack, 2461, 5001, 1460);        // fast retransmit
            ExpectData(h, Psh | Ack, 8301, 5001, 1460);  // the inflated window lets the last segment go
            Check.Equal(1, h.Engine.Counters.FastRetransmits, "fast retransmits");
            // 5381 was lost too: a partial ACK retransmits it at once.
            h.Inject(Ack, 5001, 5381, 65535);
            ExpectData(h, Ack, 5381, 5001, 1460);
            h.ExpectNothing();
            h.Inject(Ack, 5001, 9761, 65535);
            h.ExpectNothing();
            Check.False(c.Congestion.InRecovery, "recovery over");
            Check.Equal(2920, c.Congestion.CongestionWindow, "cwnd deflated to ssthresh");
            Check.Equal(0, c.BytesUnacknowledged, "all acknowledged");
        }

        /// <summary>A zero window is probed with one byte, backing off, and sending resumes when it opens.</summary>
        public static void ZeroWindowIsProbedAndSendingResumes()
        {
            var h = new SegmentHarness();
            TcpConnection c = States.Established(h);
            h.Inject(Ack, 5001, 1001, 0);
            h.Engine.Send(c, SegmentHarness.Bytes(10, 0), 0, 10);
            h.ExpectNothing();
            h.Advance(999);
            h.ExpectNothing();
            h.Advance(1);
            ExpectData(h, Ack, 1001, 5001, 1);
            h.Inject(Ack, 5001, 1001, 0);
            h.Advance(1999);
            h.ExpectNothing();
            h.Advance(1);
            ExpectData(h, Ack, 1001, 5001, 1);
            h.Inject(Ack, 5001, 1001, 0);
            h.Advance(4000);
            ExpectData(h, Ack, 1001, 5001, 1);
            Check.Equal(3, h.Engine.Counters.ZeroWindowProbes, "probes");
            States.ExpectState(TcpState.Established, c); // answered probes never time out
            h.Inject(Ack, 5001, 1001, 65535);
            ExpectData(h, Psh | Ack, 1001, 5001, 10);
            h.Inject(Ack, 5001, 1011, 65535);
            Check.Equal(0, c.BytesUnacknowledged, "delivered");
        }

        /// <summary>Every second full-sized segment is ACKed at once; a lone one after the delay.</summary>
        public static void DelayedAckEverySecondFullSegment()
        {
            var config = new TcpConfig();
            config.ReceiveBufferSize = 8192;
            var h = new SegmentHarness(config);
            TcpConnection c = States.Established(h);
            h.InjectData(Ack, 5001, 1001, 65535, SegmentHarness.Bytes(1460, 0));
            h.ExpectNothing();
            h.InjectData(Ack, 6461, 1001, 65535, SegmentHarness.Bytes(1460, 0));
            h.Expect(Ack, 1001, 7921);
            h.InjectData(Psh | Ack, 7921, 1001, 65535, SegmentHarness.Bytes(10, 0));
            h.Advance(h.Config.DelayedAckMs - 1);
            h.ExpectNothing();
            h.Advance(1);
            h.Expect(Ack, 1001, 7931);
            c.DelayedAck = false;
            h.InjectData(Psh | Ack, 7931, 1001, 65535, SegmentHarness.Bytes(5, 0));
            h.Expect(Ack, 1001, 7936);
        }

        /// <summary>RFC 1122 4.2.3.3: the window opens only in steps of min(half the buffer, MSS), and a
        /// window update goes out when reading makes such a step.</summary>
        public static void ReceiverAvoidsSillyWindows()
        {
            var h = new SegmentHarness(); // 2048-byte receive ring: steps of 1024
            TcpConnection c = States.Established(h);
            c.DelayedAck = false;
            h.InjectData(Ack, 5001, 1001, 65535, SegmentHarness.Bytes(1460, 0));
            Check.Equal(588, h.Expect(Ack, 1001, 6461).Window, "window after 1460 unread bytes");
            h.InjectData(Ack, 6461, 1001, 65535, SegmentHarness.Bytes(540, 0));
            Check.Equal(48, h.Expect(Ack, 1001, 7001).Window, "window after 2000 unread bytes");
            var read = new byte[2048];
            h.Engine.Receive(c, read, 0, 100);
            h.ExpectNothing(); // 148 free: not worth announcing
            h.InjectData(Ack, 7001, 1001, 65535, SegmentHarness.Bytes(10, 0));
            Check.Equal(38, h.Expect(Ack, 1001, 7011).Window, "the right edge stays put");
            h.Engine.Receive(c, read, 0, 1000);
            Check.Equal(1138, h.Expect(Ack, 1001, 7011).Window, "window update from the read once a full step is free");
        }

        public static void NagleHoldsSmallSegmentsWhileDataIsInFlight()
        {
            var h = new SegmentHarness();
            TcpConnection c = States.Established(h);
            h.Engine.Send(c, SegmentHarness.Bytes(10, 0), 0, 10);
            ExpectData(h, Psh | Ack, 1001, 5001, 10);
            h.Engine.Send(c, SegmentHarness.Bytes(10, 0), 0, 10);
            h.Engine.Send(c, SegmentHarness.Bytes(10, 0), 0, 10);
            h.ExpectNothing();
            h.Inject(Ack, 5001, 1011, 65535);
            ExpectData(h, Psh | Ack, 1011, 5001, 20);
            c.Nagle = false;
            h.Engine.Send(c, SegmentHarness.Bytes(5, 0), 0, 5);
            ExpectData(h, Psh | Ack, 1031, 5001, 5);
        }

        public static void KeepAliveProbesThenTimesOut()
        {
            var config = new TcpConfig();
            config.KeepAliveIdleMs = 10000;
            config.KeepAliveIntervalMs = 1000;
            config.KeepAliveProbes = 3;
            var h = new SegmentHarness(config);
            TcpConnection c = States.Established(h);
            c.KeepAlive = true;
            h.Advance(1); // arms the idle timer
            h.Advance(9999);
            h.ExpectNothing();
            h.Advance(1);
            h.Expect(Ack, 1000, 5001); // SND.UNA - 1, no data
            h.Inject(Ack, 5001, 1001, 65535);
            h.Advance(10000);
            h.Expect(Ack, 1000, 5001);
            h.Advance(1000);
            h.Expect(Ack, 1000, 5001);
            h.Advance(1000);
            h.Expect(Ack, 1000, 5001);
            h.Advance(1000);
            h.ExpectNothing();
            States.ExpectState(TcpState.Closed, c);
            Check.Equal(TcpErrorNames.Name(TcpError.TimedOut), TcpErrorNames.Name(c.Error), "error");
        }

        /// <summary>Out-of-order segments wait in the ring; each hole filled moves RCV.NXT over them.</summary>
        public static void OutOfOrderSegmentsAreReassembled()
        {
            var h = new SegmentHarness();
            TcpConnection c = States.Established(h);
            h.InjectData(Ack, 5021, 1001, 65535, SegmentHarness.Bytes(10, 20));
            h.Expect(Ack, 1001, 5001);
            h.InjectData(Ack, 5001, 1001, 65535, SegmentHarness.Bytes(10, 0));
            h.Expect(Ack, 1001, 5011);
            h.InjectData(Ack, 5011, 1001, 65535, SegmentHarness.Bytes(10, 10));
            h.Expect(Ack, 1001, 5031);
            var read = new byte[64];
            Check.Equal(30, h.Engine.Receive(c, read, 0, 64), "read");
            for (int i = 0; i < 30; i++)
                Check.Equal((byte)(i / 10 * 10 + (i % 10) * 7), read[i], "byte in order");
        }

        public static void OutOfOrderRangesAreBounded()
        {
            var h = new SegmentHarness();
            TcpConnection c = States.Established(h);
            int ranges = h.Config.MaxOutOfOrderRanges;
            for (int i = 0; i <= ranges; i++)
            {
                h.InjectData(Ack, (uint)(5011 + 20 * i), 1001, 65535, SegmentHarness.Bytes(10, 0));
                h.Expect(Ack, 1001, 5001);
            }
            Check.Equal(1, h.Engine.Counters.OutOfOrderDropped, "one segment past the range limit not kept");
            Check.Equal(0, c.BytesAvailable, "nothing in order");
        }

        public static void UrgentDataIsDeliveredInline()
        {
            var h = new SegmentHarness();
            TcpConnection c = States.Established(h);
            h.Inject(Urg | Psh | Ack, 5001, 1001, 65535, SegmentHarness.Bytes(5, 0), 0, 3, SegmentHarness.PeerPort, SegmentHarness.OurPort);
            Check.Equal(5, c.BytesAvailable, "urgent data inline");
            Check.Equal(0, h.Engine.Counters.UrgentPointerInvalid, "valid pointer");
            h.Inject(Urg | Psh | Ack, 5006, 1001, 65535, SegmentHarness.Bytes(5, 0), 0, 60000, SegmentHarness.PeerPort, SegmentHarness.OurPort);
            Check.Equal(10, c.BytesAvailable, "still delivered");
            Check.Equal(1, h.Engine.Counters.UrgentPointerInvalid, "pointer past the segment counted");
        }

        /// <summary>Both directions across 2^32, with reordering at the wrap.</summary>
        public static void SequenceNumbersWrapAround()
        {
            var h = new SegmentHarness();
            uint ours = 0xFFFFFF00, peer = 0xFFFFFFF0; // both ISNs just below 2^32
            h.Isn.Value = ours;
            TcpListener listener = h.Engine.Listen(SegmentHarness.OurPort, 2);
            h.InjectSyn(peer, 1460);
            h.Expect(Syn | Ack, ours, peer + 1);
            uint sndStart = ours + 1, rcvStart = peer + 1;
            h.Inject(Ack, rcvStart, sndStart, 65535);
            TcpConnection c = h.Engine.Accept(listener);
            Check.NotNull(c, "accepted");
            c.DelayedAck = false;
            h.InjectData(Ack, rcvStart + 100, sndStart, 65535, SegmentHarness.Bytes(100, 1)); // past the wrap first
            h.Expect(Ack, sndStart, rcvStart);
            h.InjectData(Ack, rcvStart, sndStart, 65535, SegmentHarness.Bytes(100, 0));
            h.Expect(Ack, sndStart, rcvStart + 200);
            Check.Equal(200, c.BytesAvailable, "in order across the wrap");
            c.Nagle = false;
            h.Engine.Send(c, SegmentHarness.Bytes(500, 0), 0, 500);
            ExpectData(h, Psh | Ack, sndStart, rcvStart + 200, 500);
            h.Inject(Ack, rcvStart + 200, sndStart + 300, 65535);
            Check.Equal(200, c.BytesUnacknowledged, "partly acknowledged across the wrap");
            h.Inject(Ack, rcvStart + 200, sndStart + 500, 65535);
            Check.Equal(0, c.BytesUnacknowledged, "all acknowledged");
            Check.Equal(sndStart + 500, c.SndUna, "SND.UNA wrapped");
            Check.True(c.SndUna < 0x1000, "SND.UNA is past zero");
        }
    }
}
