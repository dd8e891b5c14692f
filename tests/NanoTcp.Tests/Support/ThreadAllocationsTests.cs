using Xunit;

namespace NanoTcp.Tests
{
    public class ThreadAllocationsTests
    {
        [Fact]
        public void AWindowCountsWhatTheThreadAllocatesInIt()
        {
            long start = ThreadAllocations.Start();
            byte[] kept = new byte[1000];
            long counted = ThreadAllocations.Since(start);
            Assert.Equal(1000, kept.Length);
            Assert.InRange(counted, 1000, 1100); // the array's bytes and its header, not the collection's work
        }

        [Fact]
        public void AWindowWithNoAllocationCountsNothing()
        {
            var junk = new object[16];
            for (int i = 0; i < junk.Length; i++) junk[i] = new byte[100]; // a partly used allocation context
            long start = ThreadAllocations.Start();
            int sum = 0;
            for (int i = 0; i < 1000; i++) sum += i;
            Assert.Equal(0, ThreadAllocations.Since(start));
            Assert.Equal(499500, sum);
        }
    }
}
