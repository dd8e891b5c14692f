using NanoTcp.Boards.Simulation;

namespace NanoTcp.DriverScenarios
{
    /// <summary>
    /// The firmware's poll thread (firmware/Services/StackRunner.cs) on the simulated clock: poll the stack, then
    /// sleep until its next timer, at most IdlePollMs, or until woken. With wakeOnInterrupt the INTn falling
    /// edge wakes it (the firmware's GpioPin.ValueChanged handler calls StackRunner.Wake); without, frames wait
    /// for the next idle poll. Only SPI and the chip's own time advance the clock: the interpreter's CPU time
    /// is the nanoclr benchmark's business.
    /// </summary>
    public sealed class SimulatedPollLoop
    {
        private const int MinimumWaitUs = 50; // a poll that asks to run again at once still takes a little
        private readonly W5500Rig _rig;
        private readonly int _idlePollUs;
        private readonly bool _wakeOnInterrupt;
        private bool _woken;

        public SimulatedPollLoop(W5500Rig rig, int idlePollMs, bool wakeOnInterrupt)
        {
            _rig = rig;
            _idlePollUs = idlePollMs * 1000;
            _wakeOnInterrupt = wakeOnInterrupt;
            if (wakeOnInterrupt)
                rig.Chip.InterruptFell = Wake;
        }

        /// <summary>The poll thread's configuration on this board as the firmware ships it: woken by INTn with a
        /// 100 ms safety net where INT is wired, polling every millisecond where it is not.</summary>
        public static SimulatedPollLoop AsShipped(W5500Rig rig)
        {
            return rig.Board.InterruptWired ? new SimulatedPollLoop(rig, 100, true) : new SimulatedPollLoop(rig, 1, false);
        }

        private void Wake()
        {
            _woken = true;
        }

        /// <summary>Runs polls and waits until the clock reaches untilUs.</summary>
        public void RunUntil(long untilUs)
        {
            SimulatedClock clock = _rig.Clock;
            while (clock.NowMicroseconds < untilUs)
            {
                _woken = false;
                long next = _rig.Device.Poll(clock.NowMilliseconds) * 1000;
                _rig.Peer.Poll(clock.NowMilliseconds);
                long now = clock.NowMicroseconds;
                long deadline = now + _idlePollUs;
                if (next < deadline) deadline = next;
                if (deadline < now + MinimumWaitUs) deadline = now + MinimumWaitUs;
                if (deadline > untilUs) deadline = untilUs;
                Sleep(deadline);
            }
        }

        private void Sleep(long deadline)
        {
            SimulatedClock clock = _rig.Clock;
            if (!_wakeOnInterrupt || _woken)
            {
                clock.AdvanceTo(deadline);
                _rig.Chip.Update(); // the chip works on its own meanwhile
                return;
            }
            while (!_woken && clock.NowMicroseconds < deadline)
            {
                long arrival = _rig.Cable.A.NextDueUs; // the next frame to reach the chip
                long step = arrival < deadline ? arrival : deadline;
                clock.AdvanceTo(step > clock.NowMicroseconds ? step : clock.NowMicroseconds + 1);
                _rig.Chip.Update(); // the chip stores it; INTn falls and wakes us
            }
        }

        /// <summary>A lone frame of `length` bytes from the peer: microseconds from the moment it is fully at the
        /// chip to the moment the driver has handed it to the stack; -1 when it did not arrive within 1 s.</summary>
        public long LoneFrameLatencyUs(int length, int tag)
        {
            SimulatedClock clock = _rig.Clock;
            RunUntil(clock.NowMicroseconds + 200000); // idle first
            int before = _rig.Driver.Counters.FramesReceived;
            _rig.SendRaw(length, tag);
            long arrived = _rig.Cable.A.NextDueUs;
            long give = clock.NowMicroseconds + 1000000;
            while (clock.NowMicroseconds < give)
            {
                long step = clock.NowMicroseconds;
                RunUntil(step + 1);
                if (_rig.Driver.Counters.FramesReceived > before)
                    return clock.NowMicroseconds - arrived;
            }
            return -1;
        }

        /// <summary>Pulls the cable for downMs while the device pings the peer every 10 ms: microseconds from the
        /// cable being back to the first frame the chip puts on the wire (-1 if none within 10 s).</summary>
        public long LinkBackToFirstFrameUs(int downMs)
        {
            SimulatedClock clock = _rig.Clock;
            _rig.Chip.FlapLink(downMs * 1000);
            long back = clock.NowMicroseconds + downMs * 1000L;
            long give = back + 10000000;
            long sentAtBack = -1;
            int sequence = 0;
            while (clock.NowMicroseconds < give)
            {
                _rig.Device.SendPing(W5500Rig.PeerAddress, 11, sequence++, 16);
                long stop = clock.NowMicroseconds + 10000;
                while (clock.NowMicroseconds < stop)
                {
                    if (sentAtBack < 0 && clock.NowMicroseconds >= back)
                        sentAtBack = _rig.Chip.FramesSent;
                    RunUntil(clock.NowMicroseconds + 1);
                    if (sentAtBack >= 0 && _rig.Chip.FramesSent > sentAtBack)
                        return _rig.Chip.LastSendUs - back;
                }
            }
            return -1;
        }
    }
}
