// Initial sequence numbers, RFC 6528 section 3: ISN = M + F(localip, localport, remoteip, remoteport,
// secretkey), M a 4-microsecond timer, F a keyed hash with a secret drawn once from the random seam.
namespace NanoTcp.Tcp
{
    /// <summary>Chooses the ISN of a new connection. Tests may supply a fixed one.</summary>
    public interface IInitialSequenceNumbers
    {
        uint Next(uint localAddress, int localPort, uint remoteAddress, int remotePort, long nowMs);
    }

    public sealed class Rfc6528SequenceNumbers : IInitialSequenceNumbers
    {
        private readonly uint _key0;
        private readonly uint _key1;

        public Rfc6528SequenceNumbers(IRandomSource random)
        {
            _key0 = random.NextUInt32();
            _key1 = random.NextUInt32();
        }

        public uint Next(uint localAddress, int localPort, uint remoteAddress, int remotePort, long nowMs)
        {
            uint clock = (uint)(nowMs * 250); // milliseconds to 4 us ticks, modulo 2^32
            return clock + KeyedHash.Hash(_key0, _key1, localAddress, remoteAddress, (uint)((localPort << 16) | remotePort), 0);
        }
    }
}
