// HTTP/1.1 client (RFC 9112 message syntax, RFC 9110 semantics) over the socket layer's non-blocking
// calls, polled like the stack: Start a request, Poll until State is Done or Failed (or call Send,
// which does both on a firmware thread). One request at a time; the connection is kept for the next
// request to the same host and port unless either side says close (RFC 9112 9.3). A kept connection
// the server closed meanwhile is retried once on a new one for GET and HEAD, never for POST (9.3.1).
// Responses: Content-Length, chunked (7.1, extensions and trailers skipped) or read-until-close
// framing (6.3), interim 1xx skipped (RFC 9110 15.2). Redirects are followed only when the request
// asks, and only to the same host and port (303, and 301/302 after POST, become GET: RFC 9110 15.4).
// Buffers are allocated here; a request allocates nothing.
using NanoTcp.Sockets;

namespace NanoTcp.Http
{
    public enum HttpClientState : byte { Idle, Resolving, Connecting, Sending, Receiving, Done, Failed }

    public sealed class HttpClient
    {
        private const int Head = 0, Length = 1, UntilClose = 2, ChunkSize = 3, ChunkExtension = 4, ChunkSizeLf = 5,
                          ChunkData = 6, ChunkDataCr = 7, ChunkDataLf = 8, Trailer = 9, Complete = 10;
        private const int MaxChunkSizeDigits = 7;

        private readonly SocketFactory _sockets;
        private readonly HttpClientConfig _config;
        private readonly StreamSocket _socket;
        private readonly HttpResponse _response;
        private readonly byte[] _out;
        private readonly byte[] _in = new byte[536];
        private readonly byte[] _path;
        private int _pathLength;
        private HttpRequest _request;
        private string _method;
        private bool _sendBody;
        private int _outLength, _outSent, _bodySent;
        private uint _address, _connectedAddress;
        private int _connectedPort;
        private bool _reusable, _reused, _retried, _gotBytes;
        private long _deadline = long.MaxValue;
        private int _redirects;
        private int _read;
        private long _remaining;
        private int _chunkDigits;
        private int _lineLength;
        private int _headEnd; // how much of CR LF CR LF (or LF LF) ends the head so far
        private int _lastReceived;

        public HttpClient(SocketFactory sockets, HttpClientConfig config)
        {
            _sockets = sockets;
            _config = config;
            _socket = sockets.CreateStream();
            _response = new HttpResponse(config.ResponseHeadCapacity, config.BodyCapacity);
            _out = new byte[config.RequestHeadCapacity];
            _path = new byte[config.RequestHeadCapacity];
        }

        public HttpClientState State { get; private set; }
        public HttpError Error { get; private set; }
        /// <summary>The socket layer's reason when Error is ResolveFailed, ConnectFailed or ConnectionClosed.</summary>
        public SocketError SocketError { get; private set; }
        public HttpResponse Response { get { return _response; } }
        /// <summary>Sees every body byte as it arrives, beyond BodyCapacity too; null: none.</summary>
        public HttpBodySink BodySink;
        public bool IsBusy { get { return State != HttpClientState.Idle && State != HttpClientState.Done && State != HttpClientState.Failed; } }

        public int Requests { get; private set; }
        public int ConnectionsOpened { get; private set; }
        public int ConnectionsReused { get; private set; }
        public int RedirectsFollowed { get; private set; }
        public int Retries { get; private set; }

        /// <summary>Starts request; false (Error Busy) while another is in flight.</summary>
        public bool Start(HttpRequest request, long now)
        {
            if (IsBusy)
            {
                Error = HttpError.Busy;
                return false;
            }
            _request = request;
            _method = request.Method;
            _sendBody = request.BodyLength > 0 && request.Body != null;
            System.Array.Copy(request.PathBytes, 0, _path, 0, request.PathLength);
            _pathLength = request.PathLength;
            _redirects = 0;
            _retried = false;
            _deadline = now + _config.TimeoutMs;
            Error = HttpError.None;
            SocketError = SocketError.Success;
            Requests++;
            State = HttpClientState.Resolving;
            Poll(now);
            return true;
        }

        /// <summary>Runs the request as far as it can go now; returns the deadline (long.MaxValue when idle).</summary>
        public long Poll(long now)
        {
            for (int step = 0; step < 16 && IsBusy; step++)
            {
                HttpClientState before = State;
                _lastReceived = 0;
                switch (State)
                {
                    case HttpClientState.Resolving: Resolve(); break;
                    case HttpClientState.Connecting: AwaitConnect(); break;
                    case HttpClientState.Sending: SendSome(); break;
                    case HttpClientState.Receiving: ReceiveSome(); break;
                }
                if (State == before && _lastReceived <= 0)
                    break; // waiting for the network
            }
            if (IsBusy && now >= _deadline)
                Fail(HttpError.TimedOut, SocketError.TimedOut);
            return IsBusy ? _deadline : long.MaxValue;
        }

        /// <summary>Blocking: starts request and polls until it ends (for firmware threads). The error, None when done.</summary>
        public HttpError Send(HttpRequest request)
        {
            if (!Start(request, _sockets.Runner.NowMs))
                return Error;
            while (IsBusy)
            {
                _sockets.Runner.AwaitProgress(_deadline);
                Poll(_sockets.Runner.NowMs);
            }
            return Error;
        }

        /// <summary>Closes the kept connection.</summary>
        public void Close()
        {
            _socket.Close();
            _reusable = false;
            if (IsBusy)
                State = HttpClientState.Idle;
        }

        private void Resolve()
        {
            uint address;
            SocketError e = _sockets.TryResolve(_request.Host, out address);
            if (e == SocketError.InProgress)
                return;
            if (e != SocketError.Success)
            {
                Fail(HttpError.ResolveFailed, e);
                return;
            }
            _address = address;
            Open();
        }

        /// <summary>Reuses the kept connection to the same host and port, or connects anew.</summary>
        private void Open()
        {
            if (_reusable && _socket.Connected && _connectedAddress == _address && _connectedPort == _request.Port)
            {
                _reused = true;
                ConnectionsReused++;
                BeginSending();
                return;
            }
            _socket.Close();
            _reusable = false;
            _reused = false;
            SocketError e = _socket.BeginConnect(_address, _request.Port);
            if (e != SocketError.InProgress && e != SocketError.Success)
            {
                Fail(HttpError.ConnectFailed, e);
                return;
            }
            _connectedAddress = _address;
            _connectedPort = _request.Port;
            ConnectionsOpened++;
            State = HttpClientState.Connecting;
        }

        private void AwaitConnect()
        {
            SocketError e = _socket.ConnectStatus;
            if (e == SocketError.InProgress)
                return;
            if (e != SocketError.Success)
            {
                _socket.Close();
                Fail(HttpError.ConnectFailed, e);
                return;
            }
            _socket.NoDelay = true; // a request is one write; waiting for an ACK only adds a round trip
            BeginSending();
        }

        private void BeginSending()
        {
            _outLength = BuildHead();
            if (_outLength < 0)
            {
                Fail(HttpError.RequestTooLarge, SocketError.Success);
                return;
            }
            _outSent = 0;
            _bodySent = 0;
            _gotBytes = false;
            ResetResponse();
            State = HttpClientState.Sending;
        }

        /// <summary>Request line and fields (RFC 9112 3, 3.2 Host, 6.2 Content-Length); -1 when they do not fit.</summary>
        private int BuildHead()
        {
            byte[] b = _out;
            int p = HttpText.Write(b, 0, _method);
            if (p < 0 || p + 1 + _pathLength > b.Length) return -1;
            b[p++] = HttpText.Space;
            System.Array.Copy(_path, 0, b, p, _pathLength);
            p += _pathLength;
            p = HttpText.Write(b, p, " HTTP/1.1\r\nHost: ");
            p = HttpText.Write(b, p, _request.Host);
            if (_request.Port != 80 && p > 0)
            {
                b[p++] = HttpText.Colon;
                p = HttpText.WriteDecimal(b, p, _request.Port);
            }
            p = HttpText.WriteCrLf(b, p);
            if (_sendBody)
            {
                p = HttpText.Write(b, p, "Content-Length: ");
                p = HttpText.WriteDecimal(b, p, _request.BodyLength);
                p = HttpText.WriteCrLf(b, p);
                if (_request.ContentType != null && p > 0)
                {
                    p = HttpText.Write(b, p, "Content-Type: ");
                    p = HttpText.Write(b, p, _request.ContentType);
                    p = HttpText.WriteCrLf(b, p);
                }
            }
            if (_request.ExtraHeaders != null && p > 0)
                p = HttpText.Write(b, p, _request.ExtraHeaders);
            return HttpText.WriteCrLf(b, p);
        }

        private void SendSome()
        {
            if (_outSent < _outLength)
            {
                int n = _socket.TrySend(_out, _outSent, _outLength - _outSent);
                if (n < 0) { Lost(); return; }
                _outSent += n;
                if (_outSent < _outLength) return;
            }
            if (_sendBody && _bodySent < _request.BodyLength)
            {
                int n = _socket.TrySend(_request.Body, _request.BodyOffset + _bodySent, _request.BodyLength - _bodySent);
                if (n < 0) { Lost(); return; }
                _bodySent += n;
                if (_bodySent < _request.BodyLength) return;
            }
            State = HttpClientState.Receiving;
        }

        private void ReceiveSome()
        {
            int n = _socket.TryReceive(_in, 0, _in.Length);
            _lastReceived = n;
            if (n == 0)
                return;
            if (n < 0)
            {
                if (_read == UntilClose)
                {
                    _reusable = false;
                    Finish();
                }
                else
                    Lost();
                return;
            }
            _gotBytes = true;
            Feed(_in, 0, n);
        }

        /// <summary>The connection ended early: a stale kept connection is retried once for GET and HEAD.</summary>
        private void Lost()
        {
            SocketError e = _socket.Error;
            _socket.Close();
            _reusable = false;
            if (_reused && !_gotBytes && !_retried && (_method == "GET" || _method == "HEAD"))
            {
                _retried = true;
                Retries++;
                Open();
                return;
            }
            Fail(HttpError.ConnectionClosed, e);
        }

        private void Fail(HttpError error, SocketError socketError)
        {
            Error = error;
            SocketError = socketError;
            if (State == HttpClientState.Sending || State == HttpClientState.Receiving || State == HttpClientState.Connecting)
                _socket.Abort(); // the connection is in an unknown place in the exchange: never reuse it
            _reusable = false;
            State = HttpClientState.Failed;
        }

        private void ResetResponse()
        {
            _read = Head;
            _headEnd = 0;
            _response.HeadUsed = 0;
            _response.FieldsAt = 0;
            _response.StatusCode = 0;
            _response.ContentLength = -1;
            _response.Chunked = false;
            _response.KeepAlive = false;
            _response.BodyLength = 0;
            _response.BodyReceived = 0;
        }

        private void Feed(byte[] b, int offset, int count)
        {
            int p = offset, end = offset + count;
            while (p < end && State == HttpClientState.Receiving)
            {
                switch (_read)
                {
                    case Head:
                        if (_response.HeadUsed == _response.HeadBuffer.Length)
                        {
                            Fail(HttpError.HeadTooLarge, SocketError.Success);
                            return;
                        }
                        byte c = b[p++];
                        _response.HeadBuffer[_response.HeadUsed++] = c;
                        // CR LF CR LF, or LF LF (RFC 9112 2.2 lets a recipient accept a bare LF).
                        if (c == HttpText.Lf) _headEnd = _headEnd >= 1 ? 4 : 1;
                        else if (c != HttpText.Cr) _headEnd = 0;
                        if (_headEnd == 4)
                            EndOfHead();
                        break;
                    case Length:
                    {
                        int take = _remaining < end - p ? (int)_remaining : end - p;
                        Deliver(b, p, take);
                        p += take;
                        _remaining -= take;
                        if (_remaining == 0)
                            Finish();
                        break;
                    }
                    case UntilClose:
                        Deliver(b, p, end - p);
                        p = end;
                        break;
                    case ChunkData:
                    {
                        int take = _remaining < end - p ? (int)_remaining : end - p;
                        Deliver(b, p, take);
                        p += take;
                        _remaining -= take;
                        if (_remaining == 0)
                            _read = ChunkDataCr;
                        break;
                    }
                    default:
                        ChunkFraming(b[p++]);
                        break;
                }
            }
        }

        /// <summary>RFC 9112 7.1: chunk-size [ext] CRLF data CRLF ... 0 CRLF trailer CRLF.</summary>
        private void ChunkFraming(int c)
        {
            switch (_read)
            {
                case ChunkSize:
                {
                    int digit = HttpText.HexDigit(c);
                    if (digit >= 0 && _chunkDigits < MaxChunkSizeDigits)
                    {
                        _remaining = _remaining * 16 + digit;
                        _chunkDigits++;
                    }
                    else if (_chunkDigits > 0 && (c == ';' || c == ' ' || c == '\t'))
                        _read = ChunkExtension;
                    else if (_chunkDigits > 0 && c == HttpText.Cr)
                        _read = ChunkSizeLf;
                    else if (_chunkDigits > 0 && c == HttpText.Lf)
                        EndOfChunkSize();
                    else
                        Fail(HttpError.MalformedResponse, SocketError.Success);
                    break;
                }
                case ChunkExtension:
                    if (c == HttpText.Lf) EndOfChunkSize();
                    break;
                case ChunkSizeLf:
                    if (c == HttpText.Lf) EndOfChunkSize();
                    else Fail(HttpError.MalformedResponse, SocketError.Success);
                    break;
                case ChunkDataCr:
                    if (c == HttpText.Cr) _read = ChunkDataLf;
                    else if (c == HttpText.Lf) StartChunk();
                    else Fail(HttpError.MalformedResponse, SocketError.Success);
                    break;
                case ChunkDataLf:
                    if (c == HttpText.Lf) StartChunk();
                    else Fail(HttpError.MalformedResponse, SocketError.Success);
                    break;
                case Trailer:
                    // Trailer fields are skipped; an empty line ends the message.
                    if (c == HttpText.Lf)
                    {
                        if (_lineLength == 0) Finish();
                        _lineLength = 0;
                    }
                    else if (c != HttpText.Cr)
                        _lineLength++;
                    break;
            }
        }

        private void StartChunk()
        {
            _read = ChunkSize;
            _remaining = 0;
            _chunkDigits = 0;
        }

        private void EndOfChunkSize()
        {
            if (_remaining == 0)
            {
                _read = Trailer;
                _lineLength = 0;
            }
            else
                _read = ChunkData;
        }

        private void Deliver(byte[] b, int offset, int count)
        {
            HttpResponse r = _response;
            int room = r.BodyBuffer.Length - r.BodyLength;
            int keep = count < room ? count : room;
            if (keep > 0)
            {
                System.Array.Copy(b, offset, r.BodyBuffer, r.BodyLength, keep);
                r.BodyLength += keep;
            }
            r.BodyReceived += count;
            HttpBodySink sink = BodySink;
            if (sink != null && count > 0)
                sink(b, offset, count);
        }

        /// <summary>Status line and framing, RFC 9112 4 and 6.3.</summary>
        private void EndOfHead()
        {
            HttpResponse r = _response;
            byte[] h = r.HeadBuffer;
            // "HTTP/1.x SP 3DIGIT SP reason"
            if (r.HeadUsed < 12 || !HttpText.EqualsIgnoreCase(h, 0, 7, "HTTP/1.") || h[7] < '0' || h[7] > '9' || h[8] != HttpText.Space)
            {
                Fail(HttpError.MalformedResponse, SocketError.Success);
                return;
            }
            long status = HttpText.ParseDecimal(h, 9, 3);
            if (status < 100 || status > 599 || (h[12] != HttpText.Space && h[12] != HttpText.Cr && h[12] != HttpText.Lf))
            {
                Fail(HttpError.MalformedResponse, SocketError.Success);
                return;
            }
            r.StatusCode = (int)status;
            r.MinorVersion = h[7] - '0';
            int fields = 0;
            while (fields < r.HeadUsed && h[fields] != HttpText.Lf) fields++;
            r.FieldsAt = fields + 1;
            if (status < 200 && status != 101)
            {
                ResetResponse(); // interim (RFC 9110 15.2): the real response follows
                return;
            }
            int n;
            int connection = r.FindHeader("Connection", out n);
            r.KeepAlive = r.MinorVersion >= 1
                ? !(connection >= 0 && HttpText.ListContains(h, connection, n, "close"))
                : connection >= 0 && HttpText.ListContains(h, connection, n, "keep-alive");
            bool noBody = _method == "HEAD" || status == 204 || status == 304;
            int te = r.FindHeader("Transfer-Encoding", out n);
            if (te >= 0)
            {
                r.Chunked = HttpText.ListEndsWith(h, te, n, "chunked");
                if (!r.Chunked || r.FindHeader("Content-Length", out n) >= 0)
                    r.KeepAlive = false; // RFC 9112 6.3 items 3 and 4: the connection cannot be trusted after it
            }
            else
            {
                int cl = r.FindHeader("Content-Length", out n);
                if (cl >= 0)
                {
                    r.ContentLength = HttpText.ParseDecimal(h, cl, n);
                    if (r.ContentLength < 0 || HttpText.CountFields(h, r.FieldsAt, r.HeadUsed - r.FieldsAt, "Content-Length") > 1)
                    {
                        Fail(HttpError.MalformedResponse, SocketError.Success); // 6.3 item 5
                        return;
                    }
                }
            }
            if (noBody)
                Finish();
            else if (r.Chunked)
                StartChunk();
            else if (te >= 0 || r.ContentLength < 0)
            {
                r.KeepAlive = false; // 6.3 item 8: the body ends when the server closes
                _read = UntilClose;
            }
            else if (r.ContentLength == 0)
                Finish();
            else
            {
                _remaining = r.ContentLength;
                _read = Length;
            }
        }

        /// <summary>The response is complete: done, or on to the redirect's target.</summary>
        private void Finish()
        {
            _read = Complete;
            _reusable = _response.KeepAlive;
            if (!_reusable)
                _socket.Close();
            if (_request.FollowRedirects && IsRedirect(_response.StatusCode) && TakeLocation())
            {
                if (++_redirects > _config.MaxRedirects)
                {
                    Fail(HttpError.TooManyRedirects, SocketError.Success);
                    return;
                }
                RedirectsFollowed++;
                int s = _response.StatusCode;
                if (s == 303 || ((s == 301 || s == 302) && _method == "POST"))
                {
                    _method = _method == "HEAD" ? "HEAD" : "GET";
                    _sendBody = false;
                }
                _retried = false;
                Open();
                return;
            }
            State = HttpClientState.Done;
        }

        private static bool IsRedirect(int status)
        {
            return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
        }

        /// <summary>Location as the next path, when it is a path or an http URL of the same host and port.</summary>
        private bool TakeLocation()
        {
            int n;
            int at = _response.FindHeader("Location", out n);
            if (at < 0 || n == 0)
                return false;
            byte[] h = _response.HeadBuffer;
            int path = at;
            if (h[at] != '/')
            {
                if (n < 8 || !HttpText.EqualsIgnoreCase(h, at, 7, "http://"))
                    return false;
                int authority = at + 7;
                int slash = authority;
                while (slash < at + n && h[slash] != '/') slash++;
                int colon = authority;
                while (colon < slash && h[colon] != HttpText.Colon) colon++;
                int port = 80;
                if (colon < slash)
                {
                    long parsed = HttpText.ParseDecimal(h, colon + 1, slash - colon - 1);
                    if (parsed < 0) return false;
                    port = (int)parsed;
                }
                if (!HttpText.EqualsIgnoreCase(h, authority, colon - authority, _request.Host) || port != _request.Port)
                    return false;
                path = slash;
            }
            int length = at + n - path;
            if (length > _path.Length)
                return false;
            if (length == 0)
            {
                _path[0] = (byte)'/';
                _pathLength = 1;
                return true;
            }
            System.Array.Copy(h, path, _path, 0, length);
            _pathLength = length;
            return true;
        }

    }
}
