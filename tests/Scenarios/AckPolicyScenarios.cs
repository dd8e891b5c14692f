// When ACKs and window updates go out, and when the sender may send (RFC 1122 4.2.3.2-4.2.3.4,
// RFC 9293 3.8.6.2-3.8.6.3): every second segment of the size the peer actually sends, at once when the
// ring fills, the window update from the application's read itself, sender SWS avoidance also with
// nothing in flight, and Nagle that does not hold the last segment of a full ring.
using NanoTcp.Tcp;
using NanoTcp.Wire;

namespace NanoTcp.Scenarios
{
    public static class AckPolicyScenarios
    {
        private const int Ack = TcpFlags.Ack, Psh = TcpFlags.Psh;

        /// <summary>8: "ACK at least every second full-sized segment" (RFC 1122 4.2.3.2) counts segments of the
        /// size the peer sends: Linux sends 1024-byte segments into a 2 KB window, half its largest window.</summary>
        public static void EverySecondSegmentOfThePeersSizeIsAckedAtOnce()
        {
            var config = new TcpConfig();
            config.ReceiveBufferSize = 8192;
            var h = new SegmentHarness(config);
            States.Established(h);
            h.InjectData(Ack, 5001, 1001, 65535, SegmentHarness.Bytes(1024, 0));
            h.ExpectNothing();
            h.InjectData(Ack, 6025, 1001, 65535, SegmentHarness.Bytes(1024, 0));
            h.Expect(Ack, 1001, 7049);
            h.InjectData(Psh | Ack, 7049, 1001, 65535, SegmentHarness.Bytes(10, 0)); // a small one waits
            h.ExpectNothing();
            h.Advance(h.Config.DelayedAckMs);
            h.Expect(Ack, 1001, 7059);
        }

        /// <summary>A segment that leaves less room than another of the peer's segments is ACKed at once: the
        /// peer cannot send (or, with Nagle, holds its small remainder) until it hears from us.</summary>
        public static void AckGoesAtOnceWhenTheReceiveRingFills()
        {
            var h = new SegmentHarness(); // 2048-byte ring; before the peer sends, "full-sized" is 536
            States.Established(h);
            h.InjectData(Ack, 5001, 1001, 65535, SegmentHarness.Bytes(500, 0));
            h.InjectData(Ack, 5501, 1001, 65535, SegmentHarness.Bytes(500, 0));
            h.InjectData(Ack, 6001, 1001, 65535, SegmentHarness.Bytes(500, 0));
            h.ExpectNothing(); // 548 left: room for one more
            h.InjectData(Ack, 6501, 1001, 65535, SegmentHarness.Bytes(500, 0));
            Check.Equal(48, h.Expect(Ack, 1001, 7001).Window, "ring nearly full: ACK at once");

            var h2 = new SegmentHarness();
            States.Established(h2);
            h2.InjectData(Ack, 5001, 1001, 65535, SegmentHarness.Bytes(1460, 0));
            Check.Equal(588, h2.Expect(Ack, 1001, 6461).Window, "no room for a second 1460-byte segment");
        }

        /// <summary>RFC 9293 3.8.6.2.2: a read that opens the window by min(RCV.BUFF/2, MSS) sends the window
        /// update from the read itself, without waiting for a frame, a timer or a poll.</summary>
        public static void ReadThatOpensTheWindowSendsTheUpdateAtOnce()
        {
            var h = new SegmentHarness();
            TcpConnection c = States.Established(h);
            h.InjectData(Ack, 5001, 1001, 65535, SegmentHarness.Bytes(1460, 0));
            h.Expect(Ack, 1001, 6461);
            h.InjectData(Psh | Ack, 6461, 1001, 65535, SegmentHarness.Bytes(588, 0));
            Check.Equal(0, h.Expect(Ack, 1001, 7049).Window, "ring full");
            var read = new byte[2048];
            Check.Equal(1000, h.Engine.Receive(c, read, 0, 1000), "read");
            h.ExpectNothing(); // 1000 < min(1024, 1460): not worth announcing
            Check.Equal(24, h.Engine.Receive(c, read, 0, 24), "read");
            Check.Equal(1024, h.Expect(Ack, 1001, 7049).Window, "window update from the read");
        }

        /// <summary>9: sender SWS avoidance (RFC 1122 4.2.3.4) holds a segment smaller than both the MSS and half
        /// the peer's largest window also when nothing is in flight; the override timeout (0.1-1 s) sends it.</summary>
        public static void SenderAvoidsSillyWindowsWithNothingInFlight()
        {
            var h = new SegmentHarness();
            TcpConnection c = States.Established(h); // the peer offered 65535
            h.Inject(Ack, 5001, 1001, 100);
            h.Engine.Send(c, SegmentHarness.Bytes(1000, 0), 0, 1000);
            h.ExpectNothing();
            int waited = 0;
            while (h.Pending == 0 && waited < 1000)
            {
                h.Advance(100);
                waited += 100;
            }
            Check.True(waited >= 100, "held at first");
            h.ExpectData(Ack, 1001, 5001, 100); // the override timeout
            h.Inject(Ack, 5001, 1101, 65535);
            h.ExpectData(Psh | Ack, 1101, 5001, 900);
        }

        /// <summary>Nagle (RFC 896) waits for data that could fill a segment; when the ring cannot hold that much
        /// more, waiting only leaves the last segment behind the peer's delayed ACK. It goes at once.</summary>
        public static void NagleDoesNotHoldTheLastSegmentOfAFullRing()
        {
            var h = new SegmentHarness(); // 2048-byte send ring
            TcpConnection c = States.Established(h);
            Check.Equal(2048, h.Engine.Send(c, SegmentHarness.Bytes(2048, 0), 0, 2048), "queued");
            h.ExpectData(Ack, 1001, 5001, 1460);
            h.ExpectData(Psh | Ack, 2461, 5001, 588);
        }
    }
}
