using System;
using NanoTcp.Boards.Desktop;
using NanoTcp.Firmware.Services;
using NanoTcp.Http;
using NanoTcp.Link;
using NanoTcp.Mdns;
using NanoTcp.Scenarios;
using NanoTcp.Sntp;
using NanoTcp.Sockets;

namespace NanoTcp.Benchmarks
{
    /// <summary>RAM each of h15b's application components takes on top of the stack at its default
    /// configuration: bytes allocated by its constructor (host measurement, .NET object headers), after a
    /// warm-up construction so type loading is not counted. `-- --app-footprint` prints only these rows.</summary>
    public static class AppFootprint
    {
        public const string Flag = "--app-footprint";

        public static int Run()
        {
            Console.WriteLine("component (default configuration)            bytes at construction");
            for (int pass = 0; pass < 2; pass++)
            {
                bool print = pass == 1;
                Measure(print, "SNTP client (SntpConfig)", stack => new SntpClient(stack, new SntpConfig(), new SeededRandom(1)));
                Measure(print, "mDNS responder (MdnsConfig)", stack => new MdnsResponder(stack, new MdnsConfig()));
                Measure(print, "HTTP server, 2 sessions (HttpServerConfig)", stack => new HttpServer(stack, 80, new HttpServerConfig()));
                Measure(print, "HTTP client (HttpClientConfig), socket included", stack =>
                    new HttpClient(new SocketFactory(new StackRunner(stack, new VirtualBoardClock())), new HttpClientConfig()));
            }
            return 0;
        }

        private static void Measure(bool print, string name, Func<NetworkStack, object> build)
        {
            INetworkDevice nic = new SimulatedSwitch(1).AddNic("x", "02:00:00:00:00:0c");
            var stack = new NetworkStack(nic, new StackConfig(), new SeededRandom(2));
            stack.Configure(0x0A000002, 0xFFFFFF00, 0, 0);
            long before = GC.GetAllocatedBytesForCurrentThread();
            object built = build(stack);
            long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            GC.KeepAlive(built);
            if (print)
                Console.WriteLine($"{name,-46} {bytes,8} B ({bytes / 1024.0:F1} KB)");
        }
    }
}
