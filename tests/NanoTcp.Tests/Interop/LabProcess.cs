using System.Diagnostics;
using System.IO;

namespace NanoTcp.Tests.Interop
{
    /// <summary>The Linux-side servers interop labs start (chronyd, dnsmasq, Python's http.server): started
    /// with their output kept in a log (or dropped), stopped by their own process handle.</summary>
    public static class LabProcess
    {
        public static Process Start(string program, string arguments, string log = null)
        {
            var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true });
            var writer = log != null ? new StreamWriter(log) { AutoFlush = true } : null;
            process.OutputDataReceived += (_, e) => { if (e.Data != null && writer != null) lock (writer) writer.WriteLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data != null && writer != null) lock (writer) writer.WriteLine(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return process;
        }

        public static void Stop(params Process[] processes)
        {
            foreach (var p in processes)
            {
                if (p != null && !p.HasExited)
                {
                    p.Kill();
                    p.WaitForExit(2000);
                }
                p?.Dispose();
            }
        }
    }
}
