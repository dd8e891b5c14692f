using NanoTcp.Boards.W5500;
using NanoTcp.Scenarios;

namespace NanoTcp.DriverScenarios
{
    /// <summary>Issue 14's latency and recovery targets, on the simulated clock with SPI at the board's clock
    /// and the poll thread as the firmware ships it (SimulatedPollLoop.AsShipped).</summary>
    public static class W5500TimingScenarios
    {
        /// <summary>SPI time of one frame's burst read (3-byte header, 2-byte length, the frame) at the board's clock.</summary>
        public static long FrameSpiTimeUs(W5500BoardSettings board, int length)
        {
            return (long)(3 + 2 + length) * 8 * 1000000 / board.SpiClockHz;
        }

        /// <summary>Issue 14 point 8 and deliverable 4: a lone frame is in the stack's hands at most its own SPI
        /// transfer time plus 1 ms after it reached the chip (the INTn edge wakes the poll thread; a board
        /// without INT polls every millisecond).</summary>
        public static void ALoneFrameReachesTheStackWithinItsSpiTimePlus1ms(W5500BoardSettings board)
        {
            var rig = new W5500Rig(board);
            SimulatedPollLoop loop = SimulatedPollLoop.AsShipped(rig);
            for (int i = 0; i < 5; i++)
            {
                int length = i == 0 ? 60 : 1514;
                long latency = loop.LoneFrameLatencyUs(length, i);
                long bound = FrameSpiTimeUs(board, length) + 1000;
                Check.True(latency >= 0 && latency <= bound,
                           string.Concat("latency of a lone ", length.ToString(), "-byte frame, us: ", latency.ToString(), " (bound ", bound.ToString(), ")"));
            }
        }

        /// <summary>Deliverable 4: after the cable is back, the first frame leaves within auto-negotiation plus
        /// 100 ms, with no reset on the way (a reset would restart auto-negotiation).</summary>
        public static void TheFirstFrameLeavesWithin100msOfAutoNegotiation(W5500BoardSettings board)
        {
            var rig = new W5500Rig(board);
            Check.Equal(1, rig.Pings(1), "replies before");
            SimulatedPollLoop loop = SimulatedPollLoop.AsShipped(rig);
            long resets = rig.Chip.HardwareResets;
            for (int round = 0; round < 3; round++)
            {
                long recovery = loop.LinkBackToFirstFrameUs(500);
                long bound = rig.Chip.AutoNegotiationUs + 100000;
                Check.True(recovery >= 0 && recovery <= bound,
                           string.Concat("link back to first frame out, us: ", recovery.ToString(), " (bound ", bound.ToString(), ")"));
            }
            Check.Equal(resets, rig.Chip.HardwareResets, "chip resets");
        }
    }
}
