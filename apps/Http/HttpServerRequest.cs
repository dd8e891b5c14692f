// The request a handler sees: method, path (query apart), version, fields and body, as views into the
// session's buffer (RFC 9112 3: method SP request-target SP HTTP-version CRLF). Valid during the call.
namespace NanoTcp.Http
{
    public sealed class HttpServerRequest
    {
        private byte[] _buffer;
        private int _methodLength, _targetAt, _targetLength, _pathLength, _fieldsAt, _headLength;

        public byte[] Buffer { get { return _buffer; } }
        public int MinorVersion { get; private set; }
        public int PathOffset { get { return _targetAt; } }
        /// <summary>The path, without "?query".</summary>
        public int PathLength { get { return _pathLength; } }
        public int TargetLength { get { return _targetLength; } }
        public int BodyOffset { get; private set; }
        public int BodyLength { get; private set; }

        /// <summary>Reads the request line; false when it is not "token SP origin-form SP HTTP/1.x".</summary>
        internal bool Parse(byte[] buffer, int headLength)
        {
            _buffer = buffer;
            _headLength = headLength;
            BodyOffset = headLength;
            BodyLength = 0;
            int p = 0;
            while (p < headLength && buffer[p] > 32 && buffer[p] < 127) p++;
            _methodLength = p;
            if (p == 0 || p >= headLength || buffer[p] != HttpText.Space)
                return false;
            _targetAt = ++p;
            while (p < headLength && buffer[p] > 32 && buffer[p] < 127) p++;
            _targetLength = p - _targetAt;
            if (_targetLength == 0 || buffer[_targetAt] != '/' || p >= headLength || buffer[p] != HttpText.Space)
                return false;
            _pathLength = 0;
            while (_pathLength < _targetLength && buffer[_targetAt + _pathLength] != '?') _pathLength++;
            p++;
            if (p + 8 > headLength || !HttpText.EqualsIgnoreCase(buffer, p, 7, "HTTP/1.") || buffer[p + 7] < '0' || buffer[p + 7] > '9')
                return false;
            MinorVersion = buffer[p + 7] - '0';
            p += 8;
            if (p < headLength && buffer[p] == HttpText.Cr) p++;
            if (p >= headLength || buffer[p] != HttpText.Lf)
                return false;
            _fieldsAt = p + 1;
            return true;
        }

        internal void SetBody(int offset, int length)
        {
            BodyOffset = offset;
            BodyLength = length;
        }

        /// <summary>Methods compare case-sensitively (RFC 9110 9.1).</summary>
        public bool MethodIs(string method)
        {
            if (method.Length != _methodLength)
                return false;
            for (int i = 0; i < _methodLength; i++)
                if (_buffer[i] != method[i])
                    return false;
            return true;
        }

        public bool PathIs(string path)
        {
            if (path.Length != _pathLength)
                return false;
            for (int i = 0; i < _pathLength; i++)
                if (_buffer[_targetAt + i] != path[i])
                    return false;
            return true;
        }

        /// <summary>The value of field name (case-insensitive): its offset in Buffer and its length, or -1.</summary>
        public int FindHeader(string name, out int valueLength)
        {
            return HttpText.FindField(_buffer, _fieldsAt, _headLength - _fieldsAt, name, out valueLength);
        }

        /// <summary>RFC 9112 9.3: HTTP/1.1 persists unless "Connection: close"; HTTP/1.0 only with "keep-alive".</summary>
        internal bool WantsKeepAlive()
        {
            int n;
            int at = FindHeader("Connection", out n);
            if (MinorVersion >= 1)
                return !(at >= 0 && HttpText.ListContains(_buffer, at, n, "close"));
            return at >= 0 && HttpText.ListContains(_buffer, at, n, "keep-alive");
        }
    }
}
