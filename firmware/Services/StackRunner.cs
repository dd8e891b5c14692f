// Runs a NetworkStack for application threads (ARCHITECTURE.md "Threading"): one thread polls it, and
// every call into the stack, the poll thread's or an application's, holds one lock. Blocking calls
// re-check their condition after each poll. nanoFramework has no Monitor.Wait/Pulse, so waiters sleep
// on an event the poll thread sets, with a short timeout for when several wait at once. Portable: only
// Thread, Monitor.Enter/Exit and wait handles from mscorlib.
using System.Threading;
using NanoTcp.Boards;
using NanoTcp.Tcp;

namespace NanoTcp.Firmware.Services
{
    /// <summary>Waits up to timeoutMs for frames to arrive (a NIC's interrupt, poll(2) on a TAP); true when some did.</summary>
    public delegate bool FrameWait(int timeoutMs);

    /// <summary>Work the poll thread does after each poll, under the lock (the firmware's services).</summary>
    public delegate void AfterPoll();

    public sealed class StackRunner
    {
        /// <summary>Returned by the blocking calls when the timeout passed first.</summary>
        public const int TimedOut = -1;
        private const int MaxSleepMs = 50;
        private const int WaiterSliceMs = 10;
        private const int DeviceWaitSliceMs = 5;

        private readonly NetworkStack _stack;
        private readonly IBoardClock _clock;
        private readonly object _lock = new object();
        private readonly AutoResetEvent _wakePoller = new AutoResetEvent(false);
        private readonly AutoResetEvent _progress = new AutoResetEvent(false);
        private Thread _thread;
        private bool _running;

        public StackRunner(NetworkStack stack, IBoardClock clock)
        {
            _stack = stack;
            _clock = clock;
        }

        public NetworkStack Stack { get { return _stack; } }

        /// <summary>When set, the idle poll thread waits on the device with it (in slices of at most 5 ms,
        /// so application calls are not held up); else it sleeps on its own event.</summary>
        public FrameWait WaitForFrames;

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
            _wakePoller.Set();
            if (_thread != null)
                _thread.Join();
        }

        /// <summary>Runs one poll now, on the caller's thread (for single-threaded firmware loops and tests).</summary>
        public long PollOnce()
        {
            long next;
            Monitor.Enter(_lock);
            try
            {
                next = _stack.Poll(NowMs);
                AfterPoll after = OnPolled;
                if (after != null)
                    after();
            }
            finally
            {
                Monitor.Exit(_lock);
            }
            _progress.Set();
            return next;
        }

        private void Loop()
        {
            while (_running)
            {
                long next = PollOnce();
                long wait = next - NowMs;
                if (wait > MaxSleepMs) wait = MaxSleepMs; // frames arrive without telling us
                FrameWait frames = WaitForFrames;
                if (wait > 0 && frames != null)
                    frames(wait > DeviceWaitSliceMs ? DeviceWaitSliceMs : (int)wait);
                else if (wait > 0)
                    _wakePoller.WaitOne((int)wait, false);
            }
        }

        /// <summary>Tells the poll thread to run now (after an application queued something).</summary>
        public void Wake()
        {
            _wakePoller.Set();
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
                Monitor.Enter(_lock);
                try
                {
                    TcpConnection c = _stack.Tcp.Accept(listener);
                    if (c != null || !listener.IsListening)
                        return c;
                }
                finally { Monitor.Exit(_lock); }
                if (!WaitForProgress(deadline))
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
            Wake();
            while (true)
            {
                TcpState state = c.State;
                if (state != TcpState.SynSent && state != TcpState.SynReceived)
                    return c; // established, or closed with its reason in c.Error
                if (!WaitForProgress(deadline))
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
                Monitor.Enter(_lock);
                try
                {
                    int n = _stack.Tcp.Receive(c, buffer, offset, count);
                    if (n > 0 || c.IsReceiveFinished)
                        return n;
                }
                finally { Monitor.Exit(_lock); }
                if (!WaitForProgress(deadline))
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
                int n;
                Monitor.Enter(_lock);
                try { n = _stack.Tcp.Send(c, buffer, offset + written, count - written); }
                finally { Monitor.Exit(_lock); }
                if (n < 0)
                    return written;
                written += n;
                if (written < count && !WaitForProgress(deadline))
                    return written;
            }
            return written;
        }

        /// <summary>Waits until everything written was acknowledged (or the timeout); true when it was.</summary>
        public bool Flush(TcpConnection c, int timeoutMs)
        {
            long deadline = Deadline(timeoutMs);
            while (c.BytesUnacknowledged > 0 && c.State != TcpState.Closed)
            {
                if (!WaitForProgress(deadline))
                    return false;
            }
            return c.BytesUnacknowledged == 0;
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
            return WaitForProgress(deadlineMs);
        }

        private long Deadline(int timeoutMs)
        {
            return timeoutMs == Timeout.Infinite ? long.MaxValue : NowMs + timeoutMs;
        }

        /// <summary>Wakes the poll thread and waits for it to make progress; false once the deadline passed.</summary>
        private bool WaitForProgress(long deadline)
        {
            long now = NowMs;
            if (now >= deadline)
                return false;
            Wake();
            long wait = deadline - now;
            _progress.WaitOne(wait < WaiterSliceMs ? (int)wait : WaiterSliceMs, false);
            return true;
        }
    }
}
