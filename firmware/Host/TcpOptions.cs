namespace NanoTcp.Host
{
    /// <summary>The TCP configuration users tune, from `serve` and `demo` options (issue 12 point 3); every
    /// other value stays StackConfig's default, the configuration that ships.</summary>
    public static class TcpOptions
    {
        public static readonly string[] Names = { "--connections", "--send-ring", "--receive-ring" };
        public const string Usage = "[--connections N (1-64, default 4)] [--send-ring BYTES] [--receive-ring BYTES] (256-65535, default 2048)";

        /// <summary>Without window scaling (RFC 7323, not offered) a window is at most 65,535 bytes.</summary>
        private const int MaxRing = 65535, MinRing = 256, MaxConnections = 64;

        public static StackConfig Config(Options options)
        {
            var config = new StackConfig();
            config.Tcp.MaxConnections = options.Number("--connections", config.Tcp.MaxConnections, 1, MaxConnections);
            config.Tcp.SendBufferSize = options.Number("--send-ring", config.Tcp.SendBufferSize, MinRing, MaxRing);
            config.Tcp.ReceiveBufferSize = options.Number("--receive-ring", config.Tcp.ReceiveBufferSize, MinRing, MaxRing);
            return config;
        }

        /// <summary>"4 connections, send ring 2048 B, receive ring 2048 B", as the status page says it.</summary>
        public static string Describe(StackConfig config) =>
            $"{config.Tcp.MaxConnections} connections, send ring {config.Tcp.SendBufferSize} B, receive ring {config.Tcp.ReceiveBufferSize} B";
    }
}
