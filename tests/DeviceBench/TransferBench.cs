// Two default NetworkStacks on a MemoryWire: A writes Total bytes to a reader on B, in 1460-byte application
// writes, lock-step: A's turn (application write, A.Poll: ACKs in, segments out) then B's turn (QuietPoll, the
// device's loop: B.Poll takes the segments in, the application reads, and one segment carries the ACK and the
// opened window). With marks on, every turn is bracketed by the IL counter's tokens, so run-cost-benchmark.sh
// can sum the send path (A) and the receive path (B) apart.
using System;
using NanoTcp.Firmware.Services;
using NanoTcp.StackSuites;
using NanoTcp.Tcp;

namespace NanoTcp.DeviceBench
{
    public sealed class TransferBench
    {
        public const int Total = 100 * 1024;
        public const int Port = 9;

        private readonly WireLan _lan = WireLan.Pair();
        private readonly byte[] _data = new byte[1460];
        private readonly byte[] _read = new byte[2048];
        private TcpConnection _client, _server;
        private readonly AfterPoll _readAll;
        private int _received;

        /// <summary>Frames each side sent and segments B received during the last Run.</summary>
        public int FramesFromA, FramesFromB, SegmentsToB;

        /// <summary>A writes 1460 bytes only when all it sent was acknowledged, so every data segment is a full
        /// one (issue 11 point 5 asks for the cost at 1460-byte segments); off, A keeps its ring full and the
        /// 2 KB window lets a 1460-byte and a 588-byte segment through per round.</summary>
        public bool FullSegments;

        /// <summary>The counter lines' names for A's and B's turns.</summary>
        public string TagA = "A", TagB = "B";

        /// <summary>Handshake (not measured).</summary>
        public TransferBench()
        {
            _readAll = ReadAll;
            for (int i = 0; i < _data.Length; i++)
                _data[i] = (byte)(i * 7 + 3);
            TcpListener listener = _lan.B.Tcp.Listen(Port, 1);
            _client = _lan.A.Tcp.Connect(WireLan.AddressA, WireLan.AddressB, Port, 0);
            _lan.RunUntil(delegate
            {
                if (_server == null) _server = _lan.B.Tcp.Accept(listener);
                return _server != null && _client.IsConnected;
            }, 1000);
            if (_server == null || !_client.IsConnected)
                throw new InvalidOperationException("handshake did not complete");
        }

        /// <summary>B's application: reads what arrived, in the poll loop's services turn.</summary>
        private void ReadAll()
        {
            int r;
            while ((r = _lan.B.Tcp.Receive(_server, _read, 0, _read.Length)) > 0)
                _received += r;
        }

        /// <summary>Moves Total bytes; returns the bytes read (Total unless the transfer stalled).</summary>
        public int Run(bool marks)
        {
            int sent = 0, received = 0;
            int segmentsBefore = _lan.B.Tcp.Counters.SegmentsReceived;
            int fromA = _lan.PortA.FramesSent, fromB = _lan.PortB.FramesSent;
            long now = _lan.Now;
            for (int step = 0; received < Total && step < 100000; step++)
            {
                if (marks) Console.WriteLine("[[il-mark]]");
                if (sent < Total && (!FullSegments || _client.BytesUnacknowledged == 0))
                {
                    int want = Total - sent < _data.Length ? Total - sent : _data.Length;
                    int n = _lan.A.Tcp.Send(_client, _data, 0, want);
                    if (n > 0) sent += n;
                }
                long nextA = _lan.A.Poll(now);
                if (marks) Console.WriteLine(string.Concat(TagA, " [[il-delta]]"));

                if (marks) Console.WriteLine("[[il-mark]]");
                _received = received;
                long nextB = QuietPoll.Run(_lan.B, _readAll, now); // the device's loop: stack, then the reader
                received = _received;
                if (marks) Console.WriteLine(string.Concat(TagB, " [[il-delta]]"));

                if (!_lan.Wire.AnyWaiting())
                {
                    long next = nextA < nextB ? nextA : nextB;
                    if (next > now + 10) next = now + 10;
                    now = next > now ? next : now + 1;
                }
            }
            _lan.Now = now;
            FramesFromA = _lan.PortA.FramesSent - fromA;
            FramesFromB = _lan.PortB.FramesSent - fromB;
            SegmentsToB = _lan.B.Tcp.Counters.SegmentsReceived - segmentsBefore;
            return received;
        }
    }
}
