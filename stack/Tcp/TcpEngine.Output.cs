// Sending, RFC 9293 3.8.6 (managing the window) and 3.9: what may go out now, built straight from
// the send ring into the transmitter's buffer. Order within Output: SYN or SYN-ACK; data as the
// window, Nagle (RFC 1122 4.2.3.4) and sender silly-window avoidance allow; FIN; else a pure ACK
// when one is owed. Every segment after the SYN carries ACK with the window to announce
// (receiver silly-window avoidance, RFC 1122 4.2.3.3).
using NanoTcp.Wire;

namespace NanoTcp.Tcp
{
    public sealed partial class TcpEngine
    {
        private const int SwsOverrideMs = 200; // RFC 1122 4.2.3.4: "in the range 0.1 - 1.0 seconds"

        private void Output(TcpConnection c)
        {
            // Nothing to send and no ACK owed, the case at most polls: what the steps below would conclude.
            // Here and in the loop below SequenceNumber.Distance is written out (0 - (int)(b - a), RFC 9293 3.4):
            // a call costs 4 IL more on the device, at every segment.
            if (!c.AckNow && !c.SynToSend && !c.FinQueued && (c.DelayedAckAt == TcpConnection.Off || _now < c.DelayedAckAt)
                && c.SendBuffer._count <= 0 - (int)(c.SendSequenceStart - c.SndNxt))
                return;
            // No room for another of the peer's segments: what this connection sends now would announce a shut window.
            if (_holdingOutput && c.ReceiveBuffer._data.Length - c.ReceiveBuffer._count < c.PeerSegmentSize)
            {
                _outputHeld = true;
                return; // ReleaseOutput sends it (TcpEngine.OutputHold.cs); the field first: no call when not holding
            }
            bool acked = false;
            if (c.SynToSend)
            {
                SendSyn(c);
                acked = c.StateValue == TcpState.SynReceived;
            }
            TcpState state = c.StateValue;
            bool sending = state == TcpState.Established || state == TcpState.CloseWait || state == TcpState.FinWait1
                || state == TcpState.Closing || state == TcpState.LastAck;
            if (sending)
            {
                // The ring and the MSS in locals (nothing below changes either), SND.NXT read once a turn.
                TcpSendBuffer ring = c.SendBuffer;
                int mss = c.Mss;
                while (true)
                {
                    uint nxt = c.SndNxt;
                    int unsent = ring._count - (0 - (int)(c.SendSequenceStart - nxt));
                    if (unsent <= 0)
                        break;
                    int inFlight = 0 - (int)(c.SndUna - nxt);
                    int window = c.SndWnd;
                    int congestion = c.Congestion.CongestionWindow;
                    if (congestion < window) window = congestion;
                    int length = window - inFlight;
                    if (length > unsent) length = unsent;
                    if (length > mss) length = mss;
                    if (length <= 0)
                    {
                        if (c.SndWnd == 0 && inFlight == 0)
                            StartPersist(c);
                        break;
                    }
                    if (length < mss && !MaySendShort(c, length, unsent, inFlight))
                        break;
                    if (!SendSegment(c, nxt, length, c.FinQueued && length == unsent))
                        return;
                    acked = true;
                }
                // The FIN follows the last byte; sent again after a timeout rewound SND.NXT to or before it.
                if (c.FinQueued && SequenceNumber.Distance(c.SndNxt, c.SendSequenceStart) >= c.SendBuffer.Count
                    && !(c.FinSent && SequenceNumber.GreaterThan(c.SndNxt, c.FinSequence)))
                {
                    if (!SendSegment(c, c.SndNxt, 0, true)) // a FIN needs no window
                        return;
                    acked = true;
                }
            }
            // SYN-RECEIVED owes ACKs too: to unacceptable segments and as challenge ACKs (RFC 9293 3.10.7.4, RFC 5961).
            if (!acked && (c.AckNow || (c.DelayedAckAt != TcpConnection.Off && _now >= c.DelayedAckAt))
                && c.StateValue >= TcpState.SynReceived)
                SendSegment(c, AcceptableSequence(c), 0, false);
        }

        /// <summary>The sequence number for a segment without data (ACK, RST) that the peer accepts: SND.MAX,
        /// not SND.NXT, which a timeout rewinds below what the peer already has (BSD tcp_output does the same);
        /// but SND.UNA while the peer's window is shut, as it accepts an empty segment only at its RCV.NXT and
        /// our probe byte lies past it (RFC 9293 3.10.7.4).</summary>
        private static uint AcceptableSequence(TcpConnection c)
        {
            return c.SndWnd == 0 && c.IsSynchronized ? c.SndUna : c.SndMax;
        }

        /// <summary>RFC 1122 4.2.3.4 for a segment shorter than the MSS: sender silly-window avoidance holds it
        /// while it is less than all that is queued and less than half the peer's largest window, in flight
        /// or not (with nothing in flight the override timeout sends it, as no ACK will come); Nagle holds the
        /// last small piece while data is in flight and the ring could still fill a segment (when it cannot,
        /// waiting only leaves it behind the peer's delayed ACK).</summary>
        private bool MaySendShort(TcpConnection c, int length, int unsent, int inFlight)
        {
            if (length < unsent)
            {
                if (length >= c.MaxSndWnd / 2)
                    return true;
                if (inFlight == 0 && c.PersistAt == TcpConnection.Off)
                {
                    c.PersistAt = _now + SwsOverrideMs;
                    TimerArmed(c.PersistAt);
                }
                return false;
            }
            return !c.NagleEnabled || inFlight == 0 || c.FinQueued || unsent + c.SendBuffer.Free < c.Mss;
        }

        /// <summary>The override timeout fired (RFC 1122 4.2.3.4): send what the window allows, however small.</summary>
        private void SendOverride(TcpConnection c)
        {
            int inFlight = SequenceNumber.Distance(c.SndNxt, c.SndUna);
            int unsent = c.SendBuffer.Count - SequenceNumber.Distance(c.SndNxt, c.SendSequenceStart);
            int window = c.SndWnd < c.Congestion.CongestionWindow ? c.SndWnd : c.Congestion.CongestionWindow;
            int length = window - inFlight;
            if (length > unsent) length = unsent;
            if (length > c.Mss) length = c.Mss;
            if (length > 0)
                SendSegment(c, c.SndNxt, length, c.FinQueued && length == unsent);
        }

        /// <summary>The peer's window is shut with data waiting: probes start (RFC 9293 3.8.6.1), and the time
        /// it has been shut is kept for the limit of RFC 6429.</summary>
        private void StartPersist(TcpConnection c)
        {
            if (c.PersistAt == TcpConnection.Off)
            {
                c.PersistAt = _now + PersistInterval(c);
                TimerArmed(c.PersistAt);
            }
            if (c.PersistSinceMs == TcpConnection.Off)
                c.PersistSinceMs = _now;
        }

        private void SendSyn(TcpConnection c)
        {
            byte[] buffer;
            int offset, capacity;
            if (!_transmitter.TryGetSegmentBuffer(c.RemoteAddressValue, out buffer, out offset, out capacity) || capacity < 24)
            {
                Counters.DroppedNoBuffer++;
                WalkAtNextPoll(); // the SYN is still owed: the next poll's Output tries again
                ArmRetransmit(c);
                return;
            }
            c.SynToSend = false;
            var header = new TcpHeader();
            header.SourcePort = c.LocalPortNumber;
            header.DestinationPort = c.RemotePortNumber;
            header.SequenceNumber = c.Iss;
            header.Flags = TcpFlags.Syn;
            if (c.StateValue == TcpState.SynReceived)
            {
                header.Flags |= TcpFlags.Ack;
                header.AcknowledgmentNumber = c.RcvNxt;
                ClearAckOwed(c);
            }
            header.Window = AnnounceWindow(c);
            header.MaximumSegmentSize = _config.LocalMss;
            int length = header.Emit(buffer, offset, 0, c.LocalAddress, c.RemoteAddressValue);
            CountSent(_transmitter.TransmitSegment(c.LocalAddress, c.RemoteAddressValue, buffer, offset, length));
            if (c.SndMax != c.Iss)
            {
                // Sent before: after a timeout, or for the peer's SYN again. Karn: no sample from either.
                Counters.SegmentsRetransmitted++;
                c.RttTiming = false;
                c.SynRetransmitted = true;
            }
            else if (!c.RttTiming)
            {
                c.RttTiming = true; // time the first SYN only (Karn)
                c.RttSequence = c.Iss;
                c.RttStartMs = _now;
            }
            c.SndNxt = c.Iss + 1;
            if (SequenceNumber.GreaterThan(c.SndNxt, c.SndMax))
                c.SndMax = c.SndNxt;
            ArmRetransmit(c);
        }

        private readonly TcpPlainHeader _plainHeader = new TcpPlainHeader(); // the header template of the last connection written for

        /// <summary>One segment of length bytes from the ring at seq (plus FIN), with ACK. False when
        /// the transmitter has no buffer now.</summary>
        private bool SendSegment(TcpConnection c, uint seq, int length, bool fin)
        {
            byte[] buffer;
            int offset, capacity;
            if (!_transmitter.TryGetSegmentBuffer(c.RemoteAddressValue, out buffer, out offset, out capacity))
            {
                Counters.DroppedNoBuffer++;
                WalkAtNextPoll(); // what was owed still is: the next poll's Output tries again
                if (length > 0 || fin)
                    ArmRetransmit(c);
                return false;
            }
            if (length > capacity - TcpSegment.MinimumHeaderLength)
            {
                length = capacity - TcpSegment.MinimumHeaderLength;
                fin = false;
            }
            int flags = TcpFlags.Ack;
            // SequenceNumber's Distance, LessThan and GreaterThan written out in this method (RFC 9293 3.4): it runs
            // for every segment sent, and each call costs 4 IL more on the device.
            if (length > 0)
            {
                TcpSendBuffer ring = c.SendBuffer;
                int position = 0 - (int)(c.SendSequenceStart - seq);
                if (position + length == ring._count)
                    flags |= TcpFlags.Psh; // the last queued byte (RFC 9293 3.9.1.2)
                ring.CopyOut(position, buffer, offset + TcpSegment.MinimumHeaderLength, length);
            }
            if (fin)
                flags |= TcpFlags.Fin;
            uint remote = c.RemoteAddressValue, local = c.LocalAddress;
            int headerLength = _plainHeader.Write(buffer, offset, c.LocalPortNumber, c.RemotePortNumber, seq, c.RcvNxt, flags,
                AnnounceWindow(c), length, local, remote);
            // CountSent and ClearAckOwed, inline: every segment.
            if (_transmitter.TransmitSegment(local, remote, buffer, offset, headerLength + length))
                Counters.SegmentsSent++;
            else
                Counters.SegmentsNotSent++;
            c.AckNow = false;
            c.DelayedAckAt = TcpConnection.Off;
            c.FullSegmentsUnacked = 0;
            uint end = seq + (uint)length + (fin ? 1u : 0u);
            bool retransmission = (int)(seq - c.SndMax) < 0;
            if (retransmission && (length > 0 || fin))
                Counters.SegmentsRetransmitted++;
            if (fin)
            {
                c.FinSent = true;
                c.FinSequence = seq + (uint)length;
            }
            if (length > 0 || fin)
            {
                if ((int)(end - c.SndNxt) > 0 && seq == c.SndNxt)
                    c.SndNxt = end;
                if (!retransmission && !c.RttTiming)
                {
                    c.RttTiming = true;
                    c.RttSequence = seq;
                    c.RttStartMs = _now;
                }
                if ((int)(end - c.SndMax) > 0)
                    c.SndMax = end;
                ArmRetransmit(c);
            }
            return true;
        }

        /// <summary>Resends one segment from SND.UNA (fast retransmit, NewReno partial ACK).</summary>
        private void RetransmitFirst(TcpConnection c)
        {
            c.RttTiming = false; // Karn: no sample across a retransmission
            int position = SequenceNumber.Distance(c.SndUna, c.SendSequenceStart);
            int length = c.SendBuffer.Count - position;
            if (length > c.Mss) length = c.Mss;
            if (length < 0) length = 0;
            bool fin = c.FinSent && c.SndUna + (uint)length == c.FinSequence;
            if (length > 0 || fin)
                SendSegment(c, c.SndUna, length, fin);
        }

        private void ArmRetransmit(TcpConnection c)
        {
            if (c.RetransmitAt == TcpConnection.Off)
            {
                long at = _now + c.Rtt._rtoMs;
                c.RetransmitAt = at;
                if (at < _timersDueAt) _timersDueAt = at; // TimerArmed, inline: once per segment sent
            }
        }

        private void ClearAckOwed(TcpConnection c)
        {
            c.AckNow = false;
            c.DelayedAckAt = TcpConnection.Off;
            c.FullSegmentsUnacked = 0;
        }

        /// <summary>RFC 1122 4.2.3.3: the right edge moves on only by at least min(half the buffer, MSS);
        /// it never moves left (RFC 9293 3.8.6.2.2).</summary>
        private int AnnounceWindow(TcpConnection c)
        {
            TcpReceiveBuffer ring = c.ReceiveBuffer;
            int free = ring._data.Length - ring._count;
            int open = (int)(c.RcvAdvertisedEdge - c.RcvNxt); // StillOpen, inline: every segment sent
            if (open < 0) open = 0;
            int window = free - open >= _receiveSwsThreshold ? free : open;
            if (window > 65535) window = 65535;
            c.RcvAdvertisedEdge = c.RcvNxt + (uint)window;
            return window;
        }

        /// <summary>What is left of the window last announced: from RCV.NXT to the advertised edge (0 when RCV.NXT
        /// passed it).</summary>
        private static int StillOpen(TcpConnection c)
        {
            int current = (int)(c.RcvAdvertisedEdge - c.RcvNxt); // a local has its declared type on nanoCLR
            return current < 0 ? 0 : current;
        }

        /// <summary>A RST for a segment no connection owns, or to abort one (RFC 9293 3.10.7.1).</summary>
        private void SendReset(uint localAddress, int localPort, uint remoteAddress, int remotePort, uint seq, uint ack, bool withAck)
        {
            if (SendStateless(localAddress, localPort, remoteAddress, remotePort, seq, withAck ? ack : 0,
                TcpFlags.Rst | (withAck ? TcpFlags.Ack : 0), 0, 0))
                Counters.ResetsSent++;
        }

        /// <summary>The SYN-ACK carrying a cookie: no connection exists for it (RFC 4987 3.6).</summary>
        private void SendSynAckCookie(uint localAddress, int localPort, uint remoteAddress, int remotePort, uint cookie, uint ack)
        {
            int window = _config.ReceiveBufferSize > 65535 ? 65535 : _config.ReceiveBufferSize;
            SendStateless(localAddress, localPort, remoteAddress, remotePort, cookie, ack, TcpFlags.Syn | TcpFlags.Ack, window, _config.LocalMss);
        }

        /// <summary>A segment that belongs to no connection (RST, cookie SYN-ACK). False when it did not leave.</summary>
        private bool SendStateless(uint localAddress, int localPort, uint remoteAddress, int remotePort, uint seq, uint ack, int flags, int window, int mss)
        {
            byte[] buffer;
            int offset, capacity;
            if (!_transmitter.TryGetSegmentBuffer(remoteAddress, out buffer, out offset, out capacity))
            {
                Counters.DroppedNoBuffer++;
                return false;
            }
            var header = new TcpHeader();
            header.SourcePort = localPort;
            header.DestinationPort = remotePort;
            header.SequenceNumber = seq;
            header.AcknowledgmentNumber = ack;
            header.Flags = flags;
            header.Window = window;
            header.MaximumSegmentSize = mss;
            int length = header.Emit(buffer, offset, 0, localAddress, remoteAddress);
            return CountSent(_transmitter.TransmitSegment(localAddress, remoteAddress, buffer, offset, length));
        }

        /// <summary>Counts a segment as sent only when its frame left (issue 13: counters that tell the truth); one
        /// that waits for ARP is counted by the stack when it leaves.</summary>
        private bool CountSent(bool left)
        {
            if (left)
                Counters.SegmentsSent++;
            else
                Counters.SegmentsNotSent++;
            return left;
        }
    }
}
