// A ByteStream over a connected StreamSocket (as System.Net.Sockets.NetworkStream is over a Socket).
// Timeouts are the socket's; errors are its SocketExceptions. Flush waits for the peer's ACK of
// everything written (RFC 9293 SND.UNA reaching SND.NXT), which is what "delivered" can mean over TCP.
namespace NanoTcp.Sockets
{
    public sealed class NetworkStream : ByteStream
    {
        private readonly StreamSocket _socket;

        public NetworkStream(StreamSocket socket)
        {
            _socket = socket;
        }

        public StreamSocket Socket { get { return _socket; } }

        public override int Read(byte[] buffer, int offset, int count)
        {
            return _socket.Receive(buffer, offset, count);
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            _socket.Send(buffer, offset, count);
        }

        public override void Flush()
        {
            _socket.Flush();
        }

        public override void Close()
        {
            _socket.Close();
        }
    }
}
