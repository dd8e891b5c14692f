// SYN cookies, RFC 4987 section 3.6: when a listener's SYN queue is full, the SYN-ACK's ISN encodes the
// connection so no state is kept; the handshake's final ACK (ACK - 1) proves it. Layout: the top 29 bits
// are a keyed hash of the 4-tuple, the client's ISN and a 64-second time slot; the low 3 bits index the
// MSS table. A cookie is accepted in its own slot and the next (64 to 128 s). Window scaling and SACK
// are not encoded: a cookie connection runs without them, as it would with us anyway.
namespace NanoTcp.Tcp
{
    public sealed class SynCookies
    {
        private const int SlotMs = 64000;
        private static readonly int[] s_mssTable = { 88, 536, 1220, 1440, 1460 };

        private readonly uint _key0;
        private readonly uint _key1;

        public SynCookies(IRandomSource random)
        {
            _key0 = random.NextUInt32();
            _key1 = random.NextUInt32();
        }

        /// <summary>The cookie ISN for a SYN whose sequence number is clientIsn and whose MSS is peerMss.</summary>
        public uint Make(uint localAddress, int localPort, uint remoteAddress, int remotePort, uint clientIsn, int peerMss, long nowMs)
        {
            int index = 0;
            for (int i = s_mssTable.Length - 1; i >= 0; i--)
            {
                if (s_mssTable[i] <= peerMss)
                {
                    index = i;
                    break;
                }
            }
            uint slot = (uint)(nowMs / SlotMs);
            return (Hash(localAddress, localPort, remoteAddress, remotePort, clientIsn, slot) & ~7u) | (uint)index;
        }

        /// <summary>Checks the ACK completing a cookie handshake (seq = clientIsn + 1, ack = cookie + 1).
        /// Returns the MSS the cookie carries, or 0 when it is not a valid recent cookie.</summary>
        public int Check(uint localAddress, int localPort, uint remoteAddress, int remotePort, uint sequenceNumber, uint acknowledgment, long nowMs)
        {
            uint cookie = acknowledgment - 1;
            uint clientIsn = sequenceNumber - 1;
            int index = (int)(cookie & 7);
            if (index >= s_mssTable.Length)
                return 0;
            uint slot = (uint)(nowMs / SlotMs);
            for (uint age = 0; age < 2; age++)
            {
                if ((Hash(localAddress, localPort, remoteAddress, remotePort, clientIsn, slot - age) & ~7u) == (cookie & ~7u))
                    return s_mssTable[index];
            }
            return 0;
        }

        private uint Hash(uint localAddress, int localPort, uint remoteAddress, int remotePort, uint clientIsn, uint slot)
        {
            return KeyedHash.Hash(_key0, _key1, localAddress ^ slot, remoteAddress, (uint)((localPort << 16) | remotePort), clientIsn);
        }
    }
}
