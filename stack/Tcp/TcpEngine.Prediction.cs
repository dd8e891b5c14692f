// Header prediction (Van Jacobson's fast path, as in BSD tcp_input): in ESTABLISHED most segments are
// the next in order with only ACK (or ACK and PSH) set and both windows open: an ACK for new data, a
// window update, or data that fits the ring with an ACK within what was sent. For those the checks of
// the full path (TcpEngine.Input.cs) all come out the same way, so this does only the work they lead to
// (RFC 9293 3.10.7.4 lets the checks run in any order when the result is the same). Anything else, or
// any state a check would act on (a possible duplicate ACK, out-of-order data held, a FIN beyond a hole,
// the application closed, a shut window), falls to the full path.
namespace NanoTcp.Tcp
{
    public sealed partial class TcpEngine
    {
        /// <summary>Off only in tests that run both paths on the same segments and compare what they do.</summary>
        internal bool HeaderPrediction = true;
        /// <summary>Segments the fast path took (for the tests that check it is taken).</summary>
        internal int PredictedSegments;

        /// <summary>Handles s as SynchronizedInput would, when s is a predicted segment; false (nothing
        /// changed) otherwise.</summary>
        private bool PredictedInput(TcpConnection c, Wire.TcpSegment s)
        {
            uint seq = s._sequenceNumber; // the fields, not the properties: every segment (TcpSegment)
            int window = s._window;
            if ((s._flags & ~Wire.TcpFlags.Psh) != Wire.TcpFlags.Ack || seq != c.RcvNxt || window == 0 || c.SndWnd == 0
                || c.FinPending)
                return false;
            uint ack = s._acknowledgmentNumber;
            // The full path's window-update test (SND.WL1 < SEG.SEQ, or equal and SND.WL2 <= SEG.ACK) must pass,
            // so that its writes are the ones made below. SequenceNumber's comparisons are written out in this
            // method (RFC 9293 3.4): each call costs 4 IL more on the device, at every segment.
            if (seq == c.SndWl1 ? (int)(c.SndWl2 - ack) > 0 : (int)(c.SndWl1 - seq) > 0)
                return false;
            if ((int)(ack - c.SndMax) > 0)
                return false; // beyond what was sent: a challenge ACK (RFC 5961 5.2)
            int payload = s._length - s._headerLength;
            TcpReceiveBuffer ring = c.ReceiveBuffer; // its fields read directly below: every segment
            if (payload == 0)
            {
                // An ACK for new data, or a window update at SND.UNA; any other ACK at SND.UNA may be a duplicate
                // (RFC 5681 section 2: same window, data outstanding).
                if (ack == c.SndUna ? window == c.SndWnd && c.SndMax != c.SndUna : (int)(ack - c.SndUna) < 0)
                    return false;
            }
            else if ((int)(ack - c.SndUna) < 0 || payload > ring._data.Length - ring._count || c.OutOfOrder._count > 0 || c.UserClosed)
            {
                return false; // an old ACK, data that does not fit, that fills a hole, or that nobody will read
            }

            if (c.KeepAliveEnabled)
            {
                c.KeepAliveProbesSent = 0;
                c.KeepAliveAt = _now + _config.KeepAliveIdleMs;
                TimerArmed(c.KeepAliveAt);
            }
            if (ack != c.SndUna)
            {
                AcknowledgeSent(c, ack);
                c.LastProgressAt = _now; // SND.UNA advanced (ProcessSegment's test, for the predicted path)
            }
            // The window update, both windows open: no probe to take back.
            c.SndWnd = window;
            if (window > c.MaxSndWnd) c.MaxSndWnd = window;
            c.SndWl1 = seq;
            c.SndWl2 = ack;
            PeerWindowOpen(c);
            if (payload > 0)
            {
                // Step 7, in order and within the window.
                ring.WriteAt(0, s._buffer, s._offset + s._headerLength, payload);
                ring._count += payload; // Commit, inline
                c.RcvNxt = seq + (uint)payload;
                c.LastProgressAt = _now; // RCV.NXT advanced
                ScheduleAck(c, payload);
            }
            PredictedSegments++;
            return true;
        }
    }
}
