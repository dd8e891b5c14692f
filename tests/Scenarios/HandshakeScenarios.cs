// Opening a connection: RFC 9293 3.5 (figures 6-9) and 3.10.7.1-3.10.7.3; TCP.md scenario list.
using NanoTcp.Tcp;
using NanoTcp.Wire;

namespace NanoTcp.Scenarios
{
    public static class HandshakeScenarios
    {
        private const int Ack = TcpFlags.Ack, Syn = TcpFlags.Syn, Rst = TcpFlags.Rst, Psh = TcpFlags.Psh;

        /// <summary>seq x / ack x+1 / seq y / ack y+1, MSS in the SYN, first data at x+1.</summary>
        public static void ActiveOpen()
        {
            var h = new SegmentHarness();
            TcpConnection c = h.Engine.Connect(SegmentHarness.LocalAddress, SegmentHarness.RemoteAddress, SegmentHarness.PeerPort, SegmentHarness.OurPort);
            TcpSegment syn = h.Expect(Syn, 1000, 0);
            Check.Equal(1460, syn.MaximumSegmentSize, "MSS option in the SYN");
            States.ExpectState(TcpState.SynSent, c);
            Check.Equal(h.Config.ReceiveBufferSize, syn.Window, "SYN window = receive ring");
            h.Inject(Syn | Ack, 5000, 1001, 65535, null, 1460, 0, SegmentHarness.PeerPort, SegmentHarness.OurPort);
            Check.Equal(h.Config.ReceiveBufferSize, h.Expect(Ack, 1001, 5001).Window, "ACK window = receive ring");
            States.ExpectState(TcpState.Established, c);
            h.Engine.Send(c, SegmentHarness.Bytes(10, 1), 0, 10);
            TcpSegment data = h.Expect(Psh | Ack, 1001, 5001);
            Check.Equal(10, data.PayloadLength, "payload");
            Check.Equal(h.Config.ReceiveBufferSize, data.Window, "window never above the ring");
        }

        public static void PassiveOpen()
        {
            var h = new SegmentHarness();
            TcpListener listener = States.SynReceived(h);
            Check.Null(h.Engine.Accept(listener), "nothing to accept before the final ACK");
            h.Inject(Ack, 5001, 1001, 65535);
            h.ExpectNothing();
            TcpConnection c = h.Engine.Accept(listener);
            Check.NotNull(c, "accepted");
            Check.Equal(SegmentHarness.PeerPort, c.RemotePort, "remote port");
            h.InjectData(Psh | Ack, 5001, 1001, 65535, SegmentHarness.Bytes(5, 3));
            h.ExpectNothing(); // delayed ACK
            h.Advance(h.Config.DelayedAckMs);
            h.Expect(Ack, 1001, 5006);
            var read = new byte[16];
            Check.Equal(5, h.Engine.Receive(c, read, 0, 16), "bytes read");
            Check.Equal(3, read[0], "first byte");
        }

        /// <summary>Data that arrives before the application calls Accept waits for it.</summary>
        public static void DataBeforeAcceptIsKept()
        {
            var h = new SegmentHarness();
            TcpListener listener = States.SynReceived(h);
            h.Inject(Ack, 5001, 1001, 65535);
            h.InjectData(Psh | Ack, 5001, 1001, 65535, SegmentHarness.Bytes(7, 0));
            h.Inject(TcpFlags.Fin | Ack, 5008, 1001, 65535);
            h.Advance(h.Config.DelayedAckMs);
            h.Expect(Ack, 1001, 5009);
            TcpConnection c = h.Engine.Accept(listener);
            Check.NotNull(c, "accepted");
            Check.Equal(7, c.BytesAvailable, "data kept for the application");
            States.ExpectState(TcpState.CloseWait, c);
        }

        /// <summary>SYN with FIN in LISTEN is dropped and counted; the next plain SYN opens as usual.</summary>
        public static void SynWithFinInListenIsDropped()
        {
            var h = new SegmentHarness();
            h.Engine.Listen(SegmentHarness.OurPort, 2);
            h.Inject(Syn | TcpFlags.Fin, SegmentHarness.RemoteIss, 0, 65535, null, 1460, 0, SegmentHarness.PeerPort, SegmentHarness.OurPort);
            h.ExpectNothing();
            Check.Equal(0, h.Engine.ConnectionsInUse, "nothing half-open");
            Check.Equal(1, h.Engine.Counters.DroppedSynFin, "counted");
            h.InjectSyn(SegmentHarness.RemoteIss, 1460);
            h.Expect(Syn | Ack, SegmentHarness.LocalIss, SegmentHarness.RemoteIss + 1);
        }

        public static void RetransmittedSynInSynReceivedGetsTheSameSynAck()
        {
            var h = new SegmentHarness();
            States.SynReceived(h);
            h.InjectSyn(5000, 1460);
            TcpSegment again = h.Expect(Syn | Ack, 1000, 5001);
            Check.Equal(1460, again.MaximumSegmentSize, "MSS again");
            Check.Equal(1, h.Engine.ConnectionsInUse, "still one half-open connection");
        }

        public static void OtherSynInSynReceivedGetsRstAndListenerStays()
        {
            var h = new SegmentHarness();
            TcpListener listener = States.SynReceived(h);
            h.InjectSyn(7000, 1460);
            h.Expect(Rst | Ack, 0, 7001);
            Check.Equal(0, h.Engine.ConnectionsInUse, "half-open connection dropped");
            Check.True(listener.IsListening, "listener survives");
            h.InjectSyn(7000, 1460);
            h.Expect(Syn | Ack, 1000, 7001);
        }

        public static void RstInSynReceivedReturnsToListen()
        {
            var h = new SegmentHarness();
            TcpListener listener = States.SynReceived(h);
            h.Inject(Rst, 5001, 0, 0);
            h.ExpectNothing();
            Check.Equal(0, h.Engine.ConnectionsInUse, "half-open connection gone");
            Check.True(listener.IsListening, "listener survives");
            h.InjectSyn(6000, 1460);
            h.Expect(Syn | Ack, 1000, 6001);
        }

        /// <summary>RFC 9293 figure 9: a SYN-ACK whose ACK is not ours gets RST with SEQ = SEG.ACK.</summary>
        public static void OldDuplicateSynAckGetsRstAndSynSentStays()
        {
            var h = new SegmentHarness();
            TcpConnection c = h.Engine.Connect(SegmentHarness.LocalAddress, SegmentHarness.RemoteAddress, SegmentHarness.PeerPort, SegmentHarness.OurPort);
            h.Expect(Syn, 1000, 0);
            h.Inject(Syn | Ack, 9000, 4242, 65535, null, 0, 0, SegmentHarness.PeerPort, SegmentHarness.OurPort);
            h.Expect(Rst, 4242, 0);
            States.ExpectState(TcpState.SynSent, c);
            h.Inject(Syn | Ack, 5000, 1001, 65535, null, 1460, 0, SegmentHarness.PeerPort, SegmentHarness.OurPort);
            h.Expect(Ack, 1001, 5001);
            States.ExpectState(TcpState.Established, c);
        }

        public static void SynToClosedPortGetsRstAck()
        {
            var h = new SegmentHarness();
            h.InjectSyn(5000, 1460);
            h.Expect(Rst | Ack, 0, 5001);
        }

        public static void AckToClosedPortGetsRstWithSeqFromAck()
        {
            var h = new SegmentHarness();
            h.InjectData(Ack | Psh, 5000, 777, 65535, SegmentHarness.Bytes(3, 0));
            TcpSegment rst = h.Expect(Rst, 777, 0);
            Check.Equal(0, rst.AcknowledgmentNumber, "no ACK number");
        }

        public static void RstToClosedPortIsNotAnswered()
        {
            var h = new SegmentHarness();
            h.Inject(Rst | Ack, 5000, 777, 0);
            h.Inject(Rst, 5000, 0, 0);
            h.ExpectNothing();
        }

        /// <summary>RFC 9293 figure 8: SYNs cross; both sides pass SYN_RECEIVED to ESTABLISHED.</summary>
        public static void SimultaneousOpen()
        {
            var h = new SegmentHarness();
            TcpConnection c = h.Engine.Connect(SegmentHarness.LocalAddress, SegmentHarness.RemoteAddress, SegmentHarness.PeerPort, SegmentHarness.OurPort);
            h.Expect(Syn, 1000, 0);
            h.Inject(Syn, 5000, 0, 65535, null, 1460, 0, SegmentHarness.PeerPort, SegmentHarness.OurPort);
            TcpSegment synAck = h.Expect(Syn | Ack, 1000, 5001);
            Check.Equal(1460, synAck.MaximumSegmentSize, "MSS in our SYN-ACK");
            States.ExpectState(TcpState.SynReceived, c);
            h.Inject(Syn | Ack, 5000, 1001, 65535, null, 1460, 0, SegmentHarness.PeerPort, SegmentHarness.OurPort);
            States.ExpectState(TcpState.Established, c);
            h.ExpectNothing();
            h.Engine.Send(c, SegmentHarness.Bytes(4, 0), 0, 4);
            h.Expect(Psh | Ack, 1001, 5001);
        }

        public static void RstAnsweringOurSynMeansRefused()
        {
            var h = new SegmentHarness();
            TcpConnection c = h.Engine.Connect(SegmentHarness.LocalAddress, SegmentHarness.RemoteAddress, SegmentHarness.PeerPort, SegmentHarness.OurPort);
            h.Expect(Syn, 1000, 0);
            h.Inject(Rst, 0, 0, 0, null, 0, 0, SegmentHarness.PeerPort, SegmentHarness.OurPort);
            States.ExpectState(TcpState.SynSent, c); // a RST without an acceptable ACK is ignored
            h.Inject(Rst | Ack, 0, 1001, 0, null, 0, 0, SegmentHarness.PeerPort, SegmentHarness.OurPort);
            States.ExpectState(TcpState.Closed, c);
            Check.Equal(TcpErrorNames.Name(TcpError.Refused), TcpErrorNames.Name(c.Error), "error");
            h.ExpectNothing();
        }

        /// <summary>RFC 6298 5.5: the SYN is resent after 1, 2, 4, 8, 16 s; then the attempt times out.</summary>
        public static void SynRetransmissionsBackOffThenTimeOut()
        {
            var h = new SegmentHarness();
            TcpConnection c = h.Engine.Connect(SegmentHarness.LocalAddress, SegmentHarness.RemoteAddress, SegmentHarness.PeerPort, SegmentHarness.OurPort);
            h.Expect(Syn, 1000, 0);
            int rto = h.Config.InitialRtoMs;
            for (int i = 0; i < h.Config.SynRetries; i++)
            {
                h.Advance(rto - 1);
                h.ExpectNothing();
                h.Advance(1);
                h.Expect(Syn, 1000, 0);
                rto *= 2;
            }
            h.Advance(rto);
            h.ExpectNothing();
            States.ExpectState(TcpState.Closed, c);
            Check.Equal(TcpErrorNames.Name(TcpError.TimedOut), TcpErrorNames.Name(c.Error), "error");
        }

        public static void MssOptionIsClampedAndHonoured()
        {
            int[] offered = { 0, 10, 1000, 9000, -1 };
            int[] expected = { 88, 88, 1000, 1460, 536 };
            for (int i = 0; i < offered.Length; i++)
            {
                var h = new SegmentHarness();
                h.Engine.Listen(SegmentHarness.OurPort, 2);
                if (offered[i] < 0) h.InjectSyn(5000, 0);
                else h.InjectSynWithMssOption(5000, offered[i]);
                h.Expect(Syn | Ack, 1000, 5001);
                h.Inject(Ack, 5001, 1001, 65535);
                TcpConnection c = h.Engine.Accept(h.Engine.FindListener(SegmentHarness.OurPort));
                Check.Equal(expected[i], c.Mss, "effective MSS");
                c.Nagle = false;
                h.Engine.Send(c, SegmentHarness.Bytes(200, 0), 0, 200);
                TcpSegment first = h.Next();
                Check.Equal(expected[i] < 200 ? expected[i] : 200, first.PayloadLength, "first segment size");
            }
        }
    }
}
