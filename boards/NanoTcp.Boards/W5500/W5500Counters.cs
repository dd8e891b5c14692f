namespace NanoTcp.Boards.W5500
{
    /// <summary>What the W5500 driver did.</summary>
    public sealed class W5500Counters
    {
        public int FramesReceived;
        public int FramesSent;
        public int Bursts;
        public int CorruptHeaders;
        public int Drains;
        public int FramesTooLargeForCaller;
        public int FramesTooLargeToSend;
        public int SendTimeouts;
        public int SendsWhileLinkDown;
        public int Recoveries;
    }
}
