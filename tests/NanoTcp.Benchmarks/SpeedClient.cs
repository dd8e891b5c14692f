using System;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using NanoTcp.Firmware.Services;

namespace NanoTcp.Benchmarks
{
    /// <summary>The one Linux client of the speed rows (issue 12 point 5): the kernel's sockets, the same code
    /// against every server, so only the server differs. Each measure returns seconds or a rate.</summary>
    internal static class SpeedClient
    {
        private const int TimeoutMs = 60000;
        private static readonly byte[] Payload = LinuxComparison.Chargen;

        private const int SolIp = 0, IpBindAddressNoPort = 24; // <linux/in.h>

        private static Socket Connect(string address, int port, IPAddress from = null)
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = TimeoutMs, SendTimeout = TimeoutMs };
            if (from != null)
            {
                // IP_BIND_ADDRESS_NO_PORT (Linux 4.2, ip(7)): the port is picked at connect, for this 4-tuple.
                // A bind to port 0 picks it alone, searching past every TIME_WAIT socket of that address: after
                // tens of thousands of connections that search, not the server, set the rate (3.3 ms per connect).
                s.SetRawSocketOption(SolIp, IpBindAddressNoPort, BitConverter.GetBytes(1));
                s.Bind(new IPEndPoint(from, 0));
            }
            s.Connect(IPAddress.Parse(address), port);
            return s;
        }

        /// <summary>Sends total bytes to discard; the clock stops when the server closed after taking them all.</summary>
        public static double Discard(string address, int port, long total)
        {
            using Socket s = Connect(address, port);
            var watch = Stopwatch.StartNew();
            for (long sent = 0; sent < total;)
                sent += s.Send(Payload, 0, (int)Math.Min(Payload.Length, total - sent), SocketFlags.None);
            s.Shutdown(SocketShutdown.Send);
            if (s.Receive(new byte[16]) != 0)
                throw new Exception("discard sent data");
            return watch.Elapsed.TotalSeconds;
        }

        /// <summary>Reads total chargen bytes, each checked against RFC 864's pattern.</summary>
        public static double Chargen(string address, int port, long total)
        {
            using Socket s = Connect(address, port);
            var buffer = new byte[65536];
            var watch = Stopwatch.StartNew();
            for (long received = 0; received < total;)
            {
                int n = s.Receive(buffer, 0, (int)Math.Min(buffer.Length, total - received), SocketFlags.None);
                if (n == 0)
                    throw new Exception("chargen closed early");
                for (int k = 0; k < n;)
                {
                    int at = (int)((received + k) % FirmwareServices.ChargenCycle);
                    int run = Math.Min(n - k, Payload.Length - at);
                    if (!buffer.AsSpan(k, run).SequenceEqual(Payload.AsSpan(at, run)))
                        throw new Exception("chargen bytes differ from the pattern");
                    k += run;
                }
                received += n;
            }
            return watch.Elapsed.TotalSeconds;
        }

        /// <summary>Sends total bytes to echo from a second thread while reading them back, checked; seconds
        /// until the last byte came back.</summary>
        public static double Echo(string address, int port, long total)
        {
            using Socket s = Connect(address, port);
            Exception failed = null;
            var watch = Stopwatch.StartNew();
            var writer = new Thread(() =>
            {
                try
                {
                    for (long sent = 0; sent < total;)
                    {
                        int at = (int)(sent % FirmwareServices.ChargenCycle);
                        sent += s.Send(Payload, at, (int)Math.Min(Payload.Length - at, total - sent), SocketFlags.None);
                    }
                }
                catch (Exception e) { failed = e; }
            });
            writer.Start();
            var buffer = new byte[65536];
            for (long received = 0; received < total;)
            {
                int n = s.Receive(buffer, 0, (int)Math.Min(buffer.Length, total - received), SocketFlags.None);
                if (n == 0)
                    throw new Exception("echo closed early");
                int at = (int)(received % FirmwareServices.ChargenCycle);
                for (int k = 0; k < n;)
                {
                    int run = Math.Min(n - k, Payload.Length - at);
                    if (!buffer.AsSpan(k, run).SequenceEqual(Payload.AsSpan(at, run)))
                        throw new Exception("echoed bytes differ from those sent");
                    k += run;
                    at = (at + run) % FirmwareServices.ChargenCycle;
                }
                received += n;
            }
            double seconds = watch.Elapsed.TotalSeconds;
            writer.Join();
            if (failed != null)
                throw failed;
            return seconds;
        }

        /// <summary>One client at a time for the given time: open, 100 bytes to echo and back, the client closes
        /// first (so it holds TIME_WAIT), source addresses rotating so it never runs out of ports. Per second.</summary>
        public static double ConnectionsPerSecond(string address, int port, IPAddress[] sources, double seconds)
        {
            double? fromC = ConnectRateClient.Run(address, port, sources, seconds);
            if (fromC != null)
                return fromC.Value;
            var request = new byte[100];
            var reply = new byte[100];
            new Random(100).NextBytes(request);
            int done = 0;
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed.TotalSeconds < seconds)
            {
                using (Socket s = Connect(address, port, sources[done % sources.Length]))
                {
                    s.Send(request);
                    for (int got = 0, n; got < reply.Length; got += n)
                        if ((n = s.Receive(reply, got, reply.Length - got, SocketFlags.None)) == 0)
                            throw new Exception("echo closed early");
                    if (!reply.AsSpan().SequenceEqual(request))
                        throw new Exception("echoed bytes differ");
                }
                done++;
            }
            return done / watch.Elapsed.TotalSeconds;
        }
    }
}
