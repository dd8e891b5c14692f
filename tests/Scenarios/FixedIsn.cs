using NanoTcp.Tcp;

namespace NanoTcp.Scenarios
{
    /// <summary>A fixed initial sequence number, so scenarios can state exact segments.</summary>
    public sealed class FixedIsn : IInitialSequenceNumbers
    {
        public uint Value;

        public FixedIsn(uint value)
        {
            Value = value;
        }

        public uint Next(uint localAddress, int localPort, uint remoteAddress, int remotePort, long nowMs)
        {
            return Value;
        }
    }
}
