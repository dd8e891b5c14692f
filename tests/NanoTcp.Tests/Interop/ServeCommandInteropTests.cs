using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using NanoTcp.Boards.Desktop;
using Xunit;

namespace NanoTcp.Tests.Interop
{
    /// <summary>`nanotcp serve --device w5500` as a user runs it: the kernel talks through the TAP to the
    /// firmware's W5500 driver over the register-level simulator; SIGTERM ends it with exit 0.</summary>
    [Trait("Category", "Interop")]
    public sealed class ServeCommandInteropTests
    {
        [SkippableFact]
        public void ServeOnASimulatedW5500AnswersLinuxAndStopsCleanly()
        {
            string why = TapLab.WhyNot();
            Skip.If(why != null, why);
            string nanotcp = Path.Combine(AppContext.BaseDirectory, "nanotcp.dll");
            var start = new ProcessStartInfo("dotnet", $"\"{nanotcp}\" serve --tap nt3 --ip 10.80.0.2/24 --device w5500")
            { RedirectStandardOutput = true, RedirectStandardError = true };
            using var serve = Process.Start(start);
            var output = new StringBuilder();
            var ready = new ManualResetEventSlim();
            serve.OutputDataReceived += (_, e) => { if (e.Data == null) return; lock (output) output.AppendLine(e.Data); if (e.Data.StartsWith("ready")) ready.Set(); };
            serve.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
            serve.BeginOutputReadLine();
            serve.BeginErrorReadLine();
            try
            {
                Assert.True(ready.Wait(30000), "no 'ready': " + output);
                HostCommand.Run("ip", "addr add 10.80.0.1/24 dev nt3");
                var (code, page) = HostCommand.Run("curl", "-s -m 10 http://10.80.0.2/");
                Assert.True(code == 0, page + output);
                Assert.Contains("nanoTcp status", page);
                using (var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 10000 })
                {
                    s.Connect(new IPEndPoint(IPAddress.Parse("10.80.0.2"), 7));
                    var data = new byte[20000];
                    new Random(7).NextBytes(data);
                    s.Send(data);
                    s.Shutdown(SocketShutdown.Send);
                    var back = new byte[data.Length];
                    int got = 0, n;
                    while (got < back.Length && (n = s.Receive(back, got, back.Length - got, SocketFlags.None)) > 0)
                        got += n;
                    Assert.Equal(data, back);
                }
            }
            finally
            {
                HostCommand.Run("kill", $"-TERM {serve.Id}");
                Assert.True(serve.WaitForExit(15000), "serve did not stop on SIGTERM: " + output);
                serve.WaitForExit(); // with a timeout it does not wait for the last output lines; this does
            }
            Assert.Equal(0, serve.ExitCode);
            Assert.Contains("W5500:", output.ToString());
        }
    }
}
