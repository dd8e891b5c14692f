using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using NanoTcp.Firmware.Services;

namespace NanoTcp.Benchmarks
{
    /// <summary>The speed rows' Linux anchors (issue 12 point 5), in the veth peer's own namespace: discard,
    /// chargen and echo served by the kernel twice: on the services' ports with SO_RCVBUF/SO_SNDBUF forced to
    /// 2 KB (Linux doubles and clamps them: the values read back are printed), and on port + DefaultOffset
    /// with the kernel's own autotuned buffers.</summary>
    internal static class KernelServers
    {
        public const string PeerFlag = "--speed-peer";
        public const int DefaultOffset = 1000;
        private const int Forced = 2048;

        /// <summary>Prints "listening RCVBUF SNDBUF" (the small servers' buffers as read back), then serves forever.</summary>
        public static int Run()
        {
            int rcv = 0, snd = 0;
            foreach (bool small in new[] { true, false })
            {
                int offset = small ? 0 : DefaultOffset;
                Start(ServicePorts.Discard + offset, small, Discard);
                Start(ServicePorts.Chargen + offset, small, Chargen);
                Socket echo = Start(ServicePorts.Echo + offset, small, Echo);
                if (small)
                {
                    rcv = echo.ReceiveBufferSize;
                    snd = echo.SendBufferSize;
                }
            }
            Console.WriteLine($"listening {rcv} {snd}");
            Console.Out.Flush();
            Thread.Sleep(Timeout.Infinite);
            return 0;
        }

        private static Socket Start(int port, bool small, Action<Socket> serve)
        {
            var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            if (small)
            {
                // Set before listen(2): accepted sockets inherit them.
                listener.ReceiveBufferSize = Forced;
                listener.SendBufferSize = Forced;
            }
            listener.Bind(new IPEndPoint(IPAddress.Any, port));
            listener.Listen(16);
            new Thread(() =>
            {
                while (true)
                {
                    Socket s = listener.Accept();
                    new Thread(() =>
                    {
                        using (s)
                            try { serve(s); }
                            catch (SocketException) { } // the client went away: next connection
                    }) { IsBackground = true }.Start();
                }
            }) { IsBackground = true }.Start();
            return listener;
        }

        private static void Discard(Socket s)
        {
            var sink = new byte[65536];
            while (s.Receive(sink) > 0) { }
        }

        private static void Chargen(Socket s)
        {
            byte[] pattern = LinuxComparison.Chargen; // whole cycles: each send continues the pattern
            while (true)
                s.Send(pattern, 0, FirmwareServices.ChargenCycle * 8, SocketFlags.None);
        }

        private static void Echo(Socket s)
        {
            var buffer = new byte[65536];
            int n;
            while ((n = s.Receive(buffer)) > 0)
                s.Send(buffer, 0, n, SocketFlags.None);
            s.Shutdown(SocketShutdown.Send);
        }
    }
}
