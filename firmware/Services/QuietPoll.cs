// One poll step for every loop that runs the stack (StackRunner's thread, `nanotcp serve`, the demo, the
// device): poll the stack, then the services, and again while that moved frames, so that a reply or a
// window update the services made possible leaves now rather than at the next frame, timer or wait.
using NanoTcp.Tcp;

namespace NanoTcp.Firmware.Services
{
    public static class QuietPoll
    {
        /// <summary>Rounds per step at most, so that a flood of frames still lets the caller wait and time run.</summary>
        public const int MaxRounds = 32;

        /// <summary>Polls until a round neither took nor sent a frame (or MaxRounds); returns when the stack
        /// is next due, nowMs when frames are still waiting.</summary>
        public static long Run(NetworkStack stack, AfterPoll services, long nowMs)
        {
            // Each round's frame count is the next round's count before it (nothing runs between): summed once a
            // round, and the engine read once. The device's loop runs this at every turn, most of them idle.
            NetworkStatistics s = stack.Statistics;
            TcpEngine tcp = stack.Tcp;
            long next = nowMs;
            int moved = s.FramesReceived + s.FramesSent + s.FramesTransmitFailed;
            for (int round = 0; round < MaxRounds; round++)
            {
                if (services != null)
                {
                    // The ACK of a full ring and the window update the services' reads make due go out as one
                    // segment, with an echo's data when there is some (TcpEngine.OutputHold.cs).
                    tcp.HoldOutput();
                    next = stack.Poll(nowMs);
                    services();
                    tcp.ReleaseOutput();
                }
                else
                    next = stack.Poll(nowMs);
                int after = s.FramesReceived + s.FramesSent + s.FramesTransmitFailed;
                if (next > nowMs && after == moved)
                    break;
                moved = after;
            }
            return next;
        }
    }
}
