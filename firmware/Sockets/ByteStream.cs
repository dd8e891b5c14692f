// The stream protocol code reads and writes (System.IO.Stream is not in the device's mscorlib): the
// few members an HTTP or MQTT codec needs, nothing more.
namespace NanoTcp.Sockets
{
    public abstract class ByteStream
    {
        /// <summary>At least one byte (waiting for it), or 0 at end of stream.</summary>
        public abstract int Read(byte[] buffer, int offset, int count);

        /// <summary>All count bytes, or an exception.</summary>
        public abstract void Write(byte[] buffer, int offset, int count);

        /// <summary>Returns once what was written has been delivered.</summary>
        public abstract void Flush();

        public abstract void Close();
    }
}
