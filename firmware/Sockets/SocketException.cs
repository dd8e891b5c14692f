// Thrown by the blocking socket calls (as System.Net.Sockets does); the non-blocking Try* calls return
// the SocketError instead and never throw, for polled protocol code.
namespace NanoTcp.Sockets
{
    public sealed class SocketException : System.Exception
    {
        public SocketException(SocketError error)
            : base(SocketErrorNames.Name(error))
        {
            Error = error;
        }

        public SocketError Error { get; private set; }
    }
}
