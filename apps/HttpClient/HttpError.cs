// How a request ended.
namespace NanoTcp.Http
{
    public enum HttpError : byte
    {
        None,
        /// <summary>The host name has no address, or DNS failed (SocketError says which).</summary>
        ResolveFailed,
        /// <summary>Refused, unreachable, or no free connection (SocketError says which).</summary>
        ConnectFailed,
        /// <summary>The connection ended before the response was complete.</summary>
        ConnectionClosed,
        TimedOut,
        /// <summary>The response broke RFC 9112 (status line, framing, chunk sizes).</summary>
        MalformedResponse,
        /// <summary>The response's header section is larger than ResponseHeadCapacity.</summary>
        HeadTooLarge,
        /// <summary>The request line and fields do not fit RequestHeadCapacity.</summary>
        RequestTooLarge,
        TooManyRedirects,
        /// <summary>Start was called while a request was in flight.</summary>
        Busy,
    }
}
