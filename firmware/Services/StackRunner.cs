// Runs a NetworkStack for application threads (ARCHITECTURE.md "Threading"): one thread polls it, and
// every call into the stack, the poll thread's or an application's, holds one lock. Blocking calls
// re-check their condition after each poll. nanoFramework has no Monitor.Wait/Pulse, so waiters sleep
// on an event the poll thread sets after each poll. Portable: only Thread, Monitor.Enter/Exit and wait
// handles from mscorlib.
//
// The wake-up seam (one for application calls and device interrupts): Wake() makes the idle poll thread
// poll now. It sets the runner's own event and, when the device's wait is a blocking call of its own
// (WaitForFrames, e.g. poll(2) on a TAP), calls InterruptWait so that wait returns at once. A device with
// an interrupt line (the W5500's INTn) calls Wake() from its handler; a device that cannot tell is looked
// at every IdlePollMs.
using System.Threading;
using NanoTcp.Boards;
using NanoTcp.Tcp;

namespace NanoTcp.Firmware.Services
{
    /// <summary>Waits up to timeoutMs for frames to arrive (a NIC's interrupt, poll(2) on a TAP); true when some did.</summary>
    public delegate bool FrameWait(int timeoutMs);

    /// <summary>Ends a FrameWait in progress from another thread (an eventfd written); must not block.</summary>
    public delegate void FrameWaitInterrupt();

    /// <summary>Work the poll thread does after each poll, under the lock (the firmware's services).</summary>
    public delegate void AfterPoll();

    public sealed class StackRunner
    {
        /// <summary>Returned by the blocking calls when the timeout passed first.</summary>
        public const int TimedOut = -1;
        private const int WaiterSliceMs = 10;
        private const int DeviceWaitSliceMs = 5;

        private readonly NetworkStack _stack;
        private readonly IBoardClock _clock;
        private readonly object _lock = new object();
        private readonly AutoResetEvent _wakePoller = new AutoResetEvent(false);
        // Progress is broadcast to every waiter: the poll thread sets the current event and makes the other
        // (reset) one current, so each waiter is released by the next poll, not just one of them.
        private readonly ManualResetEvent[] _progress = { new ManualResetEvent(false), new ManualResetEvent(false) };
        private int _progressIndex;
        private Thread _thread;
        private bool _running;

        public StackRunner(NetworkStack stack, IBoardClock clock)
        {
            _stack = stack;
            _clock = clock;
        }

        public NetworkStack Stack { get { return _stack; } }

        /// <summary>When set, the idle poll thread waits on the device with it. With InterruptWait set too it
        /// waits until the next timer (at most IdlePollMs), since Wake() can end the wait; without, in slices
        /// of at most 5 ms so application calls are not held up longer. Else it sleeps on its own event.</summary>
        public FrameWait WaitForFrames;

        /// <summary>Called by Wake() to end a WaitForFrames in progress (TapDevice.Interrupt).</summary>
        public FrameWaitInterrupt InterruptWait;

        /// <summary>Longest the idle poll thread goes without polling the device: frames that arrive without a
        /// wake-up (a polled chip, a simulated switch) wait at most this long. A device whose interrupt calls
        /// Wake() can make it long; a polled one wants it short.</summary>
        public int IdlePollMs = 5;

        /// <summary>Called after every poll, under the lock.</summary>
        public AfterPoll OnPolled;

        /// <summary>Hold it (Monitor.Enter/Exit) around any direct use of Stack from another thread.</summary>
        public object Lock { get { return _lock; } }

        public long NowMs { get { return _clock.NowMicroseconds / 1000; } }

        public void Start()
        {
            _running = true;
            _thread = new Thread(Loop);
            _thread.Start();
        }

        public void Stop()
        {
            _running = false;
            Wake();
            if (_thread != null)
                _thread.Join();
        }

        /// <summary>Polls the stack and OnPolled until nothing moves (QuietPoll), on the caller's thread (for
        /// single-threaded firmware loops and tests); returns when the stack is next due.</summary>
        public long PollOnce()
        {
            long next;
            Monitor.Enter(_lock);
            try
            {
                next = QuietPoll.Run(_stack, OnPolled, NowMs);
            }
            finally
            {
                Monitor.Exit(_lock);
            }
            SignalProgress();
            return next;
        }

        private void SignalProgress()
        {
            ManualResetEvent current = _progress[_progressIndex];
            int other = 1 - _progressIndex;
            _progress[other].Reset();
            _progressIndex = other;
            current.Set();
        }

        private void Loop()
        {
            while (_running)
            {
                long next = PollOnce();
                long wait = next - NowMs;
                if (wait > IdlePollMs) wait = IdlePollMs; // frames may arrive without telling us
                if (wait <= 0)
                    continue;
                FrameWait frames = WaitForFrames;
                if (frames == null)
                    _wakePoller.WaitOne((int)wait, false);
                else if (InterruptWait != null)
                    frames((int)wait);
                else
                    frames(wait > DeviceWaitSliceMs ? DeviceWaitSliceMs : (int)wait);
            }
        }

        /// <summary>Makes the poll thread poll now: after an application queued something (a close, a new
        /// timer), or from a device's interrupt handler when frames arrived. Any thread; never blocks; a wake
        /// during a poll is kept for the next wait.</summary>
        public void Wake()
        {
            _wakePoller.Set();
            FrameWaitInterrupt interrupt = InterruptWait;
            if (interrupt != null)
                interrupt();
        }

        // ---- Blocking TCP calls -----------------------------------------------------------------

        public TcpListener Listen(int port, int backlog)
        {
            Monitor.Enter(_lock);
            try { return _stack.Tcp.Listen(port, backlog); }
            finally { Monitor.Exit(_lock); }
        }

        /// <summary>The next connection of the listener; null when timeoutMs passed (Timeout.Infinite waits).</summary>
        public TcpConnection Accept(TcpListener listener, int timeoutMs)
        {
            long deadline = Deadline(timeoutMs);
            while (true)
            {
                ManualResetEvent progress = NextProgress;
                Monitor.Enter(_lock);
                try
                {
                    TcpConnection c = _stack.Tcp.Accept(listener);
                    if (c != null || !listener.IsListening)
                        return c;
                }
                finally { Monitor.Exit(_lock); }
                if (!WaitForProgress(progress, deadline))
                    return null;
            }
        }

        /// <summary>An established connection to address:port, or null (refused, reset, timed out: see the
        /// returned connection's Error when it is not null but closed).</summary>
        public TcpConnection Connect(uint address, int port, int timeoutMs)
        {
            long deadline = Deadline(timeoutMs);
            TcpConnection c;
            Monitor.Enter(_lock);
            try { c = _stack.Tcp.Connect(_stack.Address, address, port, 0); }
            finally { Monitor.Exit(_lock); }
            if (c == null)
                return null;
            Wake(); // the SYN went out; the poll thread learns of its timer
            while (true)
            {
                ManualResetEvent progress = NextProgress;
                TcpState state = c.State;
                if (state != TcpState.SynSent && state != TcpState.SynReceived)
                    return c; // established, or closed with its reason in c.Error
                if (!WaitForProgress(progress, deadline))
                {
                    Abort(c);
                    return c;
                }
            }
        }

        /// <summary>Reads at least one byte: the count, 0 at end of stream or when the connection is gone,
        /// TimedOut when nothing came in time.</summary>
        public int Read(TcpConnection c, byte[] buffer, int offset, int count, int timeoutMs)
        {
            long deadline = Deadline(timeoutMs);
            while (true)
            {
                ManualResetEvent progress = NextProgress;
                int n;
                Monitor.Enter(_lock);
                try
                {
                    n = _stack.Tcp.Receive(c, buffer, offset, count);
                }
                finally { Monitor.Exit(_lock); }
                if (n > 0)
                    return n; // a window update the read made due left inside Receive (RFC 9293 3.8.6.2.2)
                if (c.IsReceiveFinished)
                    return 0;
                if (!WaitForProgress(progress, deadline))
                    return TimedOut;
            }
        }

        /// <summary>Writes all count bytes unless the connection ends or the timeout passes; returns how many went.</summary>
        public int Write(TcpConnection c, byte[] buffer, int offset, int count, int timeoutMs)
        {
            long deadline = Deadline(timeoutMs);
            int written = 0;
            while (written < count)
            {
                ManualResetEvent progress = NextProgress;
                int n;
                Monitor.Enter(_lock);
                try { n = _stack.Tcp.Send(c, buffer, offset + written, count - written); }
                finally { Monitor.Exit(_lock); }
                if (n < 0)
                    return written;
                written += n;
                if (written < count && !WaitForProgress(progress, deadline))
                    return written;
            }
            return written;
        }

        /// <summary>Waits until everything written was acknowledged (or the timeout); true when it was.</summary>
        public bool Flush(TcpConnection c, int timeoutMs)
        {
            long deadline = Deadline(timeoutMs);
            while (true)
            {
                ManualResetEvent progress = NextProgress;
                if (c.BytesUnacknowledged == 0 || c.State == TcpState.Closed)
                    return c.BytesUnacknowledged == 0;
                if (!WaitForProgress(progress, deadline))
                    return false;
            }
        }

        public void Shutdown(TcpConnection c)
        {
            Monitor.Enter(_lock);
            try { _stack.Tcp.Shutdown(c); }
            finally { Monitor.Exit(_lock); }
            Wake();
        }

        public void Close(TcpConnection c)
        {
            Monitor.Enter(_lock);
            try { _stack.Tcp.Close(c); }
            finally { Monitor.Exit(_lock); }
            Wake();
        }

        public void Abort(TcpConnection c)
        {
            Monitor.Enter(_lock);
            try { _stack.Tcp.Abort(c); }
            finally { Monitor.Exit(_lock); }
            Wake();
        }

        /// <summary>For layers above (sockets): wakes the poll thread and waits a slice for it to make
        /// progress, so the caller can re-check its condition; false once deadlineMs (NowMs's clock) passed.</summary>
        public bool AwaitProgress(long deadlineMs)
        {
            ManualResetEvent progress = NextProgress;
            Wake();
            return WaitForProgress(progress, deadlineMs);
        }

        private long Deadline(int timeoutMs)
        {
            return timeoutMs == Timeout.Infinite ? long.MaxValue : NowMs + timeoutMs;
        }

        /// <summary>The event the next poll sets; a waiter takes it before checking its condition, so a poll
        /// between the check and the wait is not missed.</summary>
        private ManualResetEvent NextProgress { get { return _progress[_progressIndex]; } }

        /// <summary>For a caller that checked its condition already: waits for the next poll from now.</summary>
        private bool WaitForProgress(long deadline)
        {
            return WaitForProgress(NextProgress, deadline);
        }

        /// <summary>Waits for the poll thread's next poll (or a short slice); false once the deadline passed.
        /// It does not wake the poll thread: waiting changes nothing the stack must act on.</summary>
        private bool WaitForProgress(ManualResetEvent progress, long deadline)
        {
            long now = NowMs;
            if (now >= deadline)
                return false;
            long wait = deadline - now;
            progress.WaitOne(wait < WaiterSliceMs ? (int)wait : WaiterSliceMs, false);
            return true;
        }
    }
}
