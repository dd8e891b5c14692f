using NanoTcp.Boards.Simulation;
using NanoTcp.Boards.W5500;

namespace NanoTcp.Boards.Desktop
{
    /// <summary>The portable W5500 chip model (boards/NanoTcp.Boards.Simulation) as a NIC on a SimulatedSwitch.
    /// SPI costs no time here (SpiClockHz 0) and Sn_CR clears at once (CommandUs 0): the switch's clock moves
    /// in milliseconds and only when the loop moves it, so the chip's microsecond timing is below it.</summary>
    public sealed class W5500Simulator : ISpiBus
    {
        public readonly SimulatedNic Nic;
        public readonly W5500ChipModel Chip;

        public W5500Simulator(SimulatedSwitch lan, string mac, IBoardClock clock, int seed = 1)
        {
            Nic = lan.AddNic("w5500", mac);
            Chip = new W5500ChipModel(Nic, clock, (uint)seed) { CommandUs = 0 };
        }

        /// <summary>The board's driver on this chip (pins, burst and SEND timeout as the board has them).</summary>
        public W5500Device CreateDriver(W5500BoardSettings board, byte[] mac) => Chip.CreateDriver(board, mac);

        public void Transfer(byte[] tx, int txOffset, byte[] rx, int rxOffset, int length) => Chip.Transfer(tx, txOffset, rx, rxOffset, length);
        public void Write(byte[] tx, int offset, int length) => Chip.Write(tx, offset, length);
        public void TransferWhole(byte[] tx, byte[] rx) => Chip.TransferWhole(tx, rx);
        public void WriteWhole(byte[] tx) => Chip.WriteWhole(tx);

        public long Transactions => Chip.Transactions;
        public long BytesTransferred => Chip.BytesTransferred;
        public long FramesDelivered => Chip.FramesDelivered;
        public long FramesFiltered => Chip.FramesFiltered;
        public IOutputPin ResetPin => Chip.ResetPin;
        public IInputPin InterruptPin => Chip.InterruptPin;
    }

    /// <summary>A board clock that only moves when told to (Delay advances it, setting it never moves it back):
    /// drivers' waits cost no real time.</summary>
    public sealed class VirtualBoardClock : IBoardClock
    {
        private long _now;

        public long NowMicroseconds
        {
            get => _now;
            set { if (value > _now) _now = value; }
        }

        public void Delay(int microseconds) => _now += microseconds > 0 ? microseconds : 0;
    }
}
