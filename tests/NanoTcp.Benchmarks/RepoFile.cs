using System;
using System.IO;

namespace NanoTcp.Benchmarks
{
    /// <summary>A file of the repository, found from the benchmark's output folder upwards (the C sources the
    /// benchmark builds with gcc: the lwIP anchor and the connection-rate client).</summary>
    internal static class RepoFile
    {
        public static string Find(string relativePath)
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, relativePath);
                if (File.Exists(candidate))
                    return candidate;
            }
            return null;
        }
    }
}
