// Buffer sizes and limits of the HTTP client, read once when it is built.
namespace NanoTcp.Http
{
    public sealed class HttpClientConfig
    {
        /// <summary>Request line and fields (the body is sent from the request's own buffer).</summary>
        public int RequestHeadCapacity = 1024;
        /// <summary>The response's status line and fields; a longer head fails with HeadTooLarge.</summary>
        public int ResponseHeadCapacity = 2048;
        /// <summary>Body bytes kept in HttpResponse.Body; beyond it they go only to the sink.</summary>
        public int BodyCapacity = 4096;
        /// <summary>From the start of a request to the end of its response, redirects included.</summary>
        public int TimeoutMs = 10000;
        public int MaxRedirects = 5;
    }
}
