using System;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace NanoTcp.Boards.Desktop
{
    /// <summary>The PC's cryptographic RNG as the stack's random seam (ISN secrets, cookies, DNS ids).</summary>
    public sealed class HostRandom : IRandomSource
    {
        public uint NextUInt32()
        {
            Span<byte> bytes = stackalloc byte[4];
            RandomNumberGenerator.Fill(bytes);
            return BinaryPrimitives.ReadUInt32LittleEndian(bytes);
        }
    }
}
