using System;
using System.IO;

namespace NanoTcp.Tests
{
    /// <summary>Where the repository and ../shared are, seen from the test binaries.</summary>
    public static class RepoLayout
    {
        public static string Root { get; } = FindRoot();

        /// <summary>../shared/nanoframework/api beside the clone, or NANOTCP_API_DIR when set.</summary>
        public static string ApiDirectory =>
            Environment.GetEnvironmentVariable("NANOTCP_API_DIR")
            ?? Path.GetFullPath(Path.Combine(Root, "..", "shared", "nanoframework", "api"));

        public static bool UnderCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

        public static string TestResults
        {
            get
            {
                string dir = Path.Combine(Root, "TestResults");
                Directory.CreateDirectory(dir);
                return dir;
            }
        }

        private static string FindRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "nanoTcp.sln")))
                    return dir.FullName;
            }
            throw new InvalidOperationException("nanoTcp.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
