namespace NanoTcp.Wire
{
    /// <summary>Checks a caller's (buffer, offset, length) range before a parser trusts it.</summary>
    internal static class Bounds
    {
        public static bool Valid(byte[] buffer, int offset, int length)
        {
            return buffer != null && offset >= 0 && length >= 0 && length <= buffer.Length - offset;
        }
    }
}
