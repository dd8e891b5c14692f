// A passive open (RFC 9293 3.10.1, LISTEN): a local port, the connections that completed the
// handshake and wait for Accept (bounded by the backlog), and the count of half-open ones.
namespace NanoTcp.Tcp
{
    public sealed class TcpListener
    {
        internal readonly TcpConnection[] AcceptQueue;
        internal int AcceptHead;
        internal int AcceptCount;
        internal int Backlog;
        internal int Port;
        internal bool Active;

        internal TcpListener(int maxAcceptQueue)
        {
            AcceptQueue = new TcpConnection[maxAcceptQueue];
        }

        public int LocalPort { get { return Port; } }
        public bool IsListening { get { return Active; } }
        public TcpState State { get { return Active ? TcpState.Listen : TcpState.Closed; } }
        /// <summary>Established connections waiting for Accept.</summary>
        public int PendingCount { get { return AcceptCount; } }

        internal bool Enqueue(TcpConnection connection)
        {
            if (AcceptCount >= Backlog)
                return false;
            AcceptQueue[(AcceptHead + AcceptCount) % AcceptQueue.Length] = connection;
            AcceptCount++;
            return true;
        }

        internal TcpConnection Dequeue()
        {
            if (AcceptCount == 0)
                return null;
            TcpConnection connection = AcceptQueue[AcceptHead];
            AcceptQueue[AcceptHead] = null;
            AcceptHead = (AcceptHead + 1) % AcceptQueue.Length;
            AcceptCount--;
            return connection;
        }

        /// <summary>Takes a connection out of the queue wherever it is (it was reset before Accept).</summary>
        internal void Remove(TcpConnection connection)
        {
            int kept = 0;
            for (int i = 0; i < AcceptCount; i++)
            {
                TcpConnection c = AcceptQueue[(AcceptHead + i) % AcceptQueue.Length];
                if (c != connection)
                    AcceptQueue[(AcceptHead + kept++) % AcceptQueue.Length] = c;
            }
            for (int i = kept; i < AcceptCount; i++)
                AcceptQueue[(AcceptHead + i) % AcceptQueue.Length] = null;
            AcceptCount = kept;
        }
    }
}
