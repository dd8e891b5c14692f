using System.Threading;
using NanoTcp.Boards.Desktop;
using NanoTcp.Firmware.Services;
using NanoTcp.Scenarios;
using Xunit;

namespace NanoTcp.Tests.Stack
{
    /// <summary>StackRunner's wake-up seam (issue 12): Wake() makes the idle poll thread poll now, whether it
    /// sleeps on its own event (a device whose interrupt calls Wake) or waits on the device (a TAP's poll(2),
    /// ended by InterruptWait). The idle wait is made a minute long, so a poll within the generous limits
    /// below can only come from the wake.</summary>
    public sealed class StackRunnerWakeTests
    {
        private const int Minute = 60000, Limit = 10000;

        private static (StackRunner Runner, AutoResetEvent Polled) Runner()
        {
            var lan = new SimulatedSwitch(5) { Clock = new HostClock() };
            var stack = new NetworkStack(lan.AddNic("a", "02:00:00:00:00:0a"), new StackConfig(), new SeededRandom(1));
            var polled = new AutoResetEvent(false);
            var runner = new StackRunner(stack, lan.Clock) { IdlePollMs = Minute, OnPolled = () => polled.Set() };
            return (runner, polled);
        }

        /// <summary>Lets the poll thread finish its first polls and go idle.</summary>
        private static void Settle(AutoResetEvent polled)
        {
            while (polled.WaitOne(200)) { }
        }

        [Fact]
        public void WakeEndsTheIdleSleepOfARunnerWithoutADeviceWait()
        {
            var (runner, polled) = Runner();
            runner.Start();
            try
            {
                Settle(polled);
                runner.Wake(); // as the W5500's INTn handler does
                Assert.True(polled.WaitOne(Limit), "no poll after Wake");
            }
            finally { runner.Stop(); }
        }

        [Fact]
        public void WakeEndsADeviceWaitThroughInterruptWait()
        {
            var (runner, polled) = Runner();
            var device = new AutoResetEvent(false);
            int waits = 0;
            runner.WaitForFrames = timeout => { Interlocked.Increment(ref waits); return device.WaitOne(timeout); };
            runner.InterruptWait = () => device.Set();
            runner.Start();
            try
            {
                Settle(polled);
                Assert.True(Volatile.Read(ref waits) > 0, "the idle runner waits on the device");
                runner.Wake();
                Assert.True(polled.WaitOne(Limit), "no poll after Wake during a device wait");
            }
            finally { runner.Stop(); }
        }

        [Fact]
        public void AWakeDuringAPollIsKeptForTheNextWait()
        {
            var (runner, polled) = Runner();
            int polls = 0, wakeAt = -1;
            runner.OnPolled = () =>
            {
                int n = Interlocked.Increment(ref polls);
                if (n == Volatile.Read(ref wakeAt))
                    runner.Wake(); // arrives while the poll thread is busy, not waiting
                polled.Set();
            };
            runner.Start();
            try
            {
                Settle(polled);
                int idle = Volatile.Read(ref polls);
                Volatile.Write(ref wakeAt, idle + 1);
                runner.Wake();
                // The poll that Wake caused wakes again; without a kept wake the thread would sleep a minute.
                for (int i = 0; i < Limit / 50 && Volatile.Read(ref polls) < idle + 2; i++)
                    polled.WaitOne(50);
                Assert.True(Volatile.Read(ref polls) >= idle + 2, $"polls: {polls}, idle at {idle}");
            }
            finally { runner.Stop(); }
        }
    }
}
