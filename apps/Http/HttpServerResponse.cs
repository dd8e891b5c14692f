// What a handler writes: status, Content-Type and the body, into the server's response buffer after
// the room it keeps for the status line and fields. Writing allocates nothing; past the buffer's end
// the body is cut (Truncated says so).
namespace NanoTcp.Http
{
    public sealed class HttpServerResponse
    {
        private readonly byte[] _buffer;
        private readonly int _bodyAt;
        private int _end;

        internal HttpServerResponse(byte[] buffer, int bodyAt)
        {
            _buffer = buffer;
            _bodyAt = bodyAt;
            Begin();
        }

        /// <summary>200 unless the handler says otherwise.</summary>
        public int Status;
        public string ContentType;
        public bool Truncated { get; private set; }
        public int BodyLength { get { return _end - _bodyAt; } }

        internal void Begin()
        {
            Status = 200;
            ContentType = "text/plain";
            Truncated = false;
            _end = _bodyAt;
        }

        public HttpServerResponse Write(string text)
        {
            for (int i = 0; i < text.Length; i++)
                Byte(text[i]);
            return this;
        }

        public HttpServerResponse Write(byte[] data, int offset, int count)
        {
            int room = _buffer.Length - _end;
            if (count > room)
            {
                count = room;
                Truncated = true;
            }
            System.Array.Copy(data, offset, _buffer, _end, count);
            _end += count;
            return this;
        }

        public HttpServerResponse Number(long value)
        {
            int p = value < 0 ? -1 : HttpText.WriteDecimal(_buffer, _end, value);
            if (p < 0)
            {
                if (value < 0) { Byte('-'); return Number(-value); }
                Truncated = true;
                return this;
            }
            _end = p;
            return this;
        }

        public HttpServerResponse Byte(int c)
        {
            if (_end == _buffer.Length)
            {
                Truncated = true;
                return this;
            }
            _buffer[_end++] = (byte)c;
            return this;
        }
    }
}
