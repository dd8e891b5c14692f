namespace NanoTcp
{
    /// <summary>Randomness for the stack (ISN secrets, SYN cookie secret, ephemeral ports, DNS ids): the
    /// hardware RNG on the device, a seeded generator in tests (ARCHITECTURE.md "stack/ knows no ... OS").</summary>
    public interface IRandomSource
    {
        uint NextUInt32();
    }
}
