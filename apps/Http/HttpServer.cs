// A small HTTP/1.1 server (RFC 9112, RFC 9110) for the poll loop, on the TCP engine directly: routes
// (method and exact path), Content-Length on every response, persistent connections (9.3: 1.1 unless
// "Connection: close", 1.0 only with "keep-alive"), HEAD as GET without the body (RFC 9110 9.3.2),
// 404 for an unknown path, 405 with Allow for a known path and another method (15.5.6), 400 for a
// request line it cannot read, 431 for a head over the buffer, 413 for a body over it, 501 for a
// request body with a transfer coding (RFC 9112 6.1). Idle connections close after IdleTimeoutMs.
// Everything is allocated here; serving a request allocates nothing. One response buffer is shared:
// a response that does not fit the send ring at once holds it until sent, other sessions wait.
using NanoTcp.Tcp;

namespace NanoTcp.Http
{
    /// <summary>Fills response for request; the server adds the status line and framing fields.</summary>
    public delegate void HttpHandler(HttpServerRequest request, HttpServerResponse response);

    public sealed class HttpServerConfig
    {
        /// <summary>Connections served at once (each takes a TCP connection of the stack).</summary>
        public int Sessions = 2;
        public int Backlog = 2;
        /// <summary>Request line, fields and body of one request.</summary>
        public int RequestCapacity = 1024;
        /// <summary>Status line, fields and body of one response.</summary>
        public int ResponseCapacity = 4096;
        public int MaxRoutes = 8;
        public int IdleTimeoutMs = 10000;
    }

    public sealed class HttpServer
    {
        private const int ReadingHead = 0, ReadingBody = 1;
        private const int ResponseHeadRoom = 256; // status line and the server's fields, before the body

        private readonly NetworkStack _stack;
        private readonly HttpServerConfig _config;
        private readonly TcpListener _listener;
        private readonly TcpConnection[] _connections;
        private readonly byte[][] _requests;
        private readonly int[] _used, _state, _headLength, _bodyLength;
        private readonly long[] _idleSince;
        private readonly string[] _routeMethods, _routePaths;
        private readonly HttpHandler[] _routeHandlers;
        private int _routes;
        private readonly HttpServerRequest _request = new HttpServerRequest();
        private readonly HttpServerResponse _response;
        private readonly byte[] _out;
        private readonly byte[] _head = new byte[ResponseHeadRoom];
        private int _outSession = -1, _outAt, _outLength;
        private bool _closeAfterOut;

        public HttpServer(NetworkStack stack, int port, HttpServerConfig config)
        {
            _stack = stack;
            _config = config;
            _listener = stack.Tcp.Listen(port, config.Backlog);
            int n = config.Sessions;
            _connections = new TcpConnection[n];
            _requests = new byte[n][];
            for (int i = 0; i < n; i++)
                _requests[i] = new byte[config.RequestCapacity];
            _used = new int[n];
            _state = new int[n];
            _headLength = new int[n];
            _bodyLength = new int[n];
            _idleSince = new long[n];
            _routeMethods = new string[config.MaxRoutes];
            _routePaths = new string[config.MaxRoutes];
            _routeHandlers = new HttpHandler[config.MaxRoutes];
            _out = new byte[config.ResponseCapacity];
            _response = new HttpServerResponse(_out, ResponseHeadRoom);
        }

        /// <summary>False when the port could not be listened on (taken, or no listener free).</summary>
        public bool IsListening { get { return _listener != null; } }
        public int Requests { get; private set; }
        public int NotFound { get; private set; }
        public int MethodNotAllowed { get; private set; }
        /// <summary>400, 413, 431 and 501 answers.</summary>
        public int BadRequests { get; private set; }
        public int IdleTimeouts { get; private set; }
        public int SessionsRefused { get; private set; }

        /// <summary>Serves method ("GET", "POST", ...) on path (exact, without the query); false when the table is full.</summary>
        public bool Route(string method, string path, HttpHandler handler)
        {
            if (_routes == _routeHandlers.Length)
                return false;
            _routeMethods[_routes] = method;
            _routePaths[_routes] = path;
            _routeHandlers[_routes] = handler;
            _routes++;
            return true;
        }

        /// <summary>Accepts, reads, answers and closes as far as it can now. Call after each NetworkStack.Poll.</summary>
        public void Poll(long now)
        {
            if (_listener == null)
                return;
            TcpConnection c;
            while ((c = _stack.Tcp.Accept(_listener)) != null)
                Adopt(c, now);
            if (_outSession >= 0)
                FlushOut();
            for (int i = 0; i < _connections.Length; i++)
            {
                c = _connections[i];
                if (c == null)
                    continue;
                if (c.State == TcpState.Closed)
                {
                    Release(i);
                    continue;
                }
                if (i == _outSession)
                    continue;
                int n = _used[i] < _requests[i].Length ? _stack.Tcp.Receive(c, _requests[i], _used[i], _requests[i].Length - _used[i]) : 0;
                if (n > 0)
                {
                    _used[i] += n;
                    _idleSince[i] = now;
                }
                if (_outSession < 0)
                    Advance(i, now);
                if (_connections[i] == null || i == _outSession)
                    continue;
                if (c.IsReceiveFinished && (_used[i] == 0 || _state[i] == ReadingHead && HeadEnd(_requests[i], _used[i]) < 0))
                    Release(i); // the client closed its side: every request answered, or the last one can never complete
                else if (now - _idleSince[i] >= _config.IdleTimeoutMs)
                {
                    IdleTimeouts++;
                    Release(i);
                }
            }
        }

        private void Adopt(TcpConnection c, long now)
        {
            for (int i = 0; i < _connections.Length; i++)
            {
                if (_connections[i] != null)
                    continue;
                _connections[i] = c;
                c.Nagle = false; // a response is one write; Nagle would hold the next one for the peer's delayed ACK
                _used[i] = 0;
                _state[i] = ReadingHead;
                _idleSince[i] = now;
                return;
            }
            SessionsRefused++;
            _stack.Tcp.Abort(c);
        }

        /// <summary>Closes session i (FIN after what is queued; for an ended connection, frees its slot).</summary>
        private void Release(int i)
        {
            _stack.Tcp.Close(_connections[i]);
            _connections[i] = null;
            if (_outSession == i)
                _outSession = -1;
        }

        /// <summary>Parses what session i holds; answers a complete request.</summary>
        private void Advance(int i, long now)
        {
            byte[] b = _requests[i];
            if (_state[i] == ReadingHead)
            {
                int end = HeadEnd(b, _used[i]);
                if (end < 0)
                {
                    if (_used[i] == b.Length)
                        Answer(i, 431, false, false); // RFC 6585 5
                    return;
                }
                _headLength[i] = end;
                if (!_request.Parse(b, end))
                {
                    Answer(i, 400, false, false);
                    return;
                }
                int n;
                if (_request.FindHeader("Transfer-Encoding", out n) >= 0)
                {
                    Answer(i, 501, false, false);
                    return;
                }
                int cl = _request.FindHeader("Content-Length", out n);
                long length = cl >= 0 ? HttpText.ParseDecimal(b, cl, n) : 0;
                if (length < 0)
                {
                    Answer(i, 400, false, false);
                    return;
                }
                if (end + length > b.Length)
                {
                    Answer(i, 413, false, false);
                    return;
                }
                _bodyLength[i] = (int)length;
                _state[i] = ReadingBody;
            }
            if (_used[i] < _headLength[i] + _bodyLength[i])
                return;
            _request.Parse(b, _headLength[i]); // again: another session may have used the parser meanwhile
            _request.SetBody(_headLength[i], _bodyLength[i]);
            Requests++;
            Dispatch(i);
        }

        /// <summary>Offset just past CR LF CR LF (or LF LF), or -1.</summary>
        private static int HeadEnd(byte[] b, int used)
        {
            for (int p = 1; p < used; p++)
            {
                if (b[p] != HttpText.Lf)
                    continue;
                if (b[p - 1] == HttpText.Lf)
                    return p + 1;
                if (p >= 2 && b[p - 1] == HttpText.Cr && b[p - 2] == HttpText.Lf)
                    return p + 1;
            }
            return -1;
        }

        private void Dispatch(int i)
        {
            bool keepAlive = _request.WantsKeepAlive();
            bool head = _request.MethodIs("HEAD");
            bool pathKnown = false;
            for (int r = 0; r < _routes; r++)
            {
                if (!_request.PathIs(_routePaths[r]))
                    continue;
                pathKnown = true;
                if (_request.MethodIs(_routeMethods[r]) || (head && _routeMethods[r] == "GET"))
                {
                    _response.Begin();
                    _routeHandlers[r](_request, _response);
                    Answer(i, _response.Status, keepAlive, head);
                    return;
                }
            }
            if (pathKnown)
            {
                MethodNotAllowed++;
                _response.Begin();
                _response.Write("method not allowed\n");
                Answer(i, 405, keepAlive, head);
                return;
            }
            NotFound++;
            _response.Begin();
            _response.Write("not found\n");
            Answer(i, 404, keepAlive, head);
        }

        /// <summary>Writes the status line and fields before the handler's body, and starts sending.</summary>
        private void Answer(int i, int status, bool keepAlive, bool headOnly)
        {
            if (status >= 400 && status != 404 && status != 405)
            {
                BadRequests++;
                _response.Begin();
                _response.Write(HttpStatus.Reason(status));
                _response.Write("\n");
                keepAlive = false; // the rest of the stream cannot be trusted after a bad request
            }
            int bodyLength = _response.BodyLength;
            _outSession = i;
            _outAt = WriteHead(status, keepAlive, bodyLength);
            _outLength = headOnly ? ResponseHeadRoom : ResponseHeadRoom + bodyLength;
            _closeAfterOut = !keepAlive;
            // The request is answered: keep what followed it (a pipelined request) for the next round.
            int consumed = _state[i] == ReadingBody ? _headLength[i] + _bodyLength[i] : _used[i];
            System.Array.Copy(_requests[i], consumed, _requests[i], 0, _used[i] - consumed);
            _used[i] -= consumed;
            _state[i] = ReadingHead;
            FlushOut();
        }

        /// <summary>Status line and fields into the room before the body (RFC 9112 4, 6.2; RFC 9110 15.5.6 Allow
        /// on 405); returns where the response starts.</summary>
        private int WriteHead(int status, bool keepAlive, int bodyLength)
        {
            byte[] h = _head;
            int p = HttpText.Write(h, 0, "HTTP/1.1 ");
            p = HttpText.WriteDecimal(h, p, status);
            h[p++] = HttpText.Space;
            p = HttpText.Write(h, p, HttpStatus.Reason(status));
            p = HttpText.WriteCrLf(h, p);
            p = HttpText.Write(h, p, "Content-Type: ");
            p = HttpText.Write(h, p, _response.ContentType);
            p = HttpText.Write(h, p, "\r\nContent-Length: ");
            p = HttpText.WriteDecimal(h, p, bodyLength);
            p = HttpText.WriteCrLf(h, p);
            if (status == 405)
            {
                p = HttpText.Write(h, p, "Allow:");
                bool first = true;
                for (int r = 0; r < _routes; r++)
                {
                    if (!_request.PathIs(_routePaths[r]))
                        continue;
                    p = HttpText.Write(h, p, first ? " " : ", ");
                    p = HttpText.Write(h, p, _routeMethods[r]);
                    first = false;
                }
                p = HttpText.WriteCrLf(h, p);
            }
            if (!keepAlive)
                p = HttpText.Write(h, p, "Connection: close\r\n");
            else if (_request.MinorVersion == 0)
                p = HttpText.Write(h, p, "Connection: keep-alive\r\n");
            p = HttpText.WriteCrLf(h, p);
            int start = ResponseHeadRoom - p;
            System.Array.Copy(h, 0, _out, start, p);
            return start;
        }

        private void FlushOut()
        {
            TcpConnection c = _connections[_outSession];
            int sent = _stack.Tcp.Send(c, _out, _outAt, _outLength - _outAt);
            if (sent < 0)
            {
                Release(_outSession);
                return;
            }
            _outAt += sent;
            if (_outAt < _outLength)
                return;
            int i = _outSession;
            _outSession = -1;
            if (_closeAfterOut)
                Release(i);
        }
    }
}
