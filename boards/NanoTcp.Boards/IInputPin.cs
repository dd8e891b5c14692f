namespace NanoTcp.Boards
{
    /// <summary>A digital input read by level, such as a chip's active-low interrupt line. Polled, no callback.</summary>
    public interface IInputPin
    {
        bool IsHigh { get; }
    }
}
