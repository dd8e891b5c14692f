// W5500 register map (datasheet v1.0.9 sections 2.2-4; ../shared/reference/W5500.md sections 1-3).
namespace NanoTcp.Boards.W5500
{
    /// <summary>Common register offsets (block select 0).</summary>
    public static class W5500Common
    {
        /// <summary>MR: bit 7 RST (self-clearing soft reset), bit 4 PB (ping block).</summary>
        public const int Mode = 0x0000;
        public const int GatewayAddress = 0x0001;
        public const int SubnetMask = 0x0005;
        /// <summary>SHAR: the MAC; the chip has no factory address.</summary>
        public const int SourceHardwareAddress = 0x0009;
        public const int SourceIpAddress = 0x000F;
        public const int InterruptLevel = 0x0013;
        public const int Interrupt = 0x0015;
        public const int InterruptMask = 0x0016;
        /// <summary>SIR: bit n = socket n has an interrupt.</summary>
        public const int SocketInterrupt = 0x0017;
        public const int SocketInterruptMask = 0x0018;
        /// <summary>RTR: 0x07D0 after reset.</summary>
        public const int RetryTime = 0x0019;
        public const int RetryCount = 0x001B;
        /// <summary>PHYCFGR: bit 0 LNK, bit 1 SPD, bit 2 DPX, bits 5:3 OPMDC, bit 7 RST.</summary>
        public const int PhyConfiguration = 0x002E;
        /// <summary>VERSIONR: always 0x04.</summary>
        public const int Version = 0x0039;

        public const int ModeReset = 0x80;
        public const int ModePingBlock = 0x10;
        public const int PhyLinkUp = 0x01;
        public const int ChipVersion = 0x04;
        public const int RetryTimeAfterReset = 0x07D0;
    }

    /// <summary>Socket register offsets (block select n*4+1); MACRAW runs on socket 0 only.</summary>
    public static class W5500Socket
    {
        public const int Mode = 0x00;
        /// <summary>Sn_CR: self-clears to 0 once the command is accepted.</summary>
        public const int Command = 0x01;
        public const int Interrupt = 0x02;
        /// <summary>Sn_SR at 0x03 (one vendor header wrongly says 0x04).</summary>
        public const int Status = 0x03;
        public const int ReceiveBufferSize = 0x1E;
        public const int TransmitBufferSize = 0x1F;
        public const int TxFreeSize = 0x20;
        public const int TxReadPointer = 0x22;
        public const int TxWritePointer = 0x24;
        public const int RxReceivedSize = 0x26;
        public const int RxReadPointer = 0x28;
        public const int RxWritePointer = 0x2A;
        public const int InterruptMask = 0x2C;

        /// <summary>Sn_MR: MFEN (MAC filter, 0x80; 0x40 is the W5100/W5200 value) | MACRAW (0x04).</summary>
        public const int ModeMacRawFiltered = 0x84;
        public const int ModeMacFilter = 0x80;
        public const int ModeBroadcastBlock = 0x40;
        public const int ModeMulticastBlock = 0x20;
        public const int ModeIpv6Block = 0x10;
        public const int ProtocolMask = 0x0F;
        public const int ProtocolMacRaw = 0x04;

        public const int CommandOpen = 0x01;
        public const int CommandClose = 0x10;
        public const int CommandSend = 0x20;
        public const int CommandReceive = 0x40;

        public const int InterruptSendOk = 0x10;
        public const int InterruptTimeout = 0x08;
        public const int InterruptReceive = 0x04;

        public const int StatusClosed = 0x00;
        public const int StatusMacRaw = 0x42;
    }

    /// <summary>The SPI frame's control byte: BSB[4:0] &lt;&lt; 3 | RWB &lt;&lt; 2 | OM (00, variable length).</summary>
    public static class W5500Control
    {
        public const int CommonRegisters = 0;
        public const int Write = 0x04;

        public static int SocketRegisters(int socket) { return socket * 4 + 1; }
        public static int SocketTxBuffer(int socket) { return socket * 4 + 2; }
        public static int SocketRxBuffer(int socket) { return socket * 4 + 3; }

        public static byte Read(int block) { return (byte)(block << 3); }
        public static byte WriteTo(int block) { return (byte)((block << 3) | Write); }
    }
}
