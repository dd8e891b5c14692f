// A request the client sends again and again: built once (allocation allowed while setting up), its
// path and body changed in place, so sending allocates nothing.
namespace NanoTcp.Http
{
    public sealed class HttpRequest
    {
        private readonly byte[] _path;

        /// <summary>method: "GET", "POST", "HEAD", ...; host: a dotted quad or a DNS name, also sent as Host.</summary>
        public HttpRequest(string method, string host, int port, string path, int pathCapacity)
        {
            Method = method;
            Host = host;
            Port = port;
            _path = new byte[pathCapacity];
            SetPath(path);
        }

        public HttpRequest(string method, string host, int port, string path) : this(method, host, port, path, 256) { }

        public string Method;
        public string Host;
        public int Port;
        /// <summary>Sent as Content-Type when there is a body.</summary>
        public string ContentType;
        /// <summary>More fields, each ending in CR LF ("Accept: text/plain\r\n"), or null.</summary>
        public string ExtraHeaders;
        public byte[] Body;
        public int BodyOffset;
        /// <summary>Bytes of Body sent, announced by Content-Length; 0 and no body for GET.</summary>
        public int BodyLength;
        /// <summary>Follow 301, 302, 303, 307 and 308 to the same host and port (RFC 9110 15.4); off by default.</summary>
        public bool FollowRedirects;

        public byte[] PathBytes { get { return _path; } }
        public int PathLength { get; private set; }

        /// <summary>Copies path (origin-form, "/a/b?c") into the request; false when it does not fit.</summary>
        public bool SetPath(string path)
        {
            if (path == null || path.Length == 0 || path.Length > _path.Length)
                return false;
            for (int i = 0; i < path.Length; i++)
                _path[i] = (byte)path[i];
            PathLength = path.Length;
            return true;
        }

        /// <summary>Sets the body to send (kept by reference, not copied).</summary>
        public void SetBody(byte[] body, int offset, int length, string contentType)
        {
            Body = body;
            BodyOffset = offset;
            BodyLength = length;
            ContentType = contentType;
        }
    }
}
