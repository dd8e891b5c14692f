// The response of the last request: status, the raw header section, and the body (or its first
// BodyCapacity bytes; a sink sees all of it). Reused for every response.
namespace NanoTcp.Http
{
    /// <summary>Called with each piece of body as it arrives (after dechunking).</summary>
    public delegate void HttpBodySink(byte[] buffer, int offset, int count);

    public sealed class HttpResponse
    {
        internal readonly byte[] HeadBuffer;
        internal readonly byte[] BodyBuffer;
        internal int HeadUsed;
        internal int FieldsAt;   // where the field lines start, after the status line

        internal HttpResponse(int headCapacity, int bodyCapacity)
        {
            HeadBuffer = new byte[headCapacity];
            BodyBuffer = new byte[bodyCapacity];
        }

        public int StatusCode { get; internal set; }
        /// <summary>1 for HTTP/1.1 (or later 1.x), 0 for HTTP/1.0.</summary>
        public int MinorVersion { get; internal set; }
        /// <summary>Content-Length, or -1 when the response had none.</summary>
        public long ContentLength { get; internal set; }
        public bool Chunked { get; internal set; }
        /// <summary>The connection stays open for the next request.</summary>
        public bool KeepAlive { get; internal set; }
        public byte[] Body { get { return BodyBuffer; } }
        /// <summary>Bytes in Body (at most its capacity).</summary>
        public int BodyLength { get; internal set; }
        /// <summary>All body bytes received (more than BodyLength when Body was too small).</summary>
        public long BodyReceived { get; internal set; }
        public bool BodyTruncated { get { return BodyReceived > BodyLength; } }
        /// <summary>The header section as received (status line, fields, CR LF lines).</summary>
        public byte[] Head { get { return HeadBuffer; } }
        public int HeadLength { get { return HeadUsed; } }

        /// <summary>The value of field name (case-insensitive): its offset in Head and length, or -1.</summary>
        public int FindHeader(string name, out int valueLength)
        {
            return HttpText.FindField(HeadBuffer, FieldsAt, HeadUsed - FieldsAt, name, out valueLength);
        }

        /// <summary>The field's value equals value, ignoring case.</summary>
        public bool HeaderIs(string name, string value)
        {
            int n;
            int at = FindHeader(name, out n);
            return at >= 0 && HttpText.EqualsIgnoreCase(HeadBuffer, at, n, value);
        }

        /// <summary>The body as ASCII text (allocates: for logs and tests).</summary>
        public string BodyText()
        {
            char[] chars = new char[BodyLength];
            for (int i = 0; i < BodyLength; i++)
                chars[i] = (char)BodyBuffer[i];
            return new string(chars);
        }
    }
}
