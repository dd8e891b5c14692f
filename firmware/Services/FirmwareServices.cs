// The firmware's network services, driven from the poll loop (no thread per connection, which the
// device cannot afford): TCP echo (RFC 862, port 7), discard (RFC 863, port 9), character generator
// (RFC 864, port 19), an HTTP/1.0 status page (port 80) and UDP echo (port 7). The same object runs
// on the ESP32 and in the desktop `nanotcp` command.
using NanoTcp.Tcp;
using NanoTcp.Udp;

namespace NanoTcp.Firmware.Services
{
    public sealed class FirmwareServices
    {
        private const int Echo = 0, Discard = 1, Chargen = 2, Http = 3;
        private const int HttpRequestLimit = 1024;

        private readonly NetworkStack _stack;
        private readonly TcpListener[] _listeners = new TcpListener[4];
        private readonly TcpConnection[] _sessions;
        private readonly int[] _kinds;
        private readonly int[] _progress; // chargen: position in the pattern; http: how much of CR LF CR LF was seen
        private readonly byte[] _scratch = new byte[1460];
        private readonly AsciiWriter _page = new AsciiWriter(4096);
        private readonly UdpSocket _udpEcho;
        private readonly byte[] _datagram;
        private readonly byte[] _mac = new byte[6];
        private readonly long _startedAt;

        /// <summary>Bytes the discard service has taken, and their running checksum (DiscardChecksum.Add).</summary>
        public long DiscardedBytes;
        public uint DiscardChecksum;
        public long EchoedBytes;
        public long ChargenBytes;
        public int HttpRequests;
        public int SessionsRefused;

        /// <summary>What the services take from the stack: a listener each for echo, discard, chargen and http,
        /// two connections to serve them, and the UDP echo socket.</summary>
        public static void Reserve(StackConfigBuilder builder)
        {
            builder.AddTcpListeners(4).AddTcpConnections(2).AddUdpSockets(1);
        }

        public FirmwareServices(NetworkStack stack)
        {
            _stack = stack;
            int slots = stack.Tcp.ConnectionCount;
            _sessions = new TcpConnection[slots];
            _kinds = new int[slots];
            _progress = new int[slots];
            _listeners[Echo] = stack.Tcp.Listen(ServicePorts.Echo, 2);
            _listeners[Discard] = stack.Tcp.Listen(ServicePorts.Discard, 2);
            _listeners[Chargen] = stack.Tcp.Listen(ServicePorts.Chargen, 2);
            _listeners[Http] = stack.Tcp.Listen(ServicePorts.Http, 2);
            _udpEcho = stack.OpenUdp(ServicePorts.Echo);
            _datagram = new byte[stack.Config.UdpDatagramCapacity];
            _startedAt = stack.Now;
        }

        /// <summary>Serves every connection as far as it can go now. Call after each NetworkStack.Poll.</summary>
        public void Poll()
        {
            for (int kind = 0; kind < _listeners.Length; kind++)
            {
                if (_listeners[kind] == null)
                    continue;
                TcpConnection c;
                while ((c = _stack.Tcp.Accept(_listeners[kind])) != null)
                    Adopt(c, kind);
            }
            for (int i = 0; i < _sessions.Length; i++)
            {
                TcpConnection c = _sessions[i];
                if (c == null)
                    continue;
                if (c.State == TcpState.Closed)
                {
                    _stack.Tcp.Close(c); // releases the slot; Error says why it ended
                    _sessions[i] = null;
                    continue;
                }
                switch (_kinds[i])
                {
                    case Echo: ServeEcho(i, c); break;
                    case Discard: ServeDiscard(i, c); break;
                    case Chargen: ServeChargen(i, c); break;
                    case Http: ServeHttp(i, c); break;
                }
            }
            ServeUdpEcho();
        }

        private void Adopt(TcpConnection c, int kind)
        {
            for (int i = 0; i < _sessions.Length; i++)
            {
                if (_sessions[i] != null)
                    continue;
                _sessions[i] = c;
                _kinds[i] = kind;
                _progress[i] = 0;
                return;
            }
            SessionsRefused++;
            _stack.Tcp.Abort(c);
        }

        private void Finish(int i, TcpConnection c)
        {
            _stack.Tcp.Close(c); // FIN after what is queued; the slot returns after TIME_WAIT or LAST_ACK
            _sessions[i] = null;
        }

        private void ServeEcho(int i, TcpConnection c)
        {
            while (true)
            {
                int room = c.SendSpace < _scratch.Length ? c.SendSpace : _scratch.Length;
                if (room == 0)
                    break;
                int n = _stack.Tcp.Receive(c, _scratch, 0, room);
                if (n <= 0)
                    break;
                _stack.Tcp.Send(c, _scratch, 0, n);
                EchoedBytes += n;
            }
            if (c.IsReceiveFinished)
                Finish(i, c);
        }

        private void ServeDiscard(int i, TcpConnection c)
        {
            int n;
            while ((n = _stack.Tcp.Receive(c, _scratch, 0, _scratch.Length)) > 0)
            {
                DiscardChecksum = RunningChecksum.Add(DiscardChecksum, _scratch, 0, n);
                DiscardedBytes += n;
            }
            if (c.IsReceiveFinished)
                Finish(i, c);
        }

        /// <summary>RFC 864: lines of 72 printable characters (codes 32-126, each line starting one further), CR LF.</summary>
        private void ServeChargen(int i, TcpConnection c)
        {
            while (_stack.Tcp.Receive(c, _scratch, 0, _scratch.Length) > 0)
            {
            }
            if (c.IsReceiveFinished)
            {
                Finish(i, c);
                return;
            }
            while (c.SendSpace > 0)
            {
                int n = c.SendSpace < _scratch.Length ? c.SendSpace : _scratch.Length;
                int position = _progress[i]; // byte position in the endless stream, modulo one full cycle
                for (int k = 0; k < n; k++)
                {
                    _scratch[k] = ChargenByte(position);
                    position = position + 1 == ChargenCycle ? 0 : position + 1;
                }
                int sent = _stack.Tcp.Send(c, _scratch, 0, n);
                if (sent <= 0)
                    break;
                ChargenBytes += sent;
                _progress[i] = (_progress[i] + sent) % ChargenCycle;
            }
        }

        /// <summary>95 lines of 74 bytes, then the pattern repeats.</summary>
        public const int ChargenCycle = 95 * 74;

        public static byte ChargenByte(int position)
        {
            int line = position / 74;
            int column = position % 74;
            if (column == 72) return 13;
            if (column == 73) return 10;
            return (byte)(32 + (line + column) % 95);
        }

        private void ServeHttp(int i, TcpConnection c)
        {
            int n;
            while ((n = _stack.Tcp.Receive(c, _scratch, 0, _scratch.Length)) > 0)
            {
                // Look for the blank line ending the request head: CR LF CR LF (state in _progress: 0..4).
                for (int k = 0; k < n && _progress[i] < 4; k++)
                {
                    byte b = _scratch[k];
                    int s = _progress[i];
                    _progress[i] = (b == 13 && (s == 0 || s == 2)) || (b == 10 && (s == 1 || s == 3)) ? s + 1 : (b == 13 ? 1 : 0);
                }
            }
            if (_progress[i] == 4 || c.IsReceiveFinished)
            {
                HttpRequests++;
                WriteStatusPage();
                _stack.Tcp.Send(c, _page.Buffer, 0, _page.Length);
                _stack.Tcp.Close(c);
                _sessions[i] = null;
            }
        }

        private void ServeUdpEcho()
        {
            if (_udpEcho == null)
                return;
            uint source;
            int port;
            int n;
            while ((n = _stack.ReceiveFrom(_udpEcho, _datagram, 0, _datagram.Length, out source, out port)) >= 0)
                _stack.SendTo(_udpEcho, source, port, _datagram, 0, n);
        }

        /// <summary>The status page: addresses, counters and the connection table, as plain text.</summary>
        public void WriteStatusPage()
        {
            NetworkStatistics s = _stack.Statistics;
            TcpCounters t = s.Tcp;
            _stack.CopyMacAddress(_mac, 0);
            AsciiWriter w = _page;
            w.Clear();
            w.Text("HTTP/1.0 200 OK").Line().Text("Content-Type: text/plain").Line().Text("Connection: close").Line().Line();
            w.Text("nanoTcp status").Line();
            w.Text("address: ").Address(_stack.Address).Text(" mask ").Address(_stack.SubnetMask).Text(" gateway ").Address(_stack.Gateway).Line();
            w.Text("mac: ").Mac(_mac).Text(" link ").Text(_stack.Device.IsLinkUp ? "up" : "down").Line();
            w.Counter("uptime ms", _stack.Now - _startedAt);
            w.Counter("frames in", s.FramesReceived).Counter("frames out", s.FramesSent);
            w.Counter("ip in", s.IpReceived).Counter("ip out", s.IpSent).Counter("ip fragments dropped", s.IpFragmentsDropped);
            w.Counter("parse errors", s.ParseErrorTotal);
            w.Counter("arp requests in", s.ArpRequestsReceived).Counter("arp conflicts", s.ArpAddressConflicts);
            w.Counter("icmp echo replies", s.IcmpEchoRepliesSent).Counter("udp in", s.UdpReceived).Counter("udp no port", s.UdpNoPort);
            w.Counter("tcp segments in", t.SegmentsReceived).Counter("tcp segments out", t.SegmentsSent);
            w.Counter("tcp retransmitted", t.SegmentsRetransmitted).Counter("tcp resets sent", t.ResetsSent);
            w.Counter("tcp active opens", t.ActiveOpens).Counter("tcp passive opens", t.PassiveOpens);
            w.Counter("tcp syn cookies sent", t.SynCookiesSent).Counter("tcp challenge acks", t.ChallengeAcks);
            w.Counter("echo bytes", EchoedBytes).Counter("discard bytes", DiscardedBytes).Counter("chargen bytes", ChargenBytes);
            w.Text("connections:").Line();
            for (int i = 0; i < _stack.Tcp.ConnectionCount; i++)
            {
                TcpConnection c = _stack.Tcp.ConnectionAt(i);
                if (c.State == TcpState.Closed)
                    continue;
                w.Text("  ").Number(c.LocalPort).Text(" ").Address(c.RemoteAddress).Byte(':').Number(c.RemotePort)
                 .Text(" ").Text(TcpStateNames.Name(c.State)).Line();
            }
        }

        public byte[] PageBuffer { get { return _page.Buffer; } }
        public int PageLength { get { return _page.Length; } }
    }

    /// <summary>The discard service's content check: a simple order-sensitive checksum both ends compute.</summary>
    public static class RunningChecksum
    {
        public static uint Add(uint sum, byte[] data, int offset, int length)
        {
            for (int i = 0; i < length; i++)
                sum = sum * 31 + data[offset + i];
            return sum;
        }
    }
}
