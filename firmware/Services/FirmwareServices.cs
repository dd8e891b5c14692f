// The firmware's network services, driven from the poll loop (no thread per connection, which the
// device cannot afford): TCP echo (RFC 862, port 7), discard (RFC 863, port 9), character generator
// (RFC 864, port 19), an HTTP status page (port 80, on the HttpServer API: a route per page) and UDP
// echo (port 7). The same object runs on the ESP32 and in the desktop `nanotcp` command.
using NanoTcp.Http;
using NanoTcp.Tcp;
using NanoTcp.Udp;

namespace NanoTcp.Firmware.Services
{
    public sealed class FirmwareServices
    {
        private const int Echo = 0, Discard = 1, Chargen = 2;

        private readonly NetworkStack _stack;
        private readonly TcpListener[] _listeners = new TcpListener[3];
        private readonly HttpServer _http;
        private readonly TcpConnection[] _sessions;
        private readonly int[] _kinds;
        private readonly int[] _progress; // chargen: position in the pattern
        /// <summary>Reads drain a whole default ring at once, so the window opens in one update, not two.</summary>
        private const int ScratchLimit = 8192;
        private readonly byte[] _scratch;
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
        /// <summary>A session that moved no data either way this long, with nothing of ours unacknowledged, is
        /// reset, so idle clients cannot hold the few connection slots (issue 13; 0 switches it off).</summary>
        public int IdleTimeoutMs = DefaultIdleTimeoutMs;
        public const int DefaultIdleTimeoutMs = 60000;
        public int IdleSessionsClosed;
        /// <summary>UDP echo requests not answered: sent to a broadcast address, or from a well-known port.</summary>
        public int UdpEchoRefused;

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
            int ring = stack.Config.Tcp.ReceiveBufferSize;
            _scratch = new byte[ring < 1460 ? 1460 : ring > ScratchLimit ? ScratchLimit : ring];
            _listeners[Echo] = stack.Tcp.Listen(ServicePorts.Echo, slots);
            _listeners[Discard] = stack.Tcp.Listen(ServicePorts.Discard, slots);
            _listeners[Chargen] = stack.Tcp.Listen(ServicePorts.Chargen, slots);
            _http = new HttpServer(stack, ServicePorts.Http, new HttpServerConfig { Backlog = slots });
            _http.Route("GET", "/", ServeStatusPage);
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
                // Idle: nothing moved either way and nothing of ours waits (a retransmitting connection is TCP's
                // own timeouts' business, not idle).
                if (IdleTimeoutMs > 0 && c.BytesUnacknowledged == 0 && _stack.Now - c.LastProgressMs >= IdleTimeoutMs)
                {
                    IdleSessionsClosed++;
                    _stack.Tcp.Abort(c); // RST: the client learns at once, and the slot is free now
                    _sessions[i] = null;
                    continue;
                }
                switch (_kinds[i])
                {
                    case Echo: ServeEcho(i, c); break;
                    case Discard: ServeDiscard(i, c); break;
                    case Chargen: ServeChargen(i, c); break;
                }
            }
            _http.Poll(_stack.Now);
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
                FillChargen(_progress[i], n); // _progress: byte position in the endless stream, modulo one cycle
                int sent = _stack.Tcp.Send(c, _scratch, 0, n);
                if (sent <= 0)
                    break;
                ChargenBytes += sent;
                _progress[i] = (_progress[i] + sent) % ChargenCycle;
            }
        }

        /// <summary>95 lines of 74 bytes, then the pattern repeats.</summary>
        public const int ChargenCycle = 95 * 74;
        private const int ChargenLineChars = 72;

        /// <summary>The printable characters twice over (32..126, then 32..102): line L of the pattern is
        /// _chargenCharacters[L .. L+72), so lines are copied from it, not computed byte by byte. Built in the
        /// constructor: a static initializer would run (and allocate) at the first chargen session.</summary>
        private readonly byte[] _chargenCharacters = BuildChargenCharacters();

        private static byte[] BuildChargenCharacters()
        {
            byte[] characters = new byte[95 + ChargenLineChars - 1];
            for (int k = 0; k < characters.Length; k++)
                characters[k] = (byte)(32 + k % 95);
            return characters;
        }

        /// <summary>Puts the n pattern bytes from position (within one cycle) into _scratch.</summary>
        private void FillChargen(int position, int n)
        {
            int line = position / 74;
            int column = position % 74;
            int filled = 0;
            while (filled < n)
            {
                if (column < ChargenLineChars)
                {
                    int run = ChargenLineChars - column;
                    if (run > n - filled) run = n - filled;
                    System.Array.Copy(_chargenCharacters, line + column, _scratch, filled, run);
                    filled += run;
                    column += run;
                    continue;
                }
                _scratch[filled++] = column == ChargenLineChars ? (byte)13 : (byte)10;
                if (++column == 74)
                {
                    column = 0;
                    line = line + 1 == 95 ? 0 : line + 1;
                }
            }
        }

        public static byte ChargenByte(int position)
        {
            int line = position / 74;
            int column = position % 74;
            if (column == 72) return 13;
            if (column == 73) return 10;
            return (byte)(32 + (line + column) % 95);
        }

        private void ServeStatusPage(HttpServerRequest request, HttpServerResponse response)
        {
            HttpRequests++;
            WriteStatusPage();
            response.Write(_page.Buffer, 0, _page.Length);
        }

        private void ServeUdpEcho()
        {
            if (_udpEcho == null)
                return;
            uint source;
            int port;
            int n;
            while ((n = _stack.ReceiveFrom(_udpEcho, _datagram, 0, _datagram.Length, out source, out port)) >= 0)
            {
                if (!MayEchoTo(port, _udpEcho.LastWasBroadcast))
                {
                    UdpEchoRefused++;
                    continue;
                }
                _stack.SendTo(_udpEcho, source, port, _datagram, 0, n);
            }
        }

        /// <summary>UDP echo answers neither a broadcast (RFC 1122 3.2.2.6 lets a host ignore broadcast echo; every
        /// device answering one multiplies it) nor a well-known source port below 1024: a reply to another echo,
        /// chargen or any service would be answered again, and two such servers ping-pong forever (FreeBSD's
        /// inetd refuses its internal services' ports for the same reason). Clients use ephemeral ports.</summary>
        public static bool MayEchoTo(int sourcePort, bool toBroadcast)
        {
            return !toBroadcast && sourcePort >= 1024;
        }

        /// <summary>The status page's body: addresses, counters and the connection table, as plain text.</summary>
        public void WriteStatusPage()
        {
            NetworkStatistics s = _stack.Statistics;
            TcpCounters t = s.Tcp;
            _stack.CopyMacAddress(_mac, 0);
            AsciiWriter w = _page;
            w.Clear();
            w.Text("nanoTcp status").Line();
            w.Text("address: ").Address(_stack.Address).Text(" mask ").Address(_stack.SubnetMask).Text(" gateway ").Address(_stack.Gateway).Line();
            w.Text("mac: ").Mac(_mac).Text(" link ").Text(_stack.Device.IsLinkUp ? "up" : "down").Line();
            TcpConfig tcp = _stack.Tcp.Config;
            w.Text("tcp config: ").Number(tcp.MaxConnections).Text(" connections, send ring ").Number(tcp.SendBufferSize)
             .Text(" B, receive ring ").Number(tcp.ReceiveBufferSize).Text(" B, mss ").Number(tcp.LocalMss).Line();
            w.Counter("uptime ms", _stack.Now - _startedAt);
            w.Counter("frames in", s.FramesReceived).Counter("frames out", s.FramesSent);
            w.Counter("ip in", s.IpReceived).Counter("ip out", s.IpSent).Counter("ip fragments dropped", s.IpFragmentsDropped);
            w.Counter("ip dropped no route", s.IpNoRoute).Counter("ip dropped no arp", s.IpDroppedNoArp);
            w.Counter("parse errors", s.ParseErrorTotal);
            w.Counter("arp requests in", s.ArpRequestsReceived).Counter("arp conflicts", s.ArpAddressConflicts);
            w.Counter("icmp echo replies", s.IcmpEchoRepliesSent).Counter("udp in", s.UdpReceived).Counter("udp no port", s.UdpNoPort);
            w.Counter("tcp segments in", t.SegmentsReceived).Counter("tcp segments out", t.SegmentsSent);
            w.Counter("tcp retransmitted", t.SegmentsRetransmitted).Counter("tcp resets sent", t.ResetsSent);
            w.Counter("tcp segments not sent", t.SegmentsNotSent).Counter("tcp refused (table full)", t.ConnectionsRefused);
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

    /// <summary>The discard service's content check: a simple order-sensitive checksum both ends compute,
    /// sum = sum * 31 + byte for each byte (mod 2^32).</summary>
    public static class RunningChecksum
    {
        /// <summary>Four bytes a step, the same sum: sum * 31^4 + b0 * 31^3 + b1 * 31^2 + b2 * 31 + b3. The
        /// byte-at-a-time chain of multiplies was the discard service's largest cost per byte on the host.</summary>
        public static uint Add(uint sum, byte[] data, int offset, int length)
        {
            int i = offset, end = offset + length;
            for (; i + 4 <= end; i += 4)
                sum = sum * 923521u + data[i] * 29791u + data[i + 1] * 961u + data[i + 2] * 31u + data[i + 3];
            for (; i < end; i++)
                sum = sum * 31 + data[i];
            return sum;
        }
    }
}
