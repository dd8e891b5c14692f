using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit;

namespace NanoTcp.Tests.Build
{
    /// <summary>The device build files (.nfproj, packages.config, nf.proj) cannot be built here; these checks keep them true.</summary>
    public sealed class DeviceBuildFilesTests
    {
        // NANOFRAMEWORK.md, "Package versions to reference (stable)".
        private static readonly Dictionary<string, string> s_versions = new()
        {
            ["nanoFramework.CoreLibrary"] = "1.17.11",
            ["nanoFramework.Hardware.Esp32"] = "1.6.42",
            ["nanoFramework.System.Threading"] = "1.1.52",
            ["nanoFramework.TestFramework"] = "3.0.80",
            ["nanoFramework.System.Device.Spi"] = "1.3.89",
            ["nanoFramework.System.Device.Gpio"] = "1.1.62",
            ["nanoFramework.Runtime.Events"] = "1.11.39",
            ["nanoFramework.Runtime.Native"] = "1.7.11",
        };

        private static IEnumerable<string> Files(string pattern) =>
            Directory.GetFiles(RepoLayout.Root, pattern, SearchOption.AllDirectories)
                .Where(f => !f.Contains("/bin/") && !f.Contains("/obj/") && !f.Contains("/packages/"));

        [Fact]
        public void PackagesConfigsNameTheStableVersions()
        {
            var configs = Files("packages.config").ToList();
            Assert.NotEmpty(configs);
            foreach (string config in configs)
            {
                foreach (var package in XDocument.Load(config).Root.Elements("package"))
                {
                    string id = (string)package.Attribute("id");
                    Assert.True(s_versions.ContainsKey(id), $"{config}: {id} is not a package named in NANOFRAMEWORK.md");
                    Assert.Equal(s_versions[id], (string)package.Attribute("version"));
                    Assert.Equal("netnano1.0", (string)package.Attribute("targetFramework"));
                }
            }
        }

        [Fact]
        public void EveryNfprojHintPathIsInItsPackagesConfig()
        {
            var projects = Files("*.nfproj").ToList();
            Assert.True(projects.Count >= 4, "expected the .nfproj of Stack, Boards, Boards.Esp32 and Firmware");
            foreach (string project in projects)
            {
                string text = File.ReadAllText(project);
                Assert.Contains("{11A8DD76-328B-46DF-9F39-F559912D0360}", text);
                string config = Path.Combine(Path.GetDirectoryName(project), "packages.config");
                Assert.True(File.Exists(config), project + " has no packages.config beside it");
                var declared = XDocument.Load(config).Root.Elements("package")
                    .Select(p => (string)p.Attribute("id") + "." + (string)p.Attribute("version")).ToHashSet();
                foreach (Match hint in Regex.Matches(text, @"\$\(NanoPackagesDir\)([^\\]+)\\lib\\"))
                    Assert.True(declared.Contains(hint.Groups[1].Value), $"{project}: {hint.Groups[1].Value} is not in {config}");
            }
        }

        [Fact]
        public void NfProjSaysWhatIsMissingWithoutTheNanoFrameworkToolchain()
        {
            var start = new ProcessStartInfo("dotnet", "msbuild nf.proj -nologo -p:NanoFrameworkProjectSystemPath=/nonexistent/")
            {
                WorkingDirectory = RepoLayout.Root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(start);
            string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.NotEqual(0, process.ExitCode);
            Assert.Contains("nanoFramework project system was not found", output);
        }
    }
}
