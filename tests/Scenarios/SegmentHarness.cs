// One TCP engine under test, seen from its peer (smoltcp socket tests, lwIP tcp_helper): the scenario
// injects segments as the peer and asserts the exact segments the engine sends back, or that it sends
// none. Time is virtual and the ISN fixed.
using NanoTcp.Tcp;
using NanoTcp.Wire;

namespace NanoTcp.Scenarios
{
    public sealed class SegmentHarness : ITcpTransmitter
    {
        public const uint LocalAddress = 0x0A000001;  // 10.0.0.1, the engine under test
        public const uint RemoteAddress = 0x0A000002; // 10.0.0.2, the scenario playing the peer
        public const int OurPort = 7;
        public const int PeerPort = 40000;
        public const uint LocalIss = 1000;
        public const uint RemoteIss = 5000;
        private const int Capacity = 16;

        public readonly TcpEngine Engine;
        public readonly TcpConfig Config;
        public readonly FixedIsn Isn;
        public long Now;
        /// <summary>While true the transmitter lends no buffer (a full NIC, an unresolved ARP entry).</summary>
        public bool Blocked;

        private readonly byte[] _txBuffer = new byte[1520];
        private readonly byte[] _rxBuffer = new byte[1520];
        private readonly byte[][] _captured = new byte[Capacity][];
        private readonly int[] _capturedLength = new int[Capacity];
        private int _head;
        private int _count;
        private int _total;

        public SegmentHarness(TcpConfig config)
        {
            Config = config != null ? config : new TcpConfig();
            Isn = new FixedIsn(LocalIss);
            for (int i = 0; i < Capacity; i++)
                _captured[i] = new byte[1520];
            Engine = new TcpEngine(Config, this, new SeededRandom(7), Isn);
        }

        public SegmentHarness() : this(null) { }

        /// <summary>Segments the engine has sent since the harness was built.</summary>
        public int SentTotal { get { return _total; } }

        // ---- ITcpTransmitter ----

        public bool TryGetSegmentBuffer(uint remoteAddress, out byte[] buffer, out int offset, out int capacity)
        {
            buffer = _txBuffer;
            offset = 0;
            capacity = 1480;
            return !Blocked;
        }

        public void TransmitSegment(uint localAddress, uint remoteAddress, byte[] buffer, int offset, int length)
        {
            Check.True(_count < Capacity, "more segments sent than a scenario can hold");
            int slot = (_head + _count) % Capacity;
            System.Array.Copy(buffer, offset, _captured[slot], 0, length);
            _capturedLength[slot] = length;
            _count++;
            _total++;
        }

        // ---- The peer's side ----

        public void Inject(int flags, uint seq, uint ack, int window)
        {
            Inject(flags, seq, ack, window, null, 0, 0, PeerPort, OurPort);
        }

        public void InjectData(int flags, uint seq, uint ack, int window, byte[] data)
        {
            Inject(flags, seq, ack, window, data, 0, 0, PeerPort, OurPort);
        }

        public void InjectSyn(uint seq, int mss)
        {
            Inject(TcpFlags.Syn, seq, 0, 65535, null, mss, 0, PeerPort, OurPort);
        }

        /// <summary>Injects a segment from RemoteAddress:sourcePort to LocalAddress:destinationPort.</summary>
        public void Inject(int flags, uint seq, uint ack, int window, byte[] data, int mss, int urgent, int sourcePort, int destinationPort)
        {
            int length = data != null ? data.Length : 0;
            var header = new TcpHeader();
            header.SourcePort = sourcePort;
            header.DestinationPort = destinationPort;
            header.SequenceNumber = seq;
            header.AcknowledgmentNumber = ack;
            header.Flags = flags;
            header.Window = window;
            header.UrgentPointer = urgent;
            header.MaximumSegmentSize = mss;
            if (data != null)
                System.Array.Copy(data, 0, _rxBuffer, header.HeaderLength, length);
            int total = header.Emit(_rxBuffer, 0, length, RemoteAddress, LocalAddress) + length;
            TcpSegment segment;
            Check.True(TcpSegment.TryParse(_rxBuffer, 0, total, RemoteAddress, LocalAddress, out segment) == WireError.None, "injected segment parses");
            Engine.ProcessSegment(Now, RemoteAddress, LocalAddress, segment);
        }

        /// <summary>A SYN whose MSS option carries any value, 0 included (TcpHeader leaves out an MSS of 0).</summary>
        public void InjectSynWithMssOption(uint seq, int mss)
        {
            var header = new TcpHeader();
            header.SourcePort = PeerPort;
            header.DestinationPort = OurPort;
            header.SequenceNumber = seq;
            header.Flags = TcpFlags.Syn;
            header.Window = 65535;
            header.MaximumSegmentSize = 0xFFFF;
            int total = header.Emit(_rxBuffer, 0, 0, RemoteAddress, LocalAddress);
            NetworkOrder.WriteUInt16(_rxBuffer, 22, mss);
            NetworkOrder.WriteUInt16(_rxBuffer, 16, 0);
            uint sum = InternetChecksum.AddPseudoHeader(RemoteAddress, LocalAddress, IpProtocol.Tcp, total, 0);
            NetworkOrder.WriteUInt16(_rxBuffer, 16, InternetChecksum.Finish(InternetChecksum.Add(_rxBuffer, 0, total, sum)));
            TcpSegment segment;
            Check.True(TcpSegment.TryParse(_rxBuffer, 0, total, RemoteAddress, LocalAddress, out segment) == WireError.None, "SYN parses");
            Engine.ProcessSegment(Now, RemoteAddress, LocalAddress, segment);
        }

        /// <summary>Moves virtual time on and runs the engine's timers.</summary>
        public void Advance(int milliseconds)
        {
            Now += milliseconds;
            Engine.Poll(Now);
        }

        // ---- What the engine sent ----

        public int Pending { get { return _count; } }

        /// <summary>The next segment the engine sent; fails when there is none.</summary>
        public TcpSegment Next()
        {
            Check.True(_count > 0, "expected a segment, none was sent");
            int slot = _head;
            _head = (_head + 1) % Capacity;
            _count--;
            TcpSegment segment;
            Check.True(TcpSegment.TryParse(_captured[slot], 0, _capturedLength[slot], LocalAddress, RemoteAddress, out segment) == WireError.None,
                "sent segment parses with a valid checksum");
            return segment;
        }

        /// <summary>The next segment, checked for exactly these flags, SEQ and ACK (ACK only when the ACK flag is expected).</summary>
        public TcpSegment Expect(int flags, uint seq, uint ack)
        {
            TcpSegment s = Next();
            Check.Equal(FlagText(flags), FlagText(s.Flags), "flags");
            Check.Equal(seq, s.SequenceNumber, "SEG.SEQ");
            if ((flags & TcpFlags.Ack) != 0 || (flags & TcpFlags.Rst) == 0)
                Check.Equal(ack, s.AcknowledgmentNumber, "SEG.ACK");
            return s;
        }

        /// <summary>The next segment, checked as Expect does and for its payload length.</summary>
        public TcpSegment ExpectData(int flags, uint seq, uint ack, int length)
        {
            TcpSegment s = Expect(flags, seq, ack);
            Check.Equal(length, s.PayloadLength, "payload length");
            return s;
        }

        public void ExpectNothing()
        {
            if (_count > 0)
            {
                TcpSegment s = Next();
                Check.Fail(string.Concat("expected no segment, got ", FlagText(s.Flags), " seq ", s.SequenceNumber.ToString(),
                    " ack ", s.AcknowledgmentNumber.ToString(), " len ", s.PayloadLength.ToString()));
            }
        }

        /// <summary>Drops whatever the engine sent so far.</summary>
        public void Clear()
        {
            _head = 0;
            _count = 0;
        }

        public static byte[] Bytes(int count, int seed)
        {
            var data = new byte[count];
            for (int i = 0; i < count; i++)
                data[i] = (byte)(seed + i * 7);
            return data;
        }

        /// <summary>"[S.]" style, as tcpdump prints flags.</summary>
        public static string FlagText(int flags)
        {
            string text = "";
            if ((flags & TcpFlags.Syn) != 0) text = string.Concat(text, "S");
            if ((flags & TcpFlags.Fin) != 0) text = string.Concat(text, "F");
            if ((flags & TcpFlags.Rst) != 0) text = string.Concat(text, "R");
            if ((flags & TcpFlags.Psh) != 0) text = string.Concat(text, "P");
            if ((flags & TcpFlags.Urg) != 0) text = string.Concat(text, "U");
            if ((flags & TcpFlags.Ack) != 0) text = string.Concat(text, ".");
            return string.Concat("[", text, "]");
        }
    }
}
