// A fixed workload that never changes (FNV-1a over 16 KB, 4 passes), timed beside the transfer in the same run:
// the interpreter's speed on this machine at this moment, so a transfer's time can be read as a ratio.
namespace NanoTcp.DeviceBench
{
    public static class ReferenceWorkload
    {
        private static readonly byte[] s_data = Fill();

        private static byte[] Fill()
        {
            byte[] data = new byte[16384];
            for (int i = 0; i < data.Length; i++) data[i] = (byte)(i * 31 + 7);
            return data;
        }

        public static uint Run()
        {
            uint hash = 2166136261;
            for (int pass = 0; pass < 4; pass++)
            {
                for (int i = 0; i < s_data.Length; i++)
                    hash = (hash ^ s_data[i]) * 16777619;
            }
            return hash;
        }
    }
}
