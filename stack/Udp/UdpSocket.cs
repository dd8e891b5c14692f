// A bound UDP port (RFC 768) with a fixed queue of received datagrams.
namespace NanoTcp.Udp
{
    public sealed class UdpSocket
    {
        internal readonly byte[][] Data;
        internal readonly int[] Length;
        internal readonly uint[] SourceAddress;
        internal readonly int[] SourcePort;
        internal readonly bool[] ToBroadcast;
        internal int Head;
        internal int Count;
        internal int Port;
        internal bool Open;

        internal UdpSocket(int depth, int capacity)
        {
            Data = new byte[depth][];
            for (int i = 0; i < depth; i++)
                Data[i] = new byte[capacity];
            Length = new int[depth];
            SourceAddress = new uint[depth];
            SourcePort = new int[depth];
            ToBroadcast = new bool[depth];
        }

        public int LocalPort { get { return Port; } }
        public bool IsOpen { get { return Open; } }
        /// <summary>Datagrams waiting for ReceiveFrom.</summary>
        public int Pending { get { return Count; } }
        public int DatagramCapacity { get { return Data[0].Length; } }
        /// <summary>Whether the datagram ReceiveFrom returned last was sent to a broadcast address (a service
        /// may not answer those: RFC 1122 3.2.2.6 for echo).</summary>
        public bool LastWasBroadcast { get; private set; }
        /// <summary>IP TTL of the datagrams sent from this socket (64 when opened; mDNS sends 255, RFC 6762 11).</summary>
        public int TimeToLive { get; set; } = 64;

        internal bool Enqueue(uint source, int sourcePort, bool toBroadcast, byte[] buffer, int offset, int length)
        {
            if (Count == Data.Length)
                return false;
            int slot = (Head + Count) % Data.Length;
            System.Array.Copy(buffer, offset, Data[slot], 0, length);
            Length[slot] = length;
            SourceAddress[slot] = source;
            SourcePort[slot] = sourcePort;
            ToBroadcast[slot] = toBroadcast;
            Count++;
            return true;
        }

        internal int Dequeue(byte[] buffer, int offset, int capacity, out uint source, out int sourcePort)
        {
            source = 0;
            sourcePort = 0;
            if (Count == 0)
                return -1;
            int n = Length[Head] < capacity ? Length[Head] : capacity; // a short buffer truncates, as recvfrom does
            System.Array.Copy(Data[Head], 0, buffer, offset, n);
            source = SourceAddress[Head];
            sourcePort = SourcePort[Head];
            LastWasBroadcast = ToBroadcast[Head];
            Head = (Head + 1) % Data.Length;
            Count--;
            return n;
        }
    }
}
