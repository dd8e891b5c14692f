using System;
using System.IO;
using System.Linq;

namespace NanoTcp.Tests
{
    /// <summary>Where the repository and ../shared are, seen from the test binaries.</summary>
    public static class RepoLayout
    {
        public static string Root { get; } = FindRoot();

        /// <summary>The repository's copy of the nanoFramework API lists (device/api), or NANOTCP_API_DIR when set.</summary>
        public static string ApiDirectory =>
            Environment.GetEnvironmentVariable("NANOTCP_API_DIR")
            ?? Path.Combine(Root, "device", "api");

        /// <summary>The portable assemblies compiled against nanoFramework's mscorlib (device/*.nf.csproj and
        /// tests/Device), in the configuration this test assembly was built in.</summary>
        public static string DeviceBinaries => Path.Combine(Root, "device", "bin", BuildConfiguration);

        private static string BuildConfiguration =>
            typeof(RepoLayout).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
                .Cast<System.Reflection.AssemblyMetadataAttribute>()
                .Where(a => a.Key == "Configuration").Select(a => a.Value).FirstOrDefault() ?? "Debug";

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
