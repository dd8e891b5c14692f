namespace NanoTcp.Host
{
    /// <summary>`serve` and `connect` on a Linux TAP interface.</summary>
    public static class TapCommands
    {
        public static int Serve(Options options) => throw new UsageException("serve: not available yet");

        public static int Connect(Options options) => throw new UsageException("connect: not available yet");
    }
}
