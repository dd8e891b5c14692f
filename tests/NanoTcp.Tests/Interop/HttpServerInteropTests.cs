using System.Text.RegularExpressions;
using NanoTcp.Boards.Desktop;
using Xunit;

namespace NanoTcp.Tests.Interop
{
    /// <summary>The firmware's status page, served by the HttpServer API, asked by curl from the kernel's side.</summary>
    [Trait("Category", "Interop")]
    public sealed class HttpServerInteropTests
    {
        [SkippableFact]
        public void CurlSeesKeepAliveContentLength404And405()
        {
            string why = TapLab.WhyNot();
            Skip.If(why != null, why);
            using var lab = new TapLab("nthttps", 0x0A9F0001);
            string url = $"http://{lab.StackIp}/";

            // Two URLs in one curl: the second goes over the first's connection (RFC 9112 9.3).
            var (code, output) = HostCommand.Run("curl", $"-s -v -m 10 {url} {url}");
            Assert.True(code == 0, output);
            Assert.Equal(2, Regex.Matches(output, "nanoTcp status").Count);
            Assert.Contains("Re-using existing connection", output);
            Assert.Matches(@"< Content-Length: \d+", output);

            (code, output) = HostCommand.Run("curl", $"-s -m 10 -o /dev/null -w %{{http_code}} http://{lab.StackIp}/nothing-here");
            Assert.Equal("404", output.Trim());

            (code, output) = HostCommand.Run("curl", $"-s -m 10 -i -X POST -d x {url}");
            Assert.StartsWith("HTTP/1.1 405 Method Not Allowed", output);
            Assert.Contains("Allow: GET", output);

            (code, output) = HostCommand.Run("curl", $"-s -m 10 -I {url}");
            Assert.StartsWith("HTTP/1.1 200 OK", output);
            Assert.Matches(@"Content-Length: \d+", output);
            Assert.DoesNotContain("nanoTcp status", output);
        }
    }
}
