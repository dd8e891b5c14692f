// The typed-stack hazard of nanoCLR (nf-interpreter src/CLR/Core/Interpreter.cpp with CLR_RT_HeapBlock.cpp): a value
// keeps the data type it was computed with on the evaluation stack, and shr, div, rem and conv.i8 act on that
// type, not on the one the C# declares. (int)(a - b) of two uint fields stays unsigned (C# emits no conversion
// for uint -> int), through a return and into an int argument, so -2 >> 1 gives 0x7FFFFFFF and (long)-2 gives
// 4294967294. These run on nanoCLR (tests/Device) and the host alike; on the host they cannot fail.
using NanoTcp.Dhcp;
using NanoTcp.Scenarios;
using NanoTcp.Tcp;

namespace NanoTcp.StackSuites
{
    public static class TypedStackSuite
    {
        // Fields, not constants: a uint field loads as the interpreter's unsigned type, as the engine's SND.UNA does.
        private static uint s_low = 1, s_high = 3, s_four = 4, s_beforeWrap = 0xFFFFFFFB, s_afterWrap = 5;

        public static TestCatalog Catalog()
        {
            return new TestCatalog()
                .Add("SequenceNumber.NegativeDistanceShiftsSigned", NegativeDistanceShiftsSigned)
                .Add("SequenceNumber.NegativeDistanceDividesSigned", NegativeDistanceDividesSigned)
                .Add("SequenceNumber.NegativeDistanceWidensSigned", NegativeDistanceWidensSigned)
                .Add("SequenceNumber.DistanceStaysSignedAsAnArgument", DistanceStaysSignedAsAnArgument)
                .Add("SequenceNumber.DistanceAcrossTheWrap", DistanceAcrossTheWrap)
                .Add("NewReno.TimeoutHalvesTheFlightAcrossTheWrap", TimeoutHalvesTheFlightAcrossTheWrap)
                .Add("ReceiveBuffer.WriteAtADistanceFromRcvNxt", WriteAtADistanceFromRcvNxt)
                .Add("Dhcp.DiscoverBackoffJitterGoesBothWays", DiscoverBackoffJitterGoesBothWays)
                .Add("TcpEngine.PortBytesOf0x80AndAboveFindTheirConnection", PortBytesOf0x80AndAboveFindTheirConnection);
        }

        private static void NegativeDistanceShiftsSigned()
        {
            Check.Equal(-1, SequenceNumber.Distance(s_low, s_high) >> 1, "(1 - 3) >> 1");
            Check.Equal(-2, SequenceNumber.Distance(s_low, s_high) >> 0, "(1 - 3) >> 0");
        }

        private static void NegativeDistanceDividesSigned()
        {
            Check.Equal(-1, SequenceNumber.Distance(s_low, s_high) / 2, "(1 - 3) / 2");
            Check.Equal(-1, SequenceNumber.Distance(s_low, s_four) % 2, "(1 - 4) % 2");
        }

        private static void NegativeDistanceWidensSigned()
        {
            long wide = SequenceNumber.Distance(s_low, s_high);
            Check.Equal(-2L, wide, "(long)(1 - 3)");
            Check.Equal(-2L, (long)SequenceNumber.Distance(s_low, s_high) + 0L, "in a long sum");
        }

        private static int Halve(int value) { return value >> 1; }
        private static long Widen(int value) { return value; }

        private static void DistanceStaysSignedAsAnArgument()
        {
            Check.Equal(-1, Halve(SequenceNumber.Distance(s_low, s_high)), "shifted by the callee");
            Check.Equal(-2L, Widen(SequenceNumber.Distance(s_low, s_high)), "widened by the callee");
        }

        private static void DistanceAcrossTheWrap()
        {
            // RFC 9293 3.4: arithmetic modulo 2^32; 5 is 10 after 0xFFFFFFFB.
            Check.Equal(10, SequenceNumber.Distance(s_afterWrap, s_beforeWrap), "forward over the wrap");
            Check.Equal(-10, SequenceNumber.Distance(s_beforeWrap, s_afterWrap), "backward over the wrap");
            Check.Equal(-5, SequenceNumber.Distance(s_beforeWrap, s_afterWrap) / 2, "halved");
            Check.Equal(-10L, (long)SequenceNumber.Distance(s_beforeWrap, s_afterWrap), "widened");
        }

        private static void TimeoutHalvesTheFlightAcrossTheWrap()
        {
            // RFC 5681 (4): ssthresh = max(FlightSize / 2, 2 * SMSS), FlightSize = SND.MAX - SND.UNA.
            var reno = new NewReno();
            reno.Reset(1000, s_beforeWrap);
            uint sndUna = s_beforeWrap, sndMax = s_beforeWrap + 20005; // 20005 bytes in flight, past the wrap
            reno.OnTimeout(SequenceNumber.Distance(sndMax, sndUna), sndMax);
            Check.Equal(10002, reno.SlowStartThreshold, "ssthresh = 20005 / 2");
        }

        private static void WriteAtADistanceFromRcvNxt()
        {
            // An out-of-order segment lands at seq - RCV.NXT in the ring, across the sequence wrap.
            var buffer = new TcpReceiveBuffer(16);
            byte[] data = { 1, 2, 3, 4 };
            buffer.WriteAt(SequenceNumber.Distance(s_afterWrap + 2, s_afterWrap), data, 0, 4);
            buffer.WriteAt(SequenceNumber.Distance(s_afterWrap, s_afterWrap), data, 0, 2);
            buffer.Commit(6);
            byte[] read = new byte[6];
            Check.Equal(6, buffer.Read(read, 0, 6), "six bytes in order");
            Check.Equal(1, read[0], "first"); Check.Equal(2, read[1], "second");
            Check.Equal(1, read[2], "third"); Check.Equal(4, read[5], "sixth");
        }

        private static void PortBytesOf0x80AndAboveFindTheirConnection()
        {
            // A received segment's connection is found by its two port fields read as one 32-bit word, compared with
            // the connection's key worked out from its int ports: ports whose bytes are 0x80 or more set that word's
            // sign bit, so an int-typed key against a uint-typed read must still compare equal, both ways.
            var lan = WireLan.Pair();
            TcpListener listener = lan.B.Tcp.Listen(0x80FF, 1);
            TcpConnection client = lan.A.Tcp.Connect(WireLan.AddressA, WireLan.AddressB, 0x80FF, 0xFF81);
            TcpConnection server = null;
            Check.True(lan.RunUntil(delegate
            {
                if (server == null) server = lan.B.Tcp.Accept(listener);
                return server != null && client.IsConnected;
            }, 1000), "handshake from port 0xFF81 to 0x80FF");
            byte[] data = { 1, 2, 3 };
            Check.Equal(3, lan.A.Tcp.Send(client, data, 0, 3), "A sends");
            byte[] read = new byte[8];
            int got = 0;
            Check.True(lan.RunUntil(delegate
            {
                got += lan.B.Tcp.Receive(server, read, got, read.Length - got);
                return got == 3;
            }, 1000), "B receives the three bytes");
            Check.Equal(3, lan.B.Tcp.Send(server, data, 0, 3), "B answers");
            got = 0;
            Check.True(lan.RunUntil(delegate
            {
                got += lan.A.Tcp.Receive(client, read, got, read.Length - got);
                return got == 3;
            }, 1000), "A receives the answer");
            Check.Equal(0, lan.A.Tcp.Counters.DroppedNoListener + lan.B.Tcp.Counters.DroppedNoListener, "no segment missed its connection");
        }

        private static void DiscoverBackoffJitterGoesBothWays()
        {
            // RFC 2131 4.1: retransmit after 4, 8, 16, 32, 64 s, each randomized by +-1 s.
            var lan = new WireLan(false, false);
            lan.AddPeer(0xFE, 0x0A0000FE);
            lan.A.StartDhcp();
            lan.Peer.Take();
            Check.True(lan.RunUntil(lan.Peer.HasDatagram, 100), "first DHCPDISCOVER");
            long last = lan.Now;
            long interval = 4000;
            bool early = false, late = false;
            for (int i = 0; i < 6; i++)
            {
                lan.Peer.Take();
                Check.True(lan.RunUntil(lan.Peer.HasDatagram, (int)interval + 1500), string.Concat("retransmission ", i.ToString(), " within its interval + 1 s"));
                long gap = lan.Now - last;
                Check.True(gap >= interval - 1000 && gap <= interval + 1000, string.Concat("gap ", gap.ToString(), " ms for ", interval.ToString()));
                if (gap < interval) early = true;
                if (gap > interval) late = true;
                last = lan.Now;
                if (interval < 64000) interval *= 2;
            }
            Check.True(early && late, "the jitter went both ways");
            Check.True(lan.A.Dhcp.State == DhcpState.Selecting, "still selecting");
        }
    }
}
