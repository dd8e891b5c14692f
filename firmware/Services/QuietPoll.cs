// One poll step for every loop that runs the stack (StackRunner's thread, `nanotcp serve`, the demo, the
// device): poll the stack, then the services, and again while that moved frames, so that a reply or a
// window update the services made possible leaves now rather than at the next frame, timer or wait.
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
            NetworkStatistics s = stack.Statistics;
            long next = nowMs;
            for (int round = 0; round < MaxRounds; round++)
            {
                int before = s.FramesReceived + s.FramesSent + s.FramesTransmitFailed;
                if (services != null)
                {
                    // The ACK of a full ring and the window update the services' reads make due go out as one
                    // segment, with an echo's data when there is some (TcpEngine.OutputHold.cs).
                    stack.Tcp.HoldOutput();
                    next = stack.Poll(nowMs);
                    services();
                    stack.Tcp.ReleaseOutput();
                }
                else
                    next = stack.Poll(nowMs);
                if (next > nowMs && s.FramesReceived + s.FramesSent + s.FramesTransmitFailed == before)
                    break;
            }
            return next;
        }
    }
}
