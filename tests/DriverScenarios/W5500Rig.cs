using NanoTcp.Boards.Simulation;
using NanoTcp.Boards.W5500;
using NanoTcp.Scenarios;
using NanoTcp.Wire;

namespace NanoTcp.DriverScenarios
{
    /// <summary>
    /// A board on a bench: the W5500 driver wired as the given board wires it (pins, burst, SEND timeout) to
    /// the chip model at the board's SPI clock, the chip's cable to a peer stack, all on one simulated clock.
    /// The device's stack runs on the driver; Run steps both stacks one millisecond at a time.
    /// </summary>
    public sealed class W5500Rig
    {
        public const uint DeviceAddress = 0x0A000002;
        public const uint PeerAddress = 0x0A000001;
        public const string DeviceMac = "02:00:00:00:55:02";
        public const string PeerMac = "02:00:00:00:00:01";
        public const int RawEtherType = 0x88B5; // IEEE local experimental: the stack ignores it

        public readonly W5500BoardSettings Board;
        public readonly SimulatedClock Clock = new SimulatedClock();
        public readonly SimulatedCable Cable;
        public readonly W5500ChipModel Chip;
        public readonly W5500Device Driver;
        public readonly NetworkStack Device;
        public readonly NetworkStack Peer;
        public readonly byte[] Mac = new byte[6];
        private readonly byte[] _raw = new byte[1514];
        private readonly byte[] _spiTx = new byte[8];
        private readonly byte[] _spiRx = new byte[8];

        public W5500Rig(W5500BoardSettings board) : this(board, board.BurstBytes) { }

        public W5500Rig(W5500BoardSettings board, int burstBytes)
        {
            Board = board;
            Cable = new SimulatedCable(Clock, DeviceMac, PeerMac, 100);
            Chip = new W5500ChipModel(Cable.A, Clock, 7);
            Chip.SpiClockHz = board.SpiClockHz;
            MacAddress.TryParse(DeviceMac, Mac, 0);
            Driver = new W5500Device(Chip, board.ResetWired ? Chip.ResetPin : null, board.InterruptWired ? Chip.InterruptPin : null,
                                     Clock, Mac, burstBytes, board.SendTimeoutUs);
            Check.True(Driver.Initialize(), "the driver brings the chip up");
            Device = new NetworkStack(Driver, new StackConfig(), new SeededRandom(5));
            Peer = new NetworkStack(Cable.B, new StackConfig(), new SeededRandom(6));
            Device.Configure(DeviceAddress, 0xFFFFFF00, 0, 0);
            Peer.Configure(PeerAddress, 0xFFFFFF00, 0, 0);
            WaitForLink(Chip.AutoNegotiationUs / 1000 + 500);
            Run(20);
        }

        /// <summary>Runs until the driver reports the link up; false when it did not within ms.</summary>
        public bool WaitForLink(int ms)
        {
            for (int i = 0; i < ms; i++)
            {
                if (Driver.IsLinkUp)
                    return true;
                Run(1);
            }
            return Driver.IsLinkUp;
        }

        /// <summary>Polls both stacks once per simulated millisecond; the chip works on its own in between.</summary>
        public void Run(int ms)
        {
            for (int i = 0; i < ms; i++)
            {
                long start = Clock.NowMicroseconds;
                Device.Poll(Clock.NowMilliseconds);
                Clock.AdvanceTo(start + 500);
                Chip.Update();
                Peer.Poll(Clock.NowMilliseconds);
                Clock.AdvanceTo((start / 1000 + 1) * 1000);
                Chip.Update();
            }
        }

        /// <summary>The peer pings the device count times, 5 ms apart; the replies that came back.</summary>
        public int Pings(int count)
        {
            int before = Peer.Statistics.IcmpEchoRepliesReceived;
            for (int i = 0; i < count; i++)
            {
                Peer.SendPing(DeviceAddress, 7, i, 32);
                Run(5);
            }
            return Peer.Statistics.IcmpEchoRepliesReceived - before;
        }

        /// <summary>The peer puts a frame of `length` bytes for the device on the cable; byte 14 carries `tag`
        /// and the rest of the payload follows from it.</summary>
        public void SendRaw(int length, int tag)
        {
            System.Array.Copy(Mac, 0, _raw, 0, 6);
            MacAddress.TryParse(PeerMac, _raw, 6);
            _raw[12] = (byte)(RawEtherType >> 8);
            _raw[13] = (byte)(RawEtherType & 0xFF);
            for (int i = 14; i < length; i++)
                _raw[i] = (byte)(tag + i);
            Check.True(Cable.B.Transmit(_raw, 0, length), "the cable takes the frame");
        }

        /// <summary>True when frame[0..length) is what SendRaw(length, tag) sent.</summary>
        public bool IsRaw(byte[] frame, int length, int tag)
        {
            if (frame[12] != (byte)(RawEtherType >> 8) || frame[13] != (byte)(RawEtherType & 0xFF))
                return false;
            for (int i = 14; i < length; i++)
                if (frame[i] != (byte)(tag + i))
                    return false;
            return true;
        }

        /// <summary>Lets everything on the cable reach the chip.</summary>
        public void Settle(int microseconds)
        {
            Clock.AdvanceTo(Clock.NowMicroseconds + microseconds);
            Chip.Update();
        }

        /// <summary>A socket 0 register read over SPI, as any driver would.</summary>
        public int ReadSocketRegister(int address)
        {
            _spiTx[0] = 0;
            _spiTx[1] = (byte)address;
            _spiTx[2] = W5500Control.Read(W5500Control.SocketRegisters(0));
            Chip.Transfer(_spiTx, 0, _spiRx, 0, 4);
            return _spiRx[3];
        }
    }
}
