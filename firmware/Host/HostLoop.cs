using System;
using NanoTcp.Firmware.Services;

namespace NanoTcp.Host
{
    /// <summary>The one loop shape of `nanotcp serve` and `nanotcp demo` (issue 12, issue 13 point 9): poll the
    /// device's stack and the services until nothing moves (QuietPoll), then wait for the device until the
    /// stack's next timer. A reply the services make leaves in the same step as the request that caused it.</summary>
    public sealed class HostLoop
    {

        private readonly NetworkStack _stack;
        private readonly AfterPoll _services;
        private readonly Func<long> _now;
        private readonly Action<long, long> _waitUntil;

        /// <param name="waitUntil">(now, deadline): waits for the device (poll(2) on a TAP), returning early when
        /// frames arrive; in virtual time, runs the rest of the simulated world and moves time on.</param>
        public HostLoop(NetworkStack stack, AfterPoll services, Func<long> nowMs, Action<long, long> waitUntil)
        {
            _stack = stack;
            _services = services;
            _now = nowMs;
            _waitUntil = waitUntil;
        }

        /// <summary>Runs before each step's polls: frames that must be moved toward the device (the TAP bridge
        /// of `serve --device w5500`), the board clock of a simulated chip.</summary>
        public Action BeforePoll;

        /// <summary>Extra deadline the wait must not pass (a simulated switch's next delivery); long.MaxValue: none.</summary>
        public Func<long> NextExternal;

        /// <summary>Longest single wait in real time, so that a stop request is seen; long.MaxValue in virtual
        /// time, where waiting costs nothing.</summary>
        public long MaxWaitMs = 100;

        /// <summary>One step: poll until quiet, then wait until the next timer (at most MaxWaitMs).</summary>
        public void Step()
        {
            BeforePoll?.Invoke();
            long now = _now();
            long next = QuietPoll.Run(_stack, _services, now);
            if (NextExternal != null)
                next = Math.Min(next, NextExternal());
            long deadline = MaxWaitMs == long.MaxValue ? next : Math.Min(next, now + MaxWaitMs);
            _waitUntil(now, Math.Max(deadline, now));
        }
    }
}
