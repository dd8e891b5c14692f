namespace NanoTcp.Boards
{
    /// <summary>Called when an input pin changes the way its owner asked for (a chip's interrupt line falling).</summary>
    public delegate void PinEdge();
}
