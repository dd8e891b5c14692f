// The slot policy: who may take one of the fixed connection slots, and which slot is reclaimed when
// none is free (RFC 4987 for SYN-flood defences). A SYN is cheap to spoof, so a half-open entry may
// take only a free slot or a released TIME_WAIT one, no more than MaxHalfOpen of them live at once,
// each for at most HalfOpenTimeoutMs; beyond that SYNs get cookies (RFC 4987 3.6) and keep nothing.
// A completed handshake has proved its address and may reclaim, in this order:
//   1. a free slot;  2. the oldest released TIME_WAIT (its 2 MSL guards an old pair, not a new one);
//   3. the oldest half-open entry;  4. an orphan: a connection the application has closed that is still
//   closing (FIN_WAIT_1/2, CLOSING, LAST_ACK), least recent progress first;
//   5. an established connection without progress for ReclaimIdleMs, idlest first.
// Busy connections are never reclaimed. One peer may hold at most MaxConnectionsPerPeer passive connections,
// so a host that keeps its connections busy still leaves a slot for the others. A peer is a remote address,
// or with PeerGrouping (the stack) every on-link address whose frames come from one MAC: an attacker on the
// LAN that completes handshakes from many addresses (the answers reach its MAC) is still one peer.
// When nothing is left the handshake is answered with RST
// (RFC 9293 3.10.7.2 gives no "full" case; a silent drop leaves the client retransmitting into a void).
// Unsolicited RSTs are rate limited (ResetsPerSecond), as ICMP errors are (RFC 1812 4.3.2.8).
namespace NanoTcp.Tcp
{
    public sealed partial class TcpEngine
    {
        private const int SlotForHalfOpen = 0, SlotForOpen = 1, SlotForCompletedHandshake = 2;

        /// <summary>Groups remote addresses into peers for the per-peer limit; null: each address alone.</summary>
        public ITcpPeerGrouping PeerGrouping;

        /// <summary>A slot for the given purpose (SlotFor*), reclaiming as the policy above allows; null when
        /// none is to be had now (a reclaimed application-held connection frees its slot once the application
        /// closes it).</summary>
        private TcpConnection AllocateSlot(int purpose)
        {
            TcpConnection timeWait = null, halfOpen = null, orphan = null, idle = null;
            for (int i = 0; i < _connections.Length; i++)
            {
                TcpConnection c = _connections[i];
                if (!c.InUse)
                    return c;
                TcpState state = c.StateValue;
                if (state == TcpState.TimeWait && c.Released)
                {
                    if (timeWait == null || c.CloseAt < timeWait.CloseAt) timeWait = c;
                }
                else if (state == TcpState.SynReceived && c.Listener != null)
                {
                    if (halfOpen == null || c.LastProgressAt < halfOpen.LastProgressAt) halfOpen = c;
                }
                else if (c.Released && c.UserClosed && (state == TcpState.FinWait1 || state == TcpState.FinWait2
                    || state == TcpState.Closing || state == TcpState.LastAck))
                {
                    if (orphan == null || c.LastProgressAt < orphan.LastProgressAt) orphan = c;
                }
                else if ((state == TcpState.Established || state == TcpState.CloseWait) && _now - c.LastProgressAt >= _config.ReclaimIdleMs)
                {
                    if (idle == null || c.LastProgressAt < idle.LastProgressAt) idle = c;
                }
            }
            if (timeWait != null)
            {
                Counters.TimeWaitRecycled++;
                FreeSlot(timeWait);
                return timeWait;
            }
            if (purpose >= SlotForOpen && halfOpen != null)
            {
                Counters.HalfOpenDropped++; // silently: a spoofed source would only get one more frame
                FreeSlot(halfOpen);
                return halfOpen;
            }
            if (purpose >= SlotForOpen && orphan != null)
                return Reclaim(orphan);
            if (purpose >= SlotForCompletedHandshake && idle != null)
                return Reclaim(idle);
            Counters.ConnectionTableFull++;
            return null;
        }

        /// <summary>Resets c (its peer learns at once) to take its slot; returns the slot when it is free now,
        /// null when the application still holds c (the slot frees when it calls Close).</summary>
        private TcpConnection Reclaim(TcpConnection c)
        {
            Counters.ConnectionsReclaimed++;
            AbortConnection(c, TcpError.Reclaimed);
            if (c.InUse)
            {
                Counters.ConnectionTableFull++;
                return null;
            }
            return c;
        }

        /// <summary>Half-open entries of one listener, and of all together.</summary>
        private int HalfOpenCount(TcpListener listener, out int total)
        {
            int n = 0;
            total = 0;
            for (int i = 0; i < _connections.Length; i++)
            {
                TcpConnection c = _connections[i];
                if (!c.InUse || c.StateValue != TcpState.SynReceived || c.Listener == null)
                    continue;
                total++;
                if (c.Listener == listener)
                    n++;
            }
            return n;
        }

        /// <summary>May this SYN take a half-open slot (RFC 4987 3.2-3.3: a bounded SYN queue)?</summary>
        private bool HalfOpenAllowed(TcpListener listener)
        {
            int total;
            int own = HalfOpenCount(listener, out total);
            return own < _config.SynQueueLength && total < _config.MaxHalfOpen;
        }

        /// <summary>Has the peer sending from this remote address as many passive connections as it may hold?</summary>
        private bool PeerAtLimit(uint remoteAddress)
        {
            if (_config.MaxConnectionsPerPeer <= 0)
                return false;
            int n = 0;
            ITcpPeerGrouping grouping = PeerGrouping;
            for (int i = 0; i < _connections.Length; i++)
            {
                TcpConnection c = _connections[i];
                if (!c.InUse || !c.Passive || c.StateValue == TcpState.TimeWait)
                    continue;
                if (c.RemoteAddressValue == remoteAddress || (grouping != null && grouping.IsSameSender(remoteAddress, c.RemoteAddressValue)))
                    n++;
            }
            return n >= _config.MaxConnectionsPerPeer;
        }

        /// <summary>A RST answering a segment no connection wanted, at most ResetsPerSecond of them.</summary>
        private void SendUnsolicitedReset(uint localAddress, int localPort, uint remoteAddress, int remotePort, uint seq, uint ack, bool withAck)
        {
            if (!_resets.TryTake(_now))
            {
                Counters.ResetsSuppressed++;
                return;
            }
            SendReset(localAddress, localPort, remoteAddress, remotePort, seq, ack, withAck);
        }
    }
}
