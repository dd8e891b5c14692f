using System;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using NanoTcp.Link;

namespace NanoTcp.Boards.Desktop
{
    /// <summary>
    /// A Linux TAP interface (/dev/net/tun, IFF_TAP | IFF_NO_PI) as an INetworkDevice: our stack is the
    /// host at the far end of the virtual cable, the kernel the near end. Created if absent and brought
    /// up; the caller gives the kernel's side its address. Needs root or CAP_NET_ADMIN.
    /// Opened with IFF_VNET_HDR (unless told not to), each write(2) carries a virtio_net_hdr, so that consecutive
    /// TCP segments of one flow leave as one GSO write (TcpSegmentCoalescer): a data segment is held until the
    /// next one fails to continue it, the run is full, or the loop looks for frames (a Receive that finds none,
    /// WaitReadable, Flush). Reads take the kernel's offloads (TUNSETOFFLOAD TUN_F_CSUM | TUN_F_TSO4): one read may
    /// bring a run of TCP segments as one GSO frame, cut back into frames by GsoFrameSplitter.
    /// </summary>
    public sealed class TapDevice : INetworkDevice, IDisposable
    {
        private const int O_RDWR = 2, O_NONBLOCK = 0x800, EAGAIN = 11, EINTR = 4;
        private const short IFF_TAP = 0x0002, IFF_NO_PI = 0x1000, IFF_VNET_HDR = 0x4000, IFF_UP = 0x1, IFF_RUNNING = 0x40;
        private const uint TUN_F_CSUM = 0x01, TUN_F_TSO4 = 0x02;
        private const uint TUNSETIFF = 0x400454CA, TUNSETOFFLOAD = 0x400454D0, SIOCGIFFLAGS = 0x8913, SIOCSIFFLAGS = 0x8914;
        private const short POLLIN = 1;

        private int _fd; // reopened once when the vnet header is refused
        private const int ReadCapacity = 14 + 4 + 65535; // a GSO frame: Ethernet, a VLAN tag, the largest IPv4 packet
        private readonly byte[] _mac = new byte[6];
        private readonly PollFd[] _poll = new PollFd[2]; // the TAP, and the eventfd Interrupt writes
        private readonly int _wakeFd;
        private readonly byte[] _eventCount = new byte[8];
        private readonly byte[] _eventOne = { 1, 0, 0, 0, 0, 0, 0, 0 };
        private readonly TcpSegmentCoalescer _run; // null: no vnet header, one write(2) per frame as it comes
        private readonly byte[] _received;          // vnet header and frame, as read
        private readonly GsoFrameSplitter _split;   // the frames of _received still to hand out
        // The run is touched by the thread holding the stack (Transmit, Receive) and by the poll thread's wait
        // (StackRunner waits outside its lock while an application's Send may transmit).
        private readonly object _runLock = new object();

        [StructLayout(LayoutKind.Sequential)]
        private struct PollFd
        {
            public int Fd;
            public short Events;
            public short Revents;
        }

        [DllImport("libc", SetLastError = true)] private static extern int open(string path, int flags);
        [DllImport("libc", SetLastError = true)] private static extern int close(int fd);
        [DllImport("libc", SetLastError = true)] private static extern int ioctl(int fd, nuint request, byte[] argument);
        [DllImport("libc", EntryPoint = "ioctl", SetLastError = true)] private static extern int ioctlValue(int fd, nuint request, nuint argument);
        [DllImport("libc", SetLastError = true)] private static extern nint read(int fd, ref byte buffer, nint count);
        [DllImport("libc", SetLastError = true)] private static extern nint write(int fd, ref byte buffer, nint count);
        [DllImport("libc", SetLastError = true)] private static extern int socket(int domain, int type, int protocol);
        [DllImport("libc", SetLastError = true)] private static extern int poll([In, Out] PollFd[] fds, nuint count, int timeoutMs);
        [DllImport("libc", SetLastError = true)] private static extern int eventfd(uint initial, int flags);

        /// <param name="offloads">false: no vnet header and no offloads; every frame is written when Transmit is
        /// called, and each read is one frame.</param>
        public TapDevice(string name, byte[] mac, bool offloads = true)
        {
            if (name.Length == 0 || name.Length > 15)
                throw new ArgumentException("interface names are 1 to 15 characters", nameof(name));
            Name = name;
            Array.Copy(mac, _mac, 6);
            _fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK);
            if (_fd < 0)
                throw new InvalidOperationException($"cannot open /dev/net/tun (errno {Marshal.GetLastWin32Error()}): TAP needs Linux with the tun module, and root or CAP_NET_ADMIN");
            byte[] request = InterfaceRequest(name, (short)(IFF_TAP | IFF_NO_PI | (offloads ? IFF_VNET_HDR : 0)));
            if (offloads && (ioctl(_fd, TUNSETIFF, request) < 0 || ioctlValue(_fd, TUNSETOFFLOAD, TUN_F_CSUM | TUN_F_TSO4) < 0))
            {
                close(_fd); // this kernel refuses the vnet header or the offloads: plain frames
                _fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK);
                offloads = false;
                request = InterfaceRequest(name, (short)(IFF_TAP | IFF_NO_PI));
            }
            if (!offloads && ioctl(_fd, TUNSETIFF, request) < 0)
            {
                int errno = Marshal.GetLastWin32Error();
                close(_fd);
                throw new InvalidOperationException($"TUNSETIFF {name} failed (errno {errno}): is it taken by another process, or are we not root?");
            }
            BringUp(name);
            _poll[0].Fd = _fd;
            _poll[0].Events = POLLIN;
            _wakeFd = eventfd(0, O_NONBLOCK); // EFD_NONBLOCK has O_NONBLOCK's value
            _poll[1].Fd = _wakeFd;
            _poll[1].Events = POLLIN;
            if (offloads)
            {
                _run = new TcpSegmentCoalescer();
                _received = new byte[TcpSegmentCoalescer.VnetHeaderLength + ReadCapacity];
                _split = new GsoFrameSplitter();
            }
        }

        /// <summary>True when reads and writes carry a vnet header (IFF_VNET_HDR and TUNSETOFFLOAD took).</summary>
        public bool HasOffloads => _run != null;

        /// <summary>Frames handed to the kernel, and the writes that took them (fewer when segments were joined).</summary>
        public long FramesWritten { get; private set; }
        /// <summary>Frames handed to the stack, and the reads that brought them (with offloads, one read may bring a run).</summary>
        public long FramesReceived { get; private set; }
        public long Reads { get; private set; }
        public long Writes { get; private set; }

        /// <summary>Frames Transmit accepted that the kernel then refused (written after Transmit returned).</summary>
        public long FramesTransmitFailed { get; private set; }

        public string Name { get; }
        public int Mtu => 1500;
        public bool IsLinkUp => true;
        public long FramesDropped { get; private set; }

        public void CopyMacAddress(byte[] destination, int offset) => Array.Copy(_mac, 0, destination, offset, 6);

        /// <summary>Frames one Receive call drops at most before it returns 0, so a stream of bad frames cannot hold it.</summary>
        private const int DropsPerReceive = 64;

        public int Receive(byte[] buffer, int offset, int capacity)
        {
            for (int drops = 0; drops < DropsPerReceive; drops++)
            {
                if (_split != null && _split.Pending > 0)
                {
                    int length = _split.Next(buffer, offset, capacity, TcpSegmentCoalescer.VnetHeaderLength);
                    if (length > 0)
                    {
                        FramesReceived++;
                        return length;
                    }
                    FramesDropped++; // larger than capacity
                    continue;
                }
                nint n = _run == null ? read(_fd, ref buffer[offset], capacity) : read(_fd, ref _received[0], _received.Length);
                if (n > 0 && _run == null)
                {
                    Reads++;
                    FramesReceived++;
                    return (int)n;
                }
                if (n > 0)
                {
                    Reads++;
                    if (!_split.Load(_received, TcpSegmentCoalescer.VnetHeaderLength, (int)n))
                        FramesDropped++; // malformed for its vnet header
                    continue;
                }
                int errno = Marshal.GetLastWin32Error();
                if (n < 0 && errno == EINTR)
                    continue;
                if (n < 0 && errno != EAGAIN)
                    FramesDropped++; // e.g. a frame larger than capacity
                Flush(); // the loop has taken every frame: what it sent in reply goes now
                return 0;
            }
            return 0;
        }

        public bool Transmit(byte[] buffer, int offset, int length)
        {
            if (_run == null)
            {
                nint n = write(_fd, ref buffer[offset], length);
                FramesWritten++;
                Writes++;
                return n == length;
            }
            if (length > TcpSegmentCoalescer.MaxFrameLength)
                return false;
            lock (_runLock)
            {
                if (!_run.TryAppend(buffer, offset, length))
                {
                    WriteRun();
                    _run.Start(buffer, offset, length);
                }
                if (_run.IsClosed)
                    WriteRun();
            }
            return true;
        }

        /// <summary>Writes the held run of segments, if any (called at each place the loop looks for frames).</summary>
        public void Flush()
        {
            if (_run == null)
                return;
            lock (_runLock)
                WriteRun();
        }

        private void WriteRun()
        {
            if (_run.IsEmpty)
                return;
            _run.Seal();
            nint n = write(_fd, ref _run.Buffer[0], _run.Length);
            Writes++;
            FramesWritten += _run.Segments;
            if (n != _run.Length)
                FramesTransmitFailed += _run.Segments;
            _run.Clear();
        }

        /// <summary>Blocks until a frame can be read, Interrupt is called or the timeout passes (poll(2));
        /// true when either happened.</summary>
        public bool WaitReadable(int timeoutMs)
        {
            Flush();
            int ready = timeoutMs > 0 && BusyPollMicroseconds > 0 ? Spin(Math.Min(BusyPollMicroseconds, timeoutMs * 1000L)) : 0;
            if (ready == 0)
            {
                _poll[0].Revents = _poll[1].Revents = 0;
                ready = poll(_poll, _wakeFd >= 0 ? 2u : 1u, timeoutMs);
            }
            if (ready > 0 && (_poll[1].Revents & POLLIN) != 0)
                read(_wakeFd, ref _eventCount[0], 8); // drain: the next wait blocks again
            return ready > 0;
        }

        /// <summary>How long WaitReadable looks for a frame without sleeping before it blocks in poll(2), as Linux's
        /// net.core.busy_poll does for sockets (ip-sysctl.rst recommends 50 to 100 us): a reply's next frame then
        /// costs no wake-up of a sleeping thread (on an idle VM, tens of microseconds each). 0: block at once.
        /// 100 us: on the 2-core build VM, 100 held the connection rate best (50 and 200 less; see the README).</summary>
        public int BusyPollMicroseconds { get; set; } = DefaultBusyPollMicroseconds;

        public const int DefaultBusyPollMicroseconds = 100;

        private int Spin(long microseconds)
        {
            long until = Stopwatch.GetTimestamp() + microseconds * Stopwatch.Frequency / 1_000_000;
            do
            {
                _poll[0].Revents = _poll[1].Revents = 0;
                int ready = poll(_poll, _wakeFd >= 0 ? 2u : 1u, 0);
                if (ready != 0)
                    return ready;
            } while (Stopwatch.GetTimestamp() < until);
            return 0;
        }

        /// <summary>Ends a WaitReadable in progress on another thread, or the next one if none is (eventfd).</summary>
        public void Interrupt()
        {
            write(_wakeFd, ref _eventOne[0], 8);
        }

        public void Dispose()
        {
            Flush();
            close(_fd);
            if (_wakeFd >= 0)
                close(_wakeFd);
        }

        private static byte[] InterfaceRequest(string name, short flags)
        {
            var request = new byte[40]; // struct ifreq: char ifr_name[16]; short ifr_flags; padding
            Encoding.ASCII.GetBytes(name, 0, name.Length, request, 0);
            BitConverter.TryWriteBytes(request.AsSpan(16), flags);
            return request;
        }

        private static void BringUp(string name)
        {
            int s = socket(2 /* AF_INET */, 2 /* SOCK_DGRAM */, 0);
            if (s < 0)
                return;
            try
            {
                byte[] request = InterfaceRequest(name, 0);
                if (ioctl(s, SIOCGIFFLAGS, request) < 0)
                    return;
                short flags = BitConverter.ToInt16(request, 16);
                BitConverter.TryWriteBytes(request.AsSpan(16), (short)(flags | IFF_UP | IFF_RUNNING));
                ioctl(s, SIOCSIFFLAGS, request);
            }
            finally
            {
                close(s);
            }
        }
    }
}
