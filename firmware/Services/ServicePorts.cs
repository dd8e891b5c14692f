namespace NanoTcp.Firmware.Services
{
    /// <summary>The well-known ports of the firmware's services.</summary>
    public static class ServicePorts
    {
        /// <summary>Echo, RFC 862 (TCP and UDP).</summary>
        public const int Echo = 7;

        /// <summary>Discard, RFC 863.</summary>
        public const int Discard = 9;

        /// <summary>Character generator, RFC 864.</summary>
        public const int Chargen = 19;

        /// <summary>HTTP status page.</summary>
        public const int Http = 80;
    }
}
