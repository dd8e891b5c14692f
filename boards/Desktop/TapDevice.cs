using System;
using System.Runtime.InteropServices;
using System.Text;
using NanoTcp.Link;

namespace NanoTcp.Boards.Desktop
{
    /// <summary>
    /// A Linux TAP interface (/dev/net/tun, IFF_TAP | IFF_NO_PI) as an INetworkDevice: our stack is the
    /// host at the far end of the virtual cable, the kernel the near end. Created if absent and brought
    /// up; the caller gives the kernel's side its address. Needs root or CAP_NET_ADMIN.
    /// </summary>
    public sealed class TapDevice : INetworkDevice, IDisposable
    {
        private const int O_RDWR = 2, O_NONBLOCK = 0x800, EAGAIN = 11, EINTR = 4;
        private const short IFF_TAP = 0x0002, IFF_NO_PI = 0x1000, IFF_UP = 0x1, IFF_RUNNING = 0x40;
        private const uint TUNSETIFF = 0x400454CA, SIOCGIFFLAGS = 0x8913, SIOCSIFFLAGS = 0x8914;
        private const short POLLIN = 1;

        private readonly int _fd;
        private readonly byte[] _mac = new byte[6];
        private readonly PollFd[] _poll = new PollFd[2]; // the TAP, and the eventfd Interrupt writes
        private readonly int _wakeFd;
        private readonly byte[] _eventCount = new byte[8];
        private readonly byte[] _eventOne = { 1, 0, 0, 0, 0, 0, 0, 0 };

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
        [DllImport("libc", SetLastError = true)] private static extern nint read(int fd, ref byte buffer, nint count);
        [DllImport("libc", SetLastError = true)] private static extern nint write(int fd, ref byte buffer, nint count);
        [DllImport("libc", SetLastError = true)] private static extern int socket(int domain, int type, int protocol);
        [DllImport("libc", SetLastError = true)] private static extern int poll([In, Out] PollFd[] fds, nuint count, int timeoutMs);
        [DllImport("libc", SetLastError = true)] private static extern int eventfd(uint initial, int flags);

        public TapDevice(string name, byte[] mac)
        {
            if (name.Length == 0 || name.Length > 15)
                throw new ArgumentException("interface names are 1 to 15 characters", nameof(name));
            Name = name;
            Array.Copy(mac, _mac, 6);
            _fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK);
            if (_fd < 0)
                throw new InvalidOperationException($"cannot open /dev/net/tun (errno {Marshal.GetLastWin32Error()}): TAP needs Linux with the tun module, and root or CAP_NET_ADMIN");
            byte[] request = InterfaceRequest(name, (short)(IFF_TAP | IFF_NO_PI));
            if (ioctl(_fd, TUNSETIFF, request) < 0)
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
        }

        public string Name { get; }
        public int Mtu => 1500;
        public bool IsLinkUp => true;
        public long FramesDropped { get; private set; }

        public void CopyMacAddress(byte[] destination, int offset) => Array.Copy(_mac, 0, destination, offset, 6);

        public int Receive(byte[] buffer, int offset, int capacity)
        {
            while (true)
            {
                nint n = read(_fd, ref buffer[offset], capacity);
                if (n > 0)
                    return (int)n;
                int errno = Marshal.GetLastWin32Error();
                if (n < 0 && errno == EINTR)
                    continue;
                if (n < 0 && errno != EAGAIN)
                    FramesDropped++; // e.g. a frame larger than capacity
                return 0;
            }
        }

        public bool Transmit(byte[] buffer, int offset, int length)
        {
            nint n = write(_fd, ref buffer[offset], length);
            return n == length;
        }

        /// <summary>Blocks until a frame can be read, Interrupt is called or the timeout passes (poll(2));
        /// true when either happened.</summary>
        public bool WaitReadable(int timeoutMs)
        {
            _poll[0].Revents = _poll[1].Revents = 0;
            int ready = poll(_poll, _wakeFd >= 0 ? 2u : 1u, timeoutMs);
            if (ready > 0 && (_poll[1].Revents & POLLIN) != 0)
                read(_wakeFd, ref _eventCount[0], 8); // drain: the next wait blocks again
            return ready > 0;
        }

        /// <summary>Ends a WaitReadable in progress on another thread, or the next one if none is (eventfd).</summary>
        public void Interrupt()
        {
            write(_wakeFd, ref _eventOne[0], 8);
        }

        public void Dispose()
        {
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
