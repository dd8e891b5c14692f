// Segment arrival, RFC 9293 3.10.7, in the RFC's order:
//   CLOSED (3.10.7.1) -> RST; LISTEN (3.10.7.2) -> SYN queue or SYN cookie (RFC 4987);
//   SYN-SENT (3.10.7.3); every other state (3.10.7.4): 1 sequence check, 2 RST (RFC 5961 3),
//   4 SYN (RFC 5961 4), 5 ACK (RFC 5961 5), 6 URG, 7 text, 8 FIN.
// Plus TIME_WAIT reuse by a new SYN (RFC 6191, RFC 1122 4.2.2.13).
using NanoTcp.Wire;

namespace NanoTcp.Tcp
{
    public sealed partial class TcpEngine
    {
        /// <summary>Handles one checksum-verified segment from source to destination.</summary>
        public void ProcessSegment(long nowMs, uint source, uint destination, TcpSegment segment)
        {
            _now = nowMs;
            Counters.SegmentsReceived++;
            TcpConnection c = FindByPorts(destination, source, segment._ports); // both port fields in one: every segment
            if (c == null)
            {
                TcpListener listener = FindListener(segment.DestinationPort);
                if (listener != null)
                    ListenInput(listener, source, destination, segment);
                else
                    ClosedInput(source, destination, segment);
                return;
            }
            TcpState state = c.StateValue;
            if (state == TcpState.Established && HeaderPrediction && PredictedInput(c, segment))
            {
                Output(c); // still ESTABLISHED; PredictedInput kept LastProgressAt
                return;
            }
            uint rcvNxt = c.RcvNxt, sndUna = c.SndUna;
            if (state == TcpState.SynSent)
                SynSentInput(c, segment);
            else
                SynchronizedInput(c, segment);
            if (c.RcvNxt != rcvNxt || c.SndUna != sndUna)
                c.LastProgressAt = _now; // idle timeouts and the slot policy's reclaim order
            if (c.InUse && c.StateValue != TcpState.Closed)
                Output(c);
        }

        // 3.10.7.1: no connection. Never answer a RST; else RST that the sender will accept.
        private void ClosedInput(uint source, uint destination, TcpSegment s)
        {
            Counters.DroppedNoListener++;
            int flags = s.Flags;
            if ((flags & TcpFlags.Rst) != 0)
                return;
            if ((flags & TcpFlags.Ack) != 0)
                SendUnsolicitedReset(destination, s.DestinationPort, source, s.SourcePort, s.AcknowledgmentNumber, 0, false);
            else
                SendUnsolicitedReset(destination, s.DestinationPort, source, s.SourcePort, 0, s.SequenceNumber + (uint)s.SegmentLength, true);
        }

        // 3.10.7.2: LISTEN.
        private void ListenInput(TcpListener listener, uint source, uint destination, TcpSegment s)
        {
            int flags = s.Flags;
            if ((flags & TcpFlags.Rst) != 0)
                return;
            if ((flags & TcpFlags.Ack) != 0)
            {
                if ((flags & TcpFlags.Syn) == 0 && CookieInput(listener, source, destination, s))
                    return;
                SendUnsolicitedReset(destination, s.DestinationPort, source, s.SourcePort, s.AcknowledgmentNumber, 0, false);
                return;
            }
            if ((flags & TcpFlags.Syn) == 0)
                return;
            if ((flags & TcpFlags.Fin) != 0)
            {
                // No real opening carries SYN and FIN; scanners send it to fingerprint. Dropped, as Linux and
                // the BSDs do, rather than half-opening a connection for it.
                Counters.DroppedSynFin++;
                return;
            }

            TcpConnection c = HalfOpenAllowed(listener) && !PeerAtLimit(source) ? AllocateSlot(SlotForHalfOpen) : null;
            if (c == null)
            {
                // SYN queue full (or no free slot): answer with a cookie and keep nothing (RFC 4987 3.6).
                int mss = s.HasMaximumSegmentSize ? s.MaximumSegmentSize : _config.DefaultMss;
                uint cookie = _cookies.Make(destination, s.DestinationPort, source, s.SourcePort, s.SequenceNumber, mss, _now);
                Counters.SynCookiesSent++;
                SendSynAckCookie(destination, s.DestinationPort, source, s.SourcePort, cookie, s.SequenceNumber + 1);
                return;
            }
            c.Initialize(_config, destination, s.DestinationPort, source, s.SourcePort);
            c.Listener = listener;
            c.Released = true; // nobody holds it until Accept
            c.Passive = true;
            c.LastProgressAt = _now;
            c.CloseAt = _now + _config.HalfOpenTimeoutMs; // a bounded half-open lifetime (TcpEngine.Slots.cs)
            TimerArmed(c.CloseAt);
            c.StartSequence(_isn.Next(destination, s.DestinationPort, source, s.SourcePort, _now));
            SetPeerMss(c, s.MaximumSegmentSize, s.HasMaximumSegmentSize);
            TakePeerSyn(c, s.SequenceNumber, s);
            c.StateValue = TcpState.SynReceived;
            c.SynToSend = true;
            // Data in a SYN is not kept (RFC 9293 allows queuing it): the peer sends it again.
            Output(c);
        }

        /// <summary>An ACK in LISTEN that completes a cookie handshake: the connection starts ESTABLISHED.</summary>
        private bool CookieInput(TcpListener listener, uint source, uint destination, TcpSegment s)
        {
            int mss = _cookies.Check(destination, s.DestinationPort, source, s.SourcePort, s.SequenceNumber, s.AcknowledgmentNumber, _now);
            if (mss == 0)
            {
                Counters.SynCookiesRejected++;
                return false;
            }
            if (listener.AcceptCount >= listener.Backlog)
            {
                // No state holds this connection: dropped, the client could wait for ever (if it sends
                // nothing). Refused instead, so it knows (as Linux's tcp_abort_on_overflow does).
                Counters.AcceptQueueOverflows++;
                Counters.ConnectionsRefused++;
                SendReset(destination, s.DestinationPort, source, s.SourcePort, s.AcknowledgmentNumber, 0, false);
                return true;
            }
            TcpConnection c = PeerAtLimit(source) ? null : AllocateSlot(SlotForCompletedHandshake);
            if (c == null)
            {
                // No slot to be had: refuse with RST rather than leave the client talking to nobody. The cookie
                // proved the address, and it is one RST per segment: outside the unsolicited-RST budget.
                Counters.ConnectionsRefused++;
                SendReset(destination, s.DestinationPort, source, s.SourcePort, s.AcknowledgmentNumber, 0, false);
                return true;
            }
            Counters.SynCookiesAccepted++;
            c.Initialize(_config, destination, s.DestinationPort, source, s.SourcePort);
            c.StartSequence(s.AcknowledgmentNumber - 1);
            SetPeerMss(c, mss, true);
            c.SndUna = c.SndNxt = c.SndMax = s.AcknowledgmentNumber;
            TakePeerSyn(c, s.SequenceNumber - 1, s); // the SYN this ACK answers came one sequence number earlier
            c.SndWl2 = s.AcknowledgmentNumber;
            c.StateValue = TcpState.Established;
            WalkAtNextPoll(); // connected without a SYN-ACK sent: Poll switches keepalive on
            c.Listener = listener;
            c.Released = true;
            c.Passive = true;
            c.LastProgressAt = _now;
            listener.Enqueue(c);
            Counters.PassiveOpens++;
            SynchronizedInput(c, s); // data or FIN riding on the ACK
            if (c.InUse && c.StateValue != TcpState.Closed)
                Output(c);
            return true;
        }

        /// <summary>The peer's initial sequence number fixes the receive side (IRS, RCV.NXT, nothing announced
        /// yet) and segment s its window (SND.WND, SND.WL1).</summary>
        private static void TakePeerSyn(TcpConnection c, uint irs, TcpSegment s)
        {
            c.Irs = irs;
            c.RcvNxt = irs + 1;
            c.RcvAdvertisedEdge = c.RcvNxt;
            c.SndWnd = s.Window;
            c.MaxSndWnd = s.Window;
            c.SndWl1 = s.SequenceNumber;
        }

        // 3.10.7.3: SYN-SENT.
        private void SynSentInput(TcpConnection c, TcpSegment s)
        {
            int flags = s.Flags;
            bool ack = (flags & TcpFlags.Ack) != 0;
            uint segAck = s.AcknowledgmentNumber;
            if (ack && (SequenceNumber.LessOrEqual(segAck, c.Iss) || SequenceNumber.GreaterThan(segAck, c.SndMax)))
            {
                // An old duplicate SYN-ACK: RST it and stay in SYN-SENT.
                if ((flags & TcpFlags.Rst) == 0)
                    SendReset(c.LocalAddress, c.LocalPortNumber, c.RemoteAddressValue, c.RemotePortNumber, segAck, 0, false);
                return;
            }
            if ((flags & TcpFlags.Rst) != 0)
            {
                if (ack)
                {
                    Counters.ResetsReceived++;
                    Counters.AttemptFails++;
                    CloseConnection(c, TcpError.Refused);
                }
                return;
            }
            if ((flags & TcpFlags.Syn) == 0)
                return;

            TakePeerSyn(c, s.SequenceNumber, s);
            SetPeerMss(c, s.MaximumSegmentSize, s.HasMaximumSegmentSize);
            c.SndWl2 = segAck;
            if (ack)
            {
                AcknowledgeSent(c, segAck);
                c.StateValue = TcpState.Established;
                c.AckNow = true;
                if (c.KeepAliveEnabled)
                {
                    c.KeepAliveAt = _now + _config.KeepAliveIdleMs;
                    TimerArmed(c.KeepAliveAt);
                }
                // Data and FIN that came with the SYN-ACK.
                ReceiveText(c, s, s.SequenceNumber + 1, s.PayloadOffset, s.PayloadLength, (flags & TcpFlags.Fin) != 0);
            }
            else
            {
                // Simultaneous open: our SYN crossed theirs (RFC 9293 figure 8).
                c.StateValue = TcpState.SynReceived;
                c.SynToSend = true;
            }
        }

        // 3.10.7.4: SYN-RECEIVED and the synchronized states.
        private void SynchronizedInput(TcpConnection c, TcpSegment s)
        {
            int flags = s.Flags;
            bool syn = (flags & TcpFlags.Syn) != 0;
            bool rst = (flags & TcpFlags.Rst) != 0;
            bool ack = (flags & TcpFlags.Ack) != 0;
            bool fin = (flags & TcpFlags.Fin) != 0;
            uint seq = s.SequenceNumber;
            int segLength = s.SegmentLength;

            if (c.StateValue == TcpState.SynReceived && syn && !rst && seq == c.Irs)
            {
                if (!ack)
                {
                    c.SynToSend = true; // the peer's SYN again: the same SYN-ACK again
                    return;
                }
                // The SYN-ACK of a simultaneous open: its SYN is the one we have; go on without it.
                syn = false;
                seq++;
                segLength--;
            }
            else if (c.StateValue == TcpState.SynReceived && syn && !rst && c.Listener != null)
            {
                // Another SYN on a half-open passive connection: RST it and fall back to LISTEN.
                SendReset(c.LocalAddress, c.LocalPortNumber, c.RemoteAddressValue, c.RemotePortNumber,
                    ack ? s.AcknowledgmentNumber : 0, seq + (uint)segLength, !ack);
                Counters.HalfOpenDropped++;
                CloseConnection(c, TcpError.None);
                return;
            }
            if (c.StateValue == TcpState.TimeWait && !rst)
            {
                if (syn && !ack)
                {
                    if (TimeWaitReopen(c, s))
                        return;
                }
                else if (fin && seq + (uint)segLength == c.RcvNxt)
                {
                    // The peer's FIN again (our last ACK was lost): ACK it, restart 2 MSL (RFC 9293 3.10.7.4).
                    c.AckNow = true;
                    c.CloseAt = _now + 2L * _config.MslMs;
                    TimerArmed(c.CloseAt);
                    return;
                }
            }

            // Step 1: is any of it inside the receive window?
            int window = c.ReceiveBuffer.Free;
            bool acceptable;
            if (segLength == 0)
                acceptable = window == 0 ? seq == c.RcvNxt : SequenceNumber.InRange(seq, c.RcvNxt, window);
            else
                acceptable = window > 0 && (SequenceNumber.InRange(seq, c.RcvNxt, window)
                    || SequenceNumber.InRange(seq + (uint)segLength - 1, c.RcvNxt, window));
            if (!acceptable && !(window == 0 && seq == c.RcvNxt))
            {
                // Zero window: a segment at RCV.NXT still has its ACK, RST and URG read (RFC 9293 3.10.7.4).
                Counters.DroppedOutOfWindow++;
                if (!rst)
                    c.AckNow = true;
                return;
            }

            // Step 2: RST, accepted only at exactly RCV.NXT (RFC 5961 3.2).
            if (rst)
            {
                if (seq != c.RcvNxt)
                {
                    ChallengeAck(c);
                    return;
                }
                Counters.ResetsReceived++;
                ResetInput(c);
                return;
            }

            // Step 4: a SYN in a synchronized state is answered with a challenge ACK (RFC 5961 4.2).
            if (syn)
            {
                ChallengeAck(c);
                return;
            }

            // Step 5: ACK.
            if (!ack)
            {
                Counters.DroppedNoAck++;
                return;
            }
            uint segAck = s.AcknowledgmentNumber;
            if (c.StateValue == TcpState.SynReceived)
            {
                if (!SequenceNumber.LessThan(c.SndUna, segAck) || SequenceNumber.GreaterThan(segAck, c.SndMax))
                {
                    SendReset(c.LocalAddress, c.LocalPortNumber, c.RemoteAddressValue, c.RemotePortNumber, segAck, 0, false);
                    return;
                }
                if (c.Listener != null && !c.Listener.Enqueue(c))
                {
                    Counters.AcceptQueueOverflows++;
                    return; // stays half-open; the SYN-ACK is retransmitted and the peer ACKs again
                }
                if (c.Listener != null)
                    Counters.PassiveOpens++;
                c.StateValue = c.FinQueued ? TcpState.FinWait1 : TcpState.Established;
                c.CloseAt = TcpConnection.Off; // the half-open lifetime no longer applies
                c.SndWnd = s.Window;
                if (s.Window > c.MaxSndWnd) c.MaxSndWnd = s.Window;
                c.SndWl1 = seq;
                c.SndWl2 = segAck;
                if (c.KeepAliveEnabled)
                {
                    c.KeepAliveAt = _now + _config.KeepAliveIdleMs;
                    TimerArmed(c.KeepAliveAt);
                }
            }

            // RFC 5961 5.2: acceptable ACKs lie in [SND.UNA - MAX.SND.WND, SND.MAX].
            if (SequenceNumber.GreaterThan(segAck, c.SndMax)
                || SequenceNumber.LessThan(segAck, c.SndUna - (uint)c.MaxSndWnd))
            {
                ChallengeAck(c);
                return;
            }
            // Only a segment acceptable in sequence and acknowledgment shows the peer alive (RFC 1122 4.2.3.6).
            if (c.KeepAliveEnabled)
            {
                c.KeepAliveProbesSent = 0;
                c.KeepAliveAt = _now + _config.KeepAliveIdleMs;
                TimerArmed(c.KeepAliveAt);
            }
            int payload = s.PayloadLength;
            if (SequenceNumber.GreaterThan(segAck, c.SndUna))
            {
                AcknowledgeSent(c, segAck);
            }
            else if (segAck == c.SndUna && payload == 0 && !fin && s.Window == c.SndWnd && c.SndWnd > 0
                && SequenceNumber.GreaterThan(c.SndMax, c.SndUna))
            {
                DuplicateAck(c, segAck); // RFC 5681 section 2 "DUPLICATE ACKNOWLEDGMENT"
            }
            // Window update, when this segment is newer than the last one that set it (RFC 9293 3.10.7.4).
            if (SequenceNumber.LessThan(c.SndWl1, seq) || (c.SndWl1 == seq && SequenceNumber.LessOrEqual(c.SndWl2, segAck)))
            {
                if (c.SndWnd == 0 && s.Window > 0 && c.PersistAt != TcpConnection.Off)
                    c.SndNxt = c.SndUna; // the window opened: send the probe byte again with what follows it
                c.SndWnd = s.Window;
                c.SndWl1 = seq;
                c.SndWl2 = segAck;
                if (s.Window > c.MaxSndWnd) c.MaxSndWnd = s.Window;
                if (s.Window > 0)
                    PeerWindowOpen(c);
            }

            if (c.FinSent && SequenceNumber.GreaterThan(c.SndUna, c.FinSequence))
            {
                switch (c.StateValue)
                {
                    case TcpState.FinWait1:
                        c.StateValue = TcpState.FinWait2;
                        if (c.UserClosed)
                        {
                            c.CloseAt = _now + _config.FinWait2TimeoutMs;
                            TimerArmed(c.CloseAt);
                        }
                        break;
                    case TcpState.Closing:
                        EnterTimeWait(c);
                        return;
                    case TcpState.LastAck:
                        CloseConnection(c, TcpError.None);
                        return;
                }
            }
            if (c.StateValue == TcpState.TimeWait)
                return;

            // Step 6: URG. The pointer is only checked; urgent data is delivered inline.
            if ((flags & TcpFlags.Urg) != 0 && s.UrgentPointerBeyondSegment)
                Counters.UrgentPointerInvalid++;

            // Steps 7 and 8.
            ReceiveText(c, s, seq, s.PayloadOffset, payload, fin);
        }

        /// <summary>The peer's window is open: no probing (RFC 9293 3.8.6.1), and data in flight is timed again.</summary>
        private void PeerWindowOpen(TcpConnection c)
        {
            c.PersistAt = TcpConnection.Off;
            c.PersistBackoff = 0;
            c.PersistProbes = 0;
            c.PersistSinceMs = TcpConnection.Off;
            if (c.RetransmitAt == TcpConnection.Off && (int)(c.SndMax - c.SndUna) > 0) // GreaterThan, inline: every ACK
            {
                c.RetransmitAt = _now + c.Rtt.RtoMs;
                TimerArmed(c.RetransmitAt);
            }
        }

        private void ResetInput(TcpConnection c)
        {
            switch (c.StateValue)
            {
                case TcpState.SynReceived:
                    if (c.Listener != null)
                    {
                        CloseConnection(c, TcpError.None); // back to LISTEN: the listener is untouched
                        return;
                    }
                    Counters.AttemptFails++;
                    CloseConnection(c, TcpError.Refused);
                    return;
                case TcpState.Established:
                case TcpState.FinWait1:
                case TcpState.FinWait2:
                case TcpState.CloseWait:
                    Counters.EstablishedResets++;
                    CloseConnection(c, TcpError.Reset);
                    return;
                default: // CLOSING, LAST-ACK, TIME-WAIT
                    CloseConnection(c, TcpError.None);
                    return;
            }
        }

        /// <summary>RFC 6191 / RFC 1122 4.2.2.13: a SYN above the old connection's last sequence number
        /// may reopen the pair from TIME_WAIT, with an ISN above everything the old one sent.</summary>
        private bool TimeWaitReopen(TcpConnection c, TcpSegment s)
        {
            TcpListener listener = FindListener(c.LocalPortNumber);
            if (listener == null || !SequenceNumber.GreaterThan(s.SequenceNumber, c.RcvNxt) || !c.Released)
                return false;
            uint floor = c.SndMax + 65536;
            uint local = c.LocalAddress;
            Counters.TimeWaitReopened++;
            c.Initialize(_config, local, s.DestinationPort, c.RemoteAddressValue, s.SourcePort);
            uint isn = _isn.Next(local, s.DestinationPort, c.RemoteAddressValue, s.SourcePort, _now);
            c.StartSequence(SequenceNumber.GreaterThan(isn, floor) ? isn : floor);
            c.Listener = listener;
            c.Released = true;
            SetPeerMss(c, s.MaximumSegmentSize, s.HasMaximumSegmentSize);
            c.Irs = s.SequenceNumber;
            c.RcvNxt = s.SequenceNumber + 1;
            c.RcvAdvertisedEdge = c.RcvNxt;
            c.SndWnd = c.MaxSndWnd = s.Window;
            c.SndWl1 = s.SequenceNumber;
            c.StateValue = TcpState.SynReceived;
            c.SynToSend = true;
            return true;
        }

        /// <summary>SND.UNA advances to ack: frees acknowledged bytes, samples RTT (Karn), grows the
        /// congestion window or continues recovery, and restarts or stops the retransmission timer.</summary>
        private void AcknowledgeSent(TcpConnection c, uint ack)
        {
            // SequenceNumber's comparisons written out in this method (RFC 9293 3.4): it runs for every ACK of new
            // data, and each call costs 4 IL more on the device.
            int flight = 0 - (int)(c.SndUna - c.SndMax);
            bool synAcked = c.SndUna == c.Iss;
            c.SndUna = ack;
            if ((int)(c.SndNxt - ack) < 0)
                c.SndNxt = ack;
            int dataAcked = 0 - (int)(c.SendSequenceStart - ack);
            TcpSendBuffer ring = c.SendBuffer;
            if (dataAcked > ring._count) dataAcked = ring._count;
            if (dataAcked > 0)
            {
                ring.Discard(dataAcked);
                c.SendSequenceStart += (uint)dataAcked;
            }
            if (c.RttTiming && (int)(ack - c.RttSequence) > 0)
            {
                c.Rtt.AddSample((int)(_now - c.RttStartMs));
                c.RttTiming = false;
            }
            if (synAcked && c.SynRetransmitted)
                c.Rtt.RaiseTo(RtoAfterRetransmittedSynMs);
            c.Retries = 0;
            // Congestion control counts data only: the ACK of a SYN or FIN grows nothing.
            if (c.Congestion.InRecovery)
            {
                if (c.Congestion.OnRecoveryAck(ack, dataAcked > 0 ? dataAcked : 0, flight))
                    RetransmitFirst(c);
            }
            else if (dataAcked > 0)
            {
                c.Congestion.OnAck(dataAcked, flight);
            }
            if ((int)(c.SndMax - c.SndUna) > 0)
            {
                long at = _now + c.Rtt._rtoMs;
                c.RetransmitAt = at;
                if (at < _timersDueAt) _timersDueAt = at; // TimerArmed, inline: once per ACK
            }
            else
            {
                c.RetransmitAt = TcpConnection.Off;
            }
        }

        private void DuplicateAck(TcpConnection c, uint ack)
        {
            // c.Congestion is a struct held in the connection: used in place, never copied.
            if (c.Congestion.DuplicateAcks < 65535)
                c.Congestion.DuplicateAcks++; // a flood of duplicates never wraps the count
            if (c.Congestion.InRecovery)
            {
                c.Congestion.OnExtraDuplicateAck();
            }
            else if (c.Congestion.DuplicateAcks == 3
                && c.Congestion.OnThirdDuplicateAck(SequenceNumber.Distance(c.SndMax, c.SndUna), c.SndMax, ack))
            {
                Counters.FastRetransmits++;
                RetransmitFirst(c);
            }
        }

        /// <summary>Steps 7 and 8: in-order data goes to the ring (and pulls in what waited behind the
        /// hole), out-of-order data is kept at its place; a FIN counts only once everything before it has.</summary>
        private void ReceiveText(TcpConnection c, TcpSegment s, uint dataSeq, int dataOffset, int dataLength, bool fin)
        {
            TcpState state = c.StateValue;
            bool takesText = state == TcpState.Established || state == TcpState.FinWait1 || state == TcpState.FinWait2;
            if (!takesText)
                dataLength = 0; // after a FIN nothing more is read (CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT)
            uint finSeq = dataSeq + (uint)dataLength;

            // Trim what was already received, and what lies past the window.
            if (dataLength > 0 && SequenceNumber.LessThan(dataSeq, c.RcvNxt))
            {
                int skip = SequenceNumber.Distance(c.RcvNxt, dataSeq);
                if (skip >= dataLength)
                {
                    dataLength = 0;
                }
                else
                {
                    dataOffset += skip;
                    dataLength -= skip;
                }
                dataSeq = c.RcvNxt;
                c.AckNow = true; // a retransmission: tell the sender at once
            }
            int room = c.ReceiveBuffer.Free - SequenceNumber.Distance(dataSeq, c.RcvNxt);
            if (dataLength > room)
            {
                dataLength = room < 0 ? 0 : room;
                fin = false; // the FIN lies past the window
                c.AckNow = true; // not acceptable beyond the window, a zero-window probe included (RFC 9293 3.10.7.4)
            }

            if (dataLength > 0)
            {
                if (c.UserClosed)
                {
                    // The application closed: nobody will read this (RFC 1122 4.2.2.13).
                    Counters.DataAfterClose++;
                    AbortConnection(c, TcpError.Aborted);
                    return;
                }
                int distance = SequenceNumber.Distance(dataSeq, c.RcvNxt);
                if (distance == 0)
                {
                    c.ReceiveBuffer.WriteAt(0, s.Buffer, dataOffset, dataLength);
                    c.ReceiveBuffer.Commit(dataLength);
                    c.RcvNxt += (uint)dataLength;
                    if (c.OutOfOrder.Count > 0)
                    {
                        uint next = c.OutOfOrder.Advance(c.RcvNxt);
                        c.ReceiveBuffer.Commit(SequenceNumber.Distance(next, c.RcvNxt));
                        c.RcvNxt = next;
                        c.AckNow = true; // a hole filled (RFC 5681 4.2)
                    }
                    ScheduleAck(c, dataLength);
                }
                else
                {
                    Counters.OutOfOrderSegments++;
                    if (c.OutOfOrder.Add(dataSeq, dataSeq + (uint)dataLength))
                        c.ReceiveBuffer.WriteAt(distance, s.Buffer, dataOffset, dataLength);
                    else
                        Counters.OutOfOrderDropped++;
                    c.AckNow = true; // duplicate ACK for fast retransmit (RFC 5681 4.2)
                }
            }

            if (fin)
            {
                if (finSeq == c.RcvNxt)
                {
                    ReceiveFin(c);
                }
                else if (SequenceNumber.GreaterThan(finSeq, c.RcvNxt))
                {
                    c.FinPending = true;
                    c.FinPendingSequence = finSeq;
                    c.AckNow = true;
                }
                else
                {
                    c.AckNow = true; // a FIN we already have
                }
            }
            else if (c.FinPending && c.FinPendingSequence == c.RcvNxt)
            {
                ReceiveFin(c);
            }
        }

        private void ScheduleAck(TcpConnection c, int dataLength)
        {
            if (!c.DelayedAckEnabled)
            {
                c.AckNow = true;
                return;
            }
            // RFC 1122 4.2.3.2 / RFC 9293 3.8.6.3: ACK at least every second full-sized segment, "full"
            // meaning the largest the peer has sent (Linux's rcv_mss): peers send less than our MSS.
            if (dataLength > c.PeerSegmentSize)
                c.PeerSegmentSize = dataLength > _config.LocalMss ? _config.LocalMss : dataLength;
            if (dataLength >= c.PeerSegmentSize && ++c.FullSegmentsUnacked >= 2)
            {
                c.AckNow = true;
                return;
            }
            // No room left for another such segment: the peer waits for this ACK, so it goes now.
            TcpReceiveBuffer ring = c.ReceiveBuffer;
            if (ring._data.Length - ring._count < c.PeerSegmentSize)
            {
                c.AckNow = true;
                return;
            }
            if (c.DelayedAckAt == TcpConnection.Off)
            {
                long at = _now + _config.DelayedAckMs;
                c.DelayedAckAt = at;
                if (at < _timersDueAt) _timersDueAt = at; // TimerArmed, inline: once per segment received
            }
        }

        private void ReceiveFin(TcpConnection c)
        {
            c.RcvNxt++;
            c.FinReceived = true;
            c.FinPending = false;
            switch (c.StateValue)
            {
                case TcpState.SynReceived:
                case TcpState.Established:
                    c.StateValue = TcpState.CloseWait;
                    // The ACK waits like a delayed ACK, so an application that closes at once sends
                    // FIN and ACK in one segment (the three-segment close).
                    if (c.DelayedAckEnabled && c.DelayedAckAt == TcpConnection.Off)
                    {
                        c.DelayedAckAt = _now + _config.DelayedAckMs;
                        TimerArmed(c.DelayedAckAt);
                    }
                    else if (!c.DelayedAckEnabled)
                        c.AckNow = true;
                    break;
                case TcpState.FinWait1:
                    if (c.FinSent && SequenceNumber.GreaterThan(c.SndUna, c.FinSequence))
                    {
                        EnterTimeWait(c);
                        c.AckNow = true;
                    }
                    else
                    {
                        c.StateValue = TcpState.Closing; // simultaneous close
                        c.AckNow = true;
                    }
                    break;
                case TcpState.FinWait2:
                    EnterTimeWait(c);
                    c.AckNow = true;
                    break;
                default:
                    c.AckNow = true;
                    break;
            }
        }

        private void EnterTimeWait(TcpConnection c)
        {
            c.StateValue = TcpState.TimeWait;
            c.StopTimers();
            c.CloseAt = _now + 2L * _config.MslMs;
            TimerArmed(c.CloseAt);
        }
    }
}
