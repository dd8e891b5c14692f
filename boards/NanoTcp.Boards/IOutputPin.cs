namespace NanoTcp.Boards
{
    /// <summary>A digital output, such as a chip's active-low reset line.</summary>
    public interface IOutputPin
    {
        void Write(bool high);
    }
}
