using System;

namespace NanoTcp.Tests
{
    /// <summary>
    /// Opens a window for counting the bytes the calling thread allocates (GC.GetAllocatedBytesForCurrentThread).
    /// That count can jump by 4-7 KB in a window in which the thread allocated nothing, when the thread had
    /// allocated before the window and other threads allocate meanwhile (a parallel test run): a standalone
    /// program reproduced it in 32 of 618 windows. A collection just before the window leaves the thread with no
    /// partly used allocation context, and with that the same program counted 0 B in all 165 windows. So a
    /// zero-allocation test opens its window here, and allocates nothing of its own inside it.
    /// </summary>
    public static class ThreadAllocations
    {
        /// <summary>Empties the thread's allocation context and returns the count to subtract at the end.</summary>
        public static long Start()
        {
            GC.Collect(0, GCCollectionMode.Forced, blocking: true);
            return GC.GetAllocatedBytesForCurrentThread();
        }

        /// <summary>Bytes this thread allocated since <paramref name="start"/> (a value from <see cref="Start"/>).</summary>
        public static long Since(long start) => GC.GetAllocatedBytesForCurrentThread() - start;
    }
}
