namespace NanoTcp.Tcp
{
    /// <summary>Which remote addresses are one sender for the slot policy's per-peer limit (TcpEngine.Slots):
    /// the stack groups on-link addresses whose frames come from one MAC, so a host that spoofs or owns many
    /// addresses on the LAN counts once. Without one, each address is a peer of its own.</summary>
    public interface ITcpPeerGrouping
    {
        /// <summary>Is remoteAddress, whose segment is being handled, sent by the same host as the remote
        /// address of an existing connection?</summary>
        bool IsSameSender(uint remoteAddress, uint connectionRemoteAddress);
    }
}
