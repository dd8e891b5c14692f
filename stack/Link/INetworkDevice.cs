// The one seam between the stack and a NIC (ARCHITECTURE.md "The seams"): raw Ethernet II frames
// without FCS, in and out through caller-owned buffers. Decorators (pcap, faults, tracing) wrap it.
namespace NanoTcp.Link
{
    /// <summary>An Ethernet interface that moves whole frames (destination MAC first, no FCS).</summary>
    public interface INetworkDevice
    {
        /// <summary>Copies the interface's 6-byte MAC address into <paramref name="destination"/>.</summary>
        void CopyMacAddress(byte[] destination, int offset);

        /// <summary>Largest IP packet the link carries (1500 for Ethernet).</summary>
        int Mtu { get; }

        /// <summary>True while the physical link is up.</summary>
        bool IsLinkUp { get; }

        /// <summary>Copies the next received frame into buffer[offset..]; returns its length, 0 when none is waiting.
        /// A frame longer than <paramref name="capacity"/> is dropped by the device, never truncated.</summary>
        int Receive(byte[] buffer, int offset, int capacity);

        /// <summary>Queues one frame for transmission; false when the device cannot take it now (it is dropped).</summary>
        bool Transmit(byte[] buffer, int offset, int length);
    }
}
