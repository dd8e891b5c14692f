using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using NanoTcp.Boards.Desktop;

namespace NanoTcp.Benchmarks
{
    /// <summary>The connection-rate column's client: tests/ConnectClient/connect_rate.c, built here with gcc, the
    /// same steps as SpeedClient's managed loop (which it replaces when gcc is there) at a fraction of the
    /// client's cost per connection: a capture showed the managed client taking two thirds of each connection's
    /// time, so the column measured the client more than the server.</summary>
    internal static class ConnectRateClient
    {
        private static readonly Lazy<string> Program = new Lazy<string>(Build);

        /// <summary>Which client the column uses, for the rows' text.</summary>
        public static string Name => Program.Value != null ? "C client (tests/ConnectClient)" : "managed client (no gcc)";

        /// <summary>Connections per second, or null when the C client could not be built (the caller falls back).</summary>
        public static double? Run(string address, int port, IPAddress[] sources, double seconds)
        {
            if (Program.Value == null)
                return null;
            string args = $"{address} {port} {seconds.ToString(CultureInfo.InvariantCulture)} " + string.Join(" ", sources.Select(s => s.ToString()));
            var (code, output) = HostCommand.Run(Program.Value, args, (int)(seconds * 1000) + 120_000);
            if (code != 0)
                throw new Exception(output.Trim());
            return double.Parse(output.Trim(), CultureInfo.InvariantCulture);
        }

        private static string Build()
        {
            string source = RepoFile.Find(Path.Combine("tests", "ConnectClient", "connect_rate.c"));
            if (source == null)
                return null;
            string program = Path.Combine(AppContext.BaseDirectory, "connect_rate");
            try
            {
                var (code, _) = HostCommand.Run("gcc", $"-O2 -Wall -o \"{program}\" \"{source}\"", 120_000);
                return code == 0 ? program : null;
            }
            catch (System.ComponentModel.Win32Exception) // no gcc
            {
                return null;
            }
        }
    }
}
