// ICMP errors about our segments (RFC 1122 4.2.3.9, RFC 5927, RFC 1191), fed to the engine as the IP
// layer does: the quoted ports and sequence number, type, code and next-hop MTU.
using NanoTcp.Tcp;
using NanoTcp.Wire;

namespace NanoTcp.Scenarios
{
    public static class IcmpScenarios
    {
        private const int Ack = TcpFlags.Ack, Syn = TcpFlags.Syn, Psh = TcpFlags.Psh;
        private const int Unreachable = 3, ProtocolUnreachable = 2, PortUnreachable = 3, FragmentationNeeded = 4;

        private static void Icmp(SegmentHarness h, uint quotedSeq, int type, int code, int mtu)
        {
            h.Engine.ProcessIcmpError(h.Now, SegmentHarness.LocalAddress, SegmentHarness.OurPort, SegmentHarness.RemoteAddress,
                SegmentHarness.PeerPort, quotedSeq, type, code, mtu);
        }

        private static TcpConnection Open(SegmentHarness h)
        {
            TcpConnection c = h.Engine.Connect(SegmentHarness.LocalAddress, SegmentHarness.RemoteAddress, SegmentHarness.PeerPort, SegmentHarness.OurPort);
            h.Expect(Syn, 1000, 0);
            return c;
        }

        /// <summary>RFC 1122 4.2.3.9 / RFC 5927 4.1: port or protocol unreachable in SYN-SENT is a hard error,
        /// but only when the quoted sequence number lies in [SND.UNA, SND.MAX): a forged one changes nothing.</summary>
        public static void UnreachableInSynSentIsAHardError()
        {
            var h = new SegmentHarness();
            TcpConnection c = Open(h);
            Icmp(h, 999, Unreachable, PortUnreachable, 0);  // not a sequence number we sent
            Icmp(h, 1001, Unreachable, PortUnreachable, 0); // SND.MAX itself: not sent either
            States.ExpectState(TcpState.SynSent, c);
            Check.Equal(2, h.Engine.Counters.IcmpErrorsRejected, "forged errors counted");
            Icmp(h, 1000, Unreachable, PortUnreachable, 0);
            States.ExpectState(TcpState.Closed, c);
            Check.Equal(TcpErrorNames.Name(TcpError.Unreachable), TcpErrorNames.Name(c.Error), "error");
            h.ExpectNothing();

            var h2 = new SegmentHarness();
            TcpConnection c2 = Open(h2);
            Icmp(h2, 1000, Unreachable, ProtocolUnreachable, 0);
            States.ExpectState(TcpState.Closed, c2);
            Check.Equal(TcpErrorNames.Name(TcpError.Unreachable), TcpErrorNames.Name(c2.Error), "protocol unreachable");
        }

        /// <summary>RFC 5461 / RFC 1122 4.2.3.9: once synchronized, unreachable is soft: the connection stays.</summary>
        public static void UnreachableWhenEstablishedIsSoft()
        {
            var h = new SegmentHarness();
            TcpConnection c = States.EstablishedActive(h);
            h.Engine.Send(c, SegmentHarness.Bytes(10, 0), 0, 10);
            h.Expect(Psh | Ack, 1001, 5001);
            Icmp(h, 1001, Unreachable, PortUnreachable, 0);
            States.ExpectState(TcpState.Established, c);
            h.ExpectNothing();
        }

        /// <summary>RFC 1191: fragmentation needed (we send DF) lowers the segment size to the next-hop MTU
        /// less 40, and what was dropped is sent again at once in the smaller size; forged ones are ignored,
        /// a larger MTU never raises it, and a router that gives no MTU (RFC 1191 section 5) gets a plateau.</summary>
        public static void FragmentationNeededLowersTheMss()
        {
            var h = new SegmentHarness();
            TcpConnection c = States.EstablishedActive(h);
            c.Nagle = false;
            h.Engine.Send(c, SegmentHarness.Bytes(1460, 0), 0, 1460);
            TcpSegment s = h.Expect(Psh | Ack, 1001, 5001);
            Check.Equal(1460, s.PayloadLength, "full segment");
            Icmp(h, 2461, Unreachable, FragmentationNeeded, 576); // beyond SND.MAX: forged
            Check.Equal(1460, c.Mss, "unchanged by a forged error");
            h.ExpectNothing();
            Icmp(h, 1001, Unreachable, FragmentationNeeded, 1000);
            Check.Equal(960, c.Mss, "MTU 1000 less 40");
            Check.Equal(960, h.Expect(Ack, 1001, 5001).PayloadLength, "resent at the new size");
            Check.Equal(500, h.Expect(Psh | Ack, 1961, 5001).PayloadLength, "and the rest");
            Icmp(h, 1001, Unreachable, FragmentationNeeded, 1400);
            Check.Equal(960, c.Mss, "never raised");
            Icmp(h, 1001, Unreachable, FragmentationNeeded, 0);
            Check.Equal(508 - 40, c.Mss, "the plateau below 1000 (RFC 1191 table 7-1)");
            h.Clear();
            h.Blocked = true; // the 88-byte resends are not the point here
            Icmp(h, 1001, Unreachable, FragmentationNeeded, 20);
            Check.Equal(h.Config.MinimumMss, c.Mss, "never below the minimum");
        }
    }
}
