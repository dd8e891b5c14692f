// Congestion control, RFC 5681 (slow start, congestion avoidance, fast retransmit/recovery) with the
// NewReno modification of RFC 6582 (partial ACKs keep recovery going until "recover" is acknowledged).
// Counted in bytes; slow start grows by at most one SMSS per ACK (RFC 5681 3.1, RFC 3465 L=1).
// cwnd grows only while the sender uses it (RFC 7661 4.3: pipe at least half of cwnd) and never past
// MaxWindow, so no transfer however long can overflow it.
namespace NanoTcp.Tcp
{
    public struct NewReno
    {
        /// <summary>Twice the largest window a peer can offer without window scaling (RFC 7323): more
        /// can never be used, inflation during recovery included.</summary>
        public const int MaxWindow = 2 * 65535;

        private int _mss;

        public int CongestionWindow;
        public int SlowStartThreshold;
        public int DuplicateAcks;
        public bool InRecovery;
        /// <summary>RFC 6582 "recover", held as SND.MAX when loss was detected: one past the RFC's "highest
        /// sequence number transmitted".</summary>
        public uint Recover;

        /// <summary>Starts a connection: "recover" begins at the ISS (RFC 6582 3.2 step 1).</summary>
        public void Reset(int mss, uint initialSequence)
        {
            _mss = mss;
            // RFC 5681 3.1 eqn. 3: IW = 2..4 SMSS by size.
            CongestionWindow = mss > 2190 ? 2 * mss : (mss > 1095 ? 3 * mss : 4 * mss);
            SlowStartThreshold = 0x7FFFFFFF;
            DuplicateAcks = 0;
            InRecovery = false;
            Recover = initialSequence;
        }

        /// <summary>New data acknowledged outside recovery (RFC 5681 3.1); flightSize is what was in flight
        /// before this ACK.</summary>
        public void OnAck(int acked, int flightSize)
        {
            DuplicateAcks = 0;
            if (2 * flightSize < CongestionWindow)
                return; // not limited by cwnd: growing it would validate nothing (RFC 7661 4.3)
            if (CongestionWindow < SlowStartThreshold)
                CongestionWindow += acked < _mss ? acked : _mss;
            else
                CongestionWindow += Max(1, _mss * _mss / CongestionWindow);
            if (CongestionWindow > MaxWindow)
                CongestionWindow = MaxWindow;
        }

        /// <summary>Path MTU discovery lowered the segment size (RFC 1191); the window in bytes stays.</summary>
        public void LowerMss(int mss)
        {
            _mss = mss;
        }

        /// <summary>The third duplicate ACK (RFC 6582 3.2 steps 2-3). Returns true when the caller must
        /// retransmit the first unacknowledged segment now.</summary>
        public bool OnThirdDuplicateAck(int flightSize, uint highestSent, uint ack)
        {
            // Step 2: the ACK must cover more than "recover" (Recover - 1 here, see above), else these
            // duplicates come from data sent before the last loss or timeout (RFC 6582 3.2).
            if (SequenceNumber.LessThan(ack, Recover))
                return false;
            SlowStartThreshold = Max(flightSize / 2, 2 * _mss);
            CongestionWindow = SlowStartThreshold + 3 * _mss;
            Recover = highestSent;
            InRecovery = true;
            return true;
        }

        /// <summary>Further duplicate ACKs inflate the window (RFC 6582 3.2 step 4).</summary>
        public void OnExtraDuplicateAck()
        {
            if (CongestionWindow < MaxWindow - _mss)
                CongestionWindow += _mss;
        }

        /// <summary>An ACK of new data during recovery: true when it is partial (RFC 6582 3.2 step 5),
        /// so the caller retransmits the next unacknowledged segment.</summary>
        public bool OnRecoveryAck(uint ack, int acked, int flightSize)
        {
            if (SequenceNumber.GreaterOrEqual(ack, Recover))
            {
                // Full acknowledgment: deflate (step 5, option 1).
                int deflated = flightSize + _mss;
                CongestionWindow = SlowStartThreshold < deflated ? SlowStartThreshold : deflated;
                InRecovery = false;
                DuplicateAcks = 0;
                return false;
            }
            CongestionWindow -= acked;
            if (acked >= _mss) CongestionWindow += _mss;
            if (CongestionWindow < _mss) CongestionWindow = _mss;
            return true;
        }

        /// <summary>Retransmission timeout (RFC 5681 3.1 eqn. 4 and "loss window" of one segment).</summary>
        public void OnTimeout(int flightSize, uint highestSent)
        {
            SlowStartThreshold = Max(flightSize / 2, 2 * _mss);
            CongestionWindow = _mss;
            DuplicateAcks = 0;
            InRecovery = false;
            Recover = highestSent; // RFC 6582 section 4: no fast retransmit for data sent before the timeout
        }

        private static int Max(int a, int b) { return a > b ? a : b; }
    }
}
