// Timers, driven by Poll(now): retransmission (RFC 6298 5.4-5.7, RFC 5681 3.1 on timeout), zero-window
// persist (RFC 9293 3.8.6.1), keepalive (RFC 1122 4.2.3.6), delayed ACK (RFC 1122 4.2.3.2), TIME_WAIT
// (2 MSL, RFC 9293 3.4.2) and the FIN_WAIT_2 limit of a connection the application has closed.
namespace NanoTcp.Tcp
{
    public sealed partial class TcpEngine
    {
        /// <summary>No connection's timer is due before this (long.MinValue: walk at the next poll). Every write
        /// of a timer lowers it (TimerArmed), so it may lie before the earliest timer, never after; Poll walks
        /// the connections only once it is reached, and then works it out again.</summary>
        internal long _timersDueAt = long.MinValue;
        /// <summary>Off only in tests that run a world walking at every poll beside one that does not.</summary>
        internal bool EarliestDeadline = true;

        /// <summary>Runs every timer due at nowMs; returns when Poll is next needed (long.MaxValue: no timer).
        /// Before the earliest deadline it returns that (no later than any timer) without walking the slots.</summary>
        public long Poll(long nowMs)
        {
            _now = nowMs;
            long due = _timersDueAt;
            if (nowMs < due)
                return due;
            _timersDueAt = long.MaxValue; // what the timers run below arm lowers it again
            long next = long.MaxValue;
            TcpConnection[] connections = _connections; // a local: two field reads less per slot at every poll
            for (int i = 0; i < connections.Length; i++)
            {
                TcpConnection c = connections[i];
                if (!c.InUse || c.StateValue == TcpState.Closed)
                    continue;
                if (c.CloseAt <= nowMs)
                {
                    if (c.StateValue == TcpState.FinWait2)
                        Counters.ConnectionTimeouts++;
                    else if (c.StateValue == TcpState.SynReceived)
                        Counters.HalfOpenDropped++; // its half-open lifetime ran out
                    CloseConnection(c, TcpError.None);
                    continue;
                }
                // The state is looked at again only after a timer ran: nothing else changes it here.
                if (c.RetransmitAt <= nowMs)
                {
                    RetransmitTimeout(c);
                    if (c.StateValue == TcpState.Closed)
                        continue;
                }
                if (c.PersistAt <= nowMs)
                {
                    PersistTimeout(c);
                    if (c.StateValue == TcpState.Closed)
                        continue;
                }
                if (c.KeepAliveEnabled && c.KeepAliveAt == TcpConnection.Off && c.IsConnected)
                    c.KeepAliveAt = nowMs + _config.KeepAliveIdleMs; // switched on after the handshake
                if (c.KeepAliveAt <= nowMs)
                {
                    KeepAliveTimeout(c);
                    if (!c.InUse || c.StateValue == TcpState.Closed)
                        continue;
                }
                Output(c); // delayed ACKs that came due, and whatever the timers queued
                // Inline rather than through Earliest: this runs for every connection at every poll.
                if (c.RetransmitAt < next) next = c.RetransmitAt;
                if (c.PersistAt < next) next = c.PersistAt;
                if (c.KeepAliveAt < next) next = c.KeepAliveAt;
                if (c.DelayedAckAt < next) next = c.DelayedAckAt;
                if (c.CloseAt < next) next = c.CloseAt;
            }
            if (next < _timersDueAt)
                _timersDueAt = next;
            if (!EarliestDeadline)
                _timersDueAt = long.MinValue;
            return next;
        }

        /// <summary>A timer was set to at: the earliest deadline must not lie after it.</summary>
        private void TimerArmed(long at)
        {
            if (at < _timersDueAt)
                _timersDueAt = at;
        }

        /// <summary>Something the walk acts on changed without a timer (an option, output that found no buffer):
        /// the next poll walks.</summary>
        internal void WalkAtNextPoll()
        {
            _timersDueAt = long.MinValue;
        }

        private void RetransmitTimeout(TcpConnection c)
        {
            c.RetransmitAt = TcpConnection.Off;
            bool opening = c.StateValue == TcpState.SynSent || c.StateValue == TcpState.SynReceived;
            if (!opening && !SequenceNumber.GreaterThan(c.SndMax, c.SndUna))
                return; // nothing outstanding
            c.Retries++;
            Counters.RetransmitTimeouts++;
            if (c.Retries > (opening ? _config.SynRetries : _config.DataRetries))
            {
                Counters.ConnectionTimeouts++;
                if (c.StateValue == TcpState.SynReceived && c.Listener != null)
                {
                    Counters.HalfOpenDropped++;
                    CloseConnection(c, TcpError.None);
                }
                else if (opening)
                {
                    Counters.AttemptFails++;
                    CloseConnection(c, TcpError.TimedOut);
                }
                else
                {
                    AbortConnection(c, TcpError.TimedOut); // the connection is reset (RFC 9293 3.10.5): a peer still there frees its side
                }
                return;
            }
            c.Rtt.BackOff();
            c.RttTiming = false;
            if (opening)
            {
                c.SynToSend = true;
            }
            else
            {
                // Go back to SND.UNA with a loss window of one segment (RFC 5681 3.1, RFC 6298 5.4).
                c.Congestion.OnTimeout(SequenceNumber.Distance(c.SndMax, c.SndUna), c.SndMax);
                c.SndNxt = c.SndUna; // FinSent stays: an ACK of the FIN may still arrive (Output resends it)
            }
            Output(c);
            ArmRetransmit(c);
        }

        /// <summary>The peer's window is zero and data waits: send one byte past it as a probe, backing off,
        /// within the limits of RFC 6429. With the window open this was the SWS override timeout.</summary>
        private void PersistTimeout(TcpConnection c)
        {
            c.PersistAt = TcpConnection.Off;
            int position = SequenceNumber.Distance(c.SndUna, c.SendSequenceStart);
            if (position >= c.SendBuffer.Count)
                return;
            if (c.SndWnd > 0)
            {
                SendOverride(c);
                return;
            }
            // A peer that answers every probe with a zero window could hold the connection forever: a closed
            // one gets OrphanZeroWindowProbes probes (Linux), a held one ZeroWindowTimeoutMs; then RST.
            if ((c.UserClosed && c.PersistProbes >= _config.OrphanZeroWindowProbes)
                || (c.PersistSinceMs != TcpConnection.Off && _now - c.PersistSinceMs >= _config.ZeroWindowTimeoutMs))
            {
                Counters.ConnectionTimeouts++;
                AbortConnection(c, TcpError.TimedOut);
                return;
            }
            c.PersistProbes++;
            Counters.ZeroWindowProbes++;
            SendSegment(c, c.SndUna, 1, false);
            c.RttTiming = false; // Karn (RFC 6298 3): the probe is answered when the peer reads, not after a round trip
            c.RetransmitAt = TcpConnection.Off; // the persist timer owns this byte while the window is shut
            if (c.PersistBackoff < 16) c.PersistBackoff++;
            c.PersistAt = _now + PersistInterval(c);
            TimerArmed(c.PersistAt);
        }

        private int PersistInterval(TcpConnection c)
        {
            long interval = (long)c.Rtt.RtoMs << c.PersistBackoff;
            return interval > _config.MaxRtoMs ? _config.MaxRtoMs : (int)interval;
        }

        private void KeepAliveTimeout(TcpConnection c)
        {
            if (!c.KeepAliveEnabled || (c.StateValue != TcpState.Established && c.StateValue != TcpState.CloseWait))
            {
                c.KeepAliveAt = TcpConnection.Off;
                return;
            }
            if (c.KeepAliveProbesSent >= _config.KeepAliveProbes)
            {
                Counters.ConnectionTimeouts++;
                CloseConnection(c, TcpError.TimedOut);
                return;
            }
            // SEG.SEQ = SND.UNA - 1 with no data: the peer must answer with an ACK (RFC 1122 4.2.3.6).
            c.KeepAliveProbesSent++;
            Counters.KeepAliveProbes++;
            SendSegment(c, c.SndUna - 1, 0, false);
            c.KeepAliveAt = _now + _config.KeepAliveIntervalMs;
            TimerArmed(c.KeepAliveAt);
        }
    }
}
