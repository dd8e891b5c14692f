// Listeners under load: bounded SYN and accept queues (RFC 9293 3.10.1), SYN cookies when the SYN
// queue is full (RFC 4987 3.6), a full connection table, and ISNs per RFC 6528.
using NanoTcp.Tcp;
using NanoTcp.Wire;

namespace NanoTcp.Scenarios
{
    public static class ListenerScenarios
    {
        private const int Ack = TcpFlags.Ack, Syn = TcpFlags.Syn, Fin = TcpFlags.Fin, Rst = TcpFlags.Rst, Psh = TcpFlags.Psh;
        private const int Port = SegmentHarness.OurPort;

        private static void Handshake(SegmentHarness h, int peerPort, uint peerIss)
        {
            h.Inject(Syn, peerIss, 0, 65535, null, 1460, 0, peerPort, Port);
            h.Expect(Syn | Ack, 1000, peerIss + 1);
            h.Inject(Ack, peerIss + 1, 1001, 65535, null, 0, 0, peerPort, Port);
        }

        public static void AcceptQueueIsBounded()
        {
            var config = new TcpConfig();
            config.SynQueueLength = 2;
            var h = new SegmentHarness(config);
            TcpListener listener = h.Engine.Listen(Port, 1);
            Handshake(h, 40000, 5000);
            Handshake(h, 40001, 7000); // the final ACK finds the accept queue full
            Check.Equal(1, h.Engine.Counters.AcceptQueueOverflows, "overflow counted");
            Check.Equal(1, listener.PendingCount, "one waiting");
            TcpConnection first = h.Engine.Accept(listener);
            Check.Equal(40000, first.RemotePort, "first in, first accepted");
            h.Advance(h.Config.InitialRtoMs);
            h.Expect(Syn | Ack, 1000, 7001); // the second is still half-open and retransmits
            h.Inject(Ack, 7001, 1001, 65535, null, 0, 0, 40001, Port);
            TcpConnection second = h.Engine.Accept(listener);
            Check.NotNull(second, "second accepted once there was room");
            Check.Equal(40001, second.RemotePort, "second");
        }

        /// <summary>With every slot taken, a new SYN gets a cookie and the established connections go on.</summary>
        public static void FullTableAnswersWithCookiesAndEstablishedGoOn()
        {
            var config = new TcpConfig();
            config.MaxConnections = 2;
            var h = new SegmentHarness(config);
            TcpListener listener = h.Engine.Listen(Port, 2);
            Handshake(h, 40000, 5000);
            Handshake(h, 40001, 7000);
            TcpConnection a = h.Engine.Accept(listener);
            TcpConnection b = h.Engine.Accept(listener);
            h.Inject(Syn, 9000, 0, 65535, null, 1460, 0, 40002, Port);
            TcpSegment cookie = h.Next();
            Check.Equal(SegmentHarness.FlagText(Syn | Ack), SegmentHarness.FlagText(cookie.Flags), "SYN-ACK");
            Check.Equal(9001u, cookie.AcknowledgmentNumber, "acks the SYN");
            Check.Equal(1, h.Engine.Counters.SynCookiesSent, "cookie sent");
            Check.Equal(2, h.Engine.ConnectionsInUse, "no state kept for it");
            h.Engine.Send(a, SegmentHarness.Bytes(3, 0), 0, 3);
            h.Expect(Psh | Ack, 1001, 5001);
            h.Engine.Send(b, SegmentHarness.Bytes(3, 0), 0, 3);
            h.Expect(Psh | Ack, 1001, 7001);
        }

        /// <summary>A SYN flood fills the SYN queue; an established transfer goes on and a legitimate
        /// client still connects through a cookie.</summary>
        public static void SynFloodCookiesLetALegitimateClientIn()
        {
            var h = new SegmentHarness();
            TcpListener listener = h.Engine.Listen(Port, 4);
            Handshake(h, 40000, 5000);
            TcpConnection established = h.Engine.Accept(listener);
            established.DelayedAck = false;
            var random = new SeededRandom(4987);
            for (int i = 0; i < 1000; i++)
            {
                h.Inject(Syn, random.NextUInt32(), 0, 65535, null, 1460, 0, 10000 + i, Port);
                TcpSegment reply = h.Next();
                Check.Equal(SegmentHarness.FlagText(Syn | Ack), SegmentHarness.FlagText(reply.Flags), "flood answered with SYN-ACK");
                if (i % 100 == 0)
                {
                    h.InjectData(Psh | Ack, (uint)(5001 + i / 100 * 10), 1001, 65535, SegmentHarness.Bytes(10, 0));
                    h.Expect(Ack, 1001, (uint)(5001 + (i / 100 + 1) * 10));
                }
            }
            Check.True(h.Engine.Counters.SynCookiesSent >= 999, "the SYN queue held one, the rest were cookies");
            Check.True(h.Engine.ConnectionsInUse <= h.Config.MaxConnections, "table bounded");
            Check.Equal(100, established.BytesAvailable, "established transfer unharmed");

            h.Inject(Syn, 77000, 0, 65535, null, 1460, 0, 50000, Port);
            TcpSegment synAck = h.Next();
            uint cookie = synAck.SequenceNumber;
            h.Inject(Ack, 77001, cookie + 1, 65535, null, 0, 0, 50000, Port);
            Check.Equal(1, h.Engine.Counters.SynCookiesAccepted, "cookie accepted");
            TcpConnection legit = h.Engine.Accept(listener);
            Check.NotNull(legit, "legitimate client accepted");
            Check.Equal(50000, legit.RemotePort, "it is the legitimate client");
            Check.Equal(1460, legit.Mss, "MSS carried by the cookie");
            h.Inject(Psh | Ack, 77001, cookie + 1, 65535, SegmentHarness.Bytes(4, 0), 0, 0, 50000, Port);
            Check.Equal(4, legit.BytesAvailable, "it receives data");
        }

        /// <summary>A forged ACK (wrong cookie) to a listener gets RST, and no connection.</summary>
        public static void ForgedCookieAckIsReset()
        {
            var h = new SegmentHarness();
            h.Engine.Listen(Port, 2);
            h.Inject(Ack, 77001, 123456, 65535, null, 0, 0, 50000, Port);
            h.Expect(Rst, 123456, 0);
            Check.Equal(0, h.Engine.ConnectionsInUse, "no connection");
            Check.Equal(1, h.Engine.Counters.SynCookiesRejected, "rejected");
        }

        /// <summary>RFC 6528: the ISN depends on the 4-tuple and the secret, and advances with a 4 us clock.</summary>
        public static void IsnDependsOnTupleSecretAndClock()
        {
            var isn = new Rfc6528SequenceNumbers(new SeededRandom(1));
            uint a = isn.Next(1, 7, 2, 40000, 0);
            uint b = isn.Next(1, 7, 2, 40001, 0);
            uint later = isn.Next(1, 7, 2, 40000, 1000);
            Check.True(a != b, "another port, another ISN");
            Check.Equal(a + 250000u, later, "1 s later: 250000 ticks of 4 us");
            var other = new Rfc6528SequenceNumbers(new SeededRandom(2));
            Check.True(other.Next(1, 7, 2, 40000, 0) != a, "another secret, another ISN");
        }

        public static void SynCookiesExpireAndBindTheTuple()
        {
            var cookies = new SynCookies(new SeededRandom(3));
            uint cookie = cookies.Make(1, 7, 2, 40000, 5000, 1460, 0);
            Check.Equal(1460, cookies.Check(1, 7, 2, 40000, 5001, cookie + 1, 1000), "valid at once");
            Check.Equal(1460, cookies.Check(1, 7, 2, 40000, 5001, cookie + 1, 100000), "valid in the next slot");
            Check.Equal(0, cookies.Check(1, 7, 2, 40000, 5001, cookie + 1, 200000), "expired");
            Check.Equal(0, cookies.Check(1, 7, 2, 40001, 5001, cookie + 1, 1000), "another port");
            Check.Equal(0, cookies.Check(1, 7, 2, 40000, 5002, cookie + 1, 1000), "another client ISN");
            uint small = cookies.Make(1, 7, 2, 40000, 5000, 600, 0);
            Check.Equal(536, cookies.Check(1, 7, 2, 40000, 5001, small + 1, 0), "MSS rounded down to the table");
        }
    }
}
