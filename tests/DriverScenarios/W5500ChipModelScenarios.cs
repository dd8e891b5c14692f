using NanoTcp.Boards.Simulation;
using NanoTcp.Boards.W5500;
using NanoTcp.Scenarios;
using NanoTcp.Wire;

namespace NanoTcp.DriverScenarios
{
    /// <summary>The chip model against the datasheet (v1.0.9) through raw SPI frames, for what the driver
    /// scenarios rely on: the MACRAW filter bits, the RECV latch, Sn_CR timing, the PHY after a reset, a dead bus.</summary>
    public static class W5500ChipModelScenarios
    {
        private sealed class Bench
        {
            public readonly SimulatedClock Clock = new SimulatedClock();
            public readonly SimulatedCable Cable;
            public readonly W5500ChipModel Chip;
            private readonly byte[] _tx = new byte[32];
            private readonly byte[] _rx = new byte[32];
            private readonly byte[] _frame = new byte[1514];

            public Bench()
            {
                Cable = new SimulatedCable(Clock, "02:00:00:00:55:00", "02:00:00:00:00:99", 100);
                Chip = new W5500ChipModel(Cable.A, Clock, 3);
                WriteCommon(W5500Common.SourceHardwareAddress, 0x02, 0, 0, 0, 0x55, 0);
                WriteSocket(W5500Socket.ReceiveBufferSize, 16, 16);
            }

            public void Open(int mode)
            {
                WriteSocket(W5500Socket.Mode, mode);
                WriteSocket(W5500Socket.Command, W5500Socket.CommandOpen);
                Clock.AdvanceTo(Clock.NowMicroseconds + 100);
                Check.Equal(W5500Socket.StatusMacRaw, ReadSocket(W5500Socket.Status), "Sn_SR after OPEN");
            }

            public void WriteCommon(int address, int a, int b, int c, int d, int e, int f)
            {
                _tx[0] = (byte)(address >> 8); _tx[1] = (byte)address; _tx[2] = W5500Control.WriteTo(W5500Control.CommonRegisters);
                _tx[3] = (byte)a; _tx[4] = (byte)b; _tx[5] = (byte)c; _tx[6] = (byte)d; _tx[7] = (byte)e; _tx[8] = (byte)f;
                Chip.Write(_tx, 0, 9);
            }

            public void WriteSocket(int address, int value)
            {
                _tx[0] = 0; _tx[1] = (byte)address; _tx[2] = W5500Control.WriteTo(W5500Control.SocketRegisters(0)); _tx[3] = (byte)value;
                Chip.Write(_tx, 0, 4);
            }

            public void WriteSocket(int address, int value, int next)
            {
                _tx[0] = 0; _tx[1] = (byte)address; _tx[2] = W5500Control.WriteTo(W5500Control.SocketRegisters(0)); _tx[3] = (byte)value; _tx[4] = (byte)next;
                Chip.Write(_tx, 0, 5);
            }

            public int ReadSocket(int address)
            {
                _tx[0] = 0; _tx[1] = (byte)address; _tx[2] = W5500Control.Read(W5500Control.SocketRegisters(0)); _tx[3] = 0;
                Chip.Transfer(_tx, 0, _rx, 0, 4);
                return _rx[3];
            }

            public int ReadCommon(int address)
            {
                _tx[0] = (byte)(address >> 8); _tx[1] = (byte)address; _tx[2] = W5500Control.Read(W5500Control.CommonRegisters); _tx[3] = 0;
                Chip.Transfer(_tx, 0, _rx, 0, 4);
                return _rx[3];
            }

            public int ReadSize()
            {
                _tx[0] = 0; _tx[1] = W5500Socket.RxReceivedSize; _tx[2] = W5500Control.Read(W5500Control.SocketRegisters(0));
                Chip.Transfer(_tx, 0, _rx, 0, 5);
                return (_rx[3] << 8) | _rx[4];
            }

            /// <summary>Puts a frame to `destination` with `etherType` on the cable and lets it reach the chip;
            /// true when the chip stored it.</summary>
            public bool Deliver(string destination, int etherType, int length)
            {
                MacAddress.TryParse(destination, _frame, 0);
                MacAddress.TryParse("02:00:00:00:00:99", _frame, 6);
                _frame[12] = (byte)(etherType >> 8);
                _frame[13] = (byte)etherType;
                long before = Chip.FramesDelivered;
                Cable.B.Transmit(_frame, 0, length);
                Clock.AdvanceTo(Clock.NowMicroseconds + 1000);
                Chip.Update();
                return Chip.FramesDelivered > before;
            }
        }

        /// <summary>Sn_MR bit 7 MFEN: "W5500 can receive only broadcasting packet or packet sent to itself";
        /// bit 6 BCASTB blocks broadcast; bit 5 MMB blocks multicast; bit 4 MIP6B blocks IPv6 packets.</summary>
        public static void TheMacRawFilterFollowsTheDatasheet()
        {
            var mfen = new Bench();
            mfen.Open(0x84);
            Check.True(mfen.Deliver("02:00:00:00:55:00", 0x0800, 60), "MFEN: unicast to SHAR");
            Check.True(mfen.Deliver("ff:ff:ff:ff:ff:ff", 0x0806, 60), "MFEN: broadcast");
            Check.False(mfen.Deliver("02:00:00:00:55:01", 0x0800, 60), "MFEN: unicast to another MAC");
            Check.False(mfen.Deliver("01:00:5e:00:00:fb", 0x0800, 60), "MFEN: IPv4 multicast");
            Check.False(mfen.Deliver("33:33:00:00:00:01", 0x86DD, 80), "MFEN: IPv6 multicast");
            Check.False(mfen.Deliver("01:80:c2:00:00:0e", 0x88CC, 60), "MFEN: LLDP");

            var open = new Bench();
            open.Open(0x04);
            Check.True(open.Deliver("02:00:00:00:55:01", 0x0800, 60), "no filter: unicast to another MAC");
            Check.True(open.Deliver("01:00:5e:00:00:fb", 0x0800, 60), "no filter: multicast");

            var blocks = new Bench();
            blocks.Open(0x04 | 0x20 | 0x10);
            Check.False(blocks.Deliver("01:00:5e:00:00:fb", 0x0800, 60), "MMB: multicast");
            Check.True(blocks.Deliver("ff:ff:ff:ff:ff:ff", 0x0806, 60), "MMB: broadcast still passes");
            Check.False(blocks.Deliver("02:00:00:00:55:00", 0x86DD, 80), "MIP6B: IPv6 unicast");
            Check.True(blocks.Deliver("02:00:00:00:55:00", 0x0800, 60), "MIP6B: IPv4 passes");

            var broadcast = new Bench();
            broadcast.Open(0x84 | 0x40);
            Check.False(broadcast.Deliver("ff:ff:ff:ff:ff:ff", 0x0806, 60), "BCASTB: broadcast");
        }

        /// <summary>Sn_IR.RECV is set when a frame is received and cleared by writing 1; RECV with data still in
        /// the buffer does not set it again (the latch issue 14 point 2 is about).</summary>
        public static void TheReceiveInterruptIsALatch()
        {
            var b = new Bench();
            b.WriteSocket(W5500Socket.InterruptMask, W5500Socket.InterruptReceive);
            b.WriteCommon(W5500Common.SocketInterruptMask, 1, 0, 0, 0, 0, 0); // SIMR, then RTR..: rewrite RTR below
            b.Open(0x84);
            int edges = 0;
            b.Chip.InterruptFell = () => edges++;
            Check.True(b.Deliver("02:00:00:00:55:00", 0x0800, 60), "first frame");
            Check.True(b.Deliver("02:00:00:00:55:00", 0x0800, 60), "second frame");
            Check.Equal(1, edges, "falling edges: INTn stays low for the second");
            Check.True(b.Chip.InterruptAsserted, "INTn low");
            b.WriteSocket(W5500Socket.Interrupt, W5500Socket.InterruptReceive);
            Check.False(b.Chip.InterruptAsserted, "INTn high once Sn_IR.RECV is cleared, with 2 frames buffered");
            b.WriteSocket(W5500Socket.Command, W5500Socket.CommandReceive);
            b.Clock.AdvanceTo(b.Clock.NowMicroseconds + 100);
            Check.False(b.Chip.InterruptAsserted, "RECV with data buffered does not raise it again");
            Check.True(b.Deliver("02:00:00:00:55:00", 0x0800, 60), "third frame");
            Check.Equal(2, edges, "a new frame raises it");
        }

        /// <summary>Sn_CR reads back the command until the chip takes it; a command written meanwhile is ignored
        /// (the model's assumption; the datasheet only says to wait for 0).</summary>
        public static void SnCrHoldsACommandUntilItIsTaken()
        {
            var b = new Bench();
            b.Chip.CommandUs = 50;
            b.WriteSocket(W5500Socket.Mode, 0x84);
            b.WriteSocket(W5500Socket.Command, W5500Socket.CommandOpen);
            Check.Equal(W5500Socket.CommandOpen, b.ReadSocket(W5500Socket.Command), "Sn_CR at once");
            Check.Equal(W5500Socket.StatusClosed, b.ReadSocket(W5500Socket.Status), "Sn_SR before OPEN is taken");
            b.WriteSocket(W5500Socket.Command, W5500Socket.CommandClose);
            Check.Equal(1, (int)b.Chip.CommandsIgnoredWhileBusy, "commands ignored while busy");
            b.Clock.AdvanceTo(b.Clock.NowMicroseconds + 50);
            Check.Equal(0, b.ReadSocket(W5500Socket.Command), "Sn_CR after 50 us");
            Check.Equal(W5500Socket.StatusMacRaw, b.ReadSocket(W5500Socket.Status), "Sn_SR: OPEN taken, CLOSE lost");
        }

        /// <summary>RSTn restarts the PHY: PHYCFGR.LNK is 0 until auto-negotiation ends. MR.RST leaves the PHY up
        /// (it has its own reset, PHYCFGR.RST). A pulled cable drops the link at once.</summary>
        public static void ThePhyRenegotiatesAfterAResetOrACable()
        {
            var b = new Bench();
            Check.Equal(0xBF, b.ReadCommon(W5500Common.PhyConfiguration), "PHYCFGR: link up, 100M full, all capable");
            b.Chip.ResetPin.Write(false);
            b.Clock.AdvanceTo(b.Clock.NowMicroseconds + 500);
            b.Chip.ResetPin.Write(true);
            Check.Equal(0xB8, b.ReadCommon(W5500Common.PhyConfiguration), "PHYCFGR right after RSTn");
            b.Clock.AdvanceTo(b.Clock.NowMicroseconds + b.Chip.AutoNegotiationUs - 1);
            Check.Equal(0, b.ReadCommon(W5500Common.PhyConfiguration) & 1, "LNK just before auto-negotiation ends");
            b.Clock.AdvanceTo(b.Clock.NowMicroseconds + 1);
            Check.Equal(1, b.ReadCommon(W5500Common.PhyConfiguration) & 1, "LNK after auto-negotiation");
            b.WriteCommon(W5500Common.Mode, 0x80, 0, 0, 0, 0, 0); // MR.RST (and GAR, cleared anyway)
            Check.Equal(1, b.ReadCommon(W5500Common.PhyConfiguration) & 1, "LNK after MR.RST");
            b.Chip.FlapLink(1000);
            Check.Equal(0, b.ReadCommon(W5500Common.PhyConfiguration) & 1, "LNK with the cable out");
            b.Clock.AdvanceTo(b.Clock.NowMicroseconds + 1000 + b.Chip.AutoNegotiationUs);
            Check.Equal(1, b.ReadCommon(W5500Common.PhyConfiguration) & 1, "LNK after the cable and auto-negotiation");
        }

        /// <summary>A 16-bit register read while a frame is stored between its two bytes reads half-updated
        /// (the reason the datasheet says to read RSR until two reads agree).</summary>
        public static void ARegisterReadMidUpdateIsTorn()
        {
            var b = new Bench();
            b.Open(0x84);
            Check.True(b.Deliver("02:00:00:00:55:00", 0x0800, 200), "first frame");
            Check.Equal(202, b.ReadSize(), "RSR");
            b.Chip.HoldArrivals(0, 1); // the next frame lands after RSR's high byte is clocked out
            Check.False(b.Deliver("02:00:00:00:55:00", 0x0800, 100), "second frame held");
            Check.Equal(0x0030, b.ReadSize(), "RSR read torn: 0x00 of 202, then 0x30 of 304");
            Check.Equal(304, b.ReadSize(), "RSR read again");
        }

        /// <summary>MISO stuck high: every byte, VERSIONR and PHYCFGR included, reads 0xFF.</summary>
        public static void ADeadBusReadsAllOnes()
        {
            var b = new Bench();
            Check.Equal(W5500Common.ChipVersion, b.ReadCommon(W5500Common.Version), "VERSIONR");
            b.Chip.BusStuckHigh = true;
            Check.Equal(0xFF, b.ReadCommon(W5500Common.Version), "VERSIONR on a dead bus");
            Check.Equal(0xFF, b.ReadCommon(W5500Common.PhyConfiguration), "PHYCFGR on a dead bus: LNK reads 1");
        }
    }
}
