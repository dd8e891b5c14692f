namespace NanoTcp.Boards.W5500
{
    /// <summary>What the W5500 driver did.</summary>
    public sealed class W5500Counters
    {
        public int FramesReceived;
        public int FramesSent;
        public int CorruptHeaders;
        public int Drains;
        public int FramesTooLargeForCaller;
        public int FramesTooLargeToSend;
        /// <summary>Frames dropped because the previous SEND had not finished within the SEND timeout.</summary>
        public int SendTimeouts;
        public int SendsWhileLinkDown;
        /// <summary>Frames dropped because the chip was absent (VERSIONR not 0x04).</summary>
        public int SendsWhileChipAbsent;
        /// <summary>Full re-initialisations after start (reset pulse when wired, MR.RST, reopen).</summary>
        public int Recoveries;
        /// <summary>Socket 0 closed and opened again (link back, a SEND stuck with the link up, repeated corruption).</summary>
        public int SocketReopens;
        /// <summary>Sn_SR found other than SOCK_MACRAW by the periodic check: the chip had reset itself.</summary>
        public int ChipResetsDetected;
        /// <summary>Times VERSIONR stopped reading 0x04 (chip absent, or a bus reading 0xFF).</summary>
        public int ChipLost;
        /// <summary>Sn_RX_RSR did not read the same twice within the bound; tried again on the next poll.</summary>
        public int UnstableSizeReads;
        /// <summary>Sn_CR did not read back 0 within the command timeout.</summary>
        public int CommandTimeouts;
    }
}
