// ICMP errors about our segments, handed over by the IP layer with the quoted ports and sequence
// number: RFC 5927 4.1 first (the sequence number must be one in flight, or the error is forged or
// stale), then RFC 1122 4.2.3.9 (protocol or port unreachable is a hard error only in SYN-SENT, RFC
// 5461) and RFC 1191 (fragmentation needed: every packet carries DF, so the path MTU lowers the MSS).
using NanoTcp.Wire;

namespace NanoTcp.Tcp
{
    public sealed partial class TcpEngine
    {
        /// <summary>RFC 1191 table 7-1 plateaus, for routers that report no next-hop MTU.</summary>
        private static readonly int[] s_mtuPlateaus = { 1492, 1006, 508, 296, 68 };
        private const int IpAndTcpHeaders = 40;

        public void ProcessIcmpError(long nowMs, uint localAddress, int localPort, uint remoteAddress, int remotePort,
            uint quotedSequence, int type, int code, int nextHopMtu)
        {
            _now = nowMs;
            TcpConnection c = Find(localAddress, localPort, remoteAddress, remotePort);
            if (c == null || type != IcmpV4Message.TypeDestinationUnreachable)
                return; // time exceeded and the rest are soft errors: nothing to change
            if (SequenceNumber.LessThan(quotedSequence, c.SndUna) || !SequenceNumber.LessThan(quotedSequence, c.SndMax))
            {
                Counters.IcmpErrorsRejected++;
                return;
            }
            if (code == IcmpV4Message.CodeFragmentationNeeded)
            {
                LowerMss(c, nextHopMtu);
                return;
            }
            if ((code == IcmpV4Message.CodeProtocolUnreachable || code == IcmpV4Message.CodePortUnreachable)
                && c.StateValue == TcpState.SynSent)
            {
                Counters.IcmpHardErrors++;
                Counters.AttemptFails++;
                CloseConnection(c, TcpError.Unreachable);
            }
        }

        /// <summary>RFC 1191 6.1: the segment size follows the smaller path MTU (never rises here), and what
        /// the router dropped is sent again at once in the new size.</summary>
        private void LowerMss(TcpConnection c, int nextHopMtu)
        {
            int packet = c.Mss + IpAndTcpHeaders;
            int mtu = nextHopMtu;
            if (mtu == 0)
            {
                for (int i = 0; i < s_mtuPlateaus.Length && mtu == 0; i++)
                    if (s_mtuPlateaus[i] < packet)
                        mtu = s_mtuPlateaus[i];
            }
            int mss = mtu - IpAndTcpHeaders;
            if (mss < _config.MinimumMss) mss = _config.MinimumMss;
            if (mss >= c.PathMss)
                return;
            Counters.IcmpMssLowered++;
            c.PathMss = mss; // also bounds the MSS a SYN-ACK still to come announces
            if (mss >= c.Mss)
                return;
            c.Mss = mss;
            c.Congestion.LowerMss(mss);
            c.RttTiming = false; // Karn: what follows is a retransmission
            c.SndNxt = c.SndUna;
            Output(c);
        }
    }
}
