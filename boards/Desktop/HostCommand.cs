using System.Diagnostics;

namespace NanoTcp.Boards.Desktop
{
    /// <summary>Runs a command of the PC (ip, nsenter, curl, tshark) to completion, for tests and benchmarks that
    /// set up or check the host side of a TAP. Output and errors are read while it runs, so a talkative command
    /// cannot block on a full pipe, and the timeout holds.</summary>
    public static class HostCommand
    {
        public static (int Code, string Output) Run(string file, string arguments, int timeoutMs = 30000)
        {
            var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = Process.Start(start);
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeoutMs))
            {
                process.Kill(true);
                return (-1, stdout.Result + stderr.Result + " (timed out)");
            }
            return (process.ExitCode, stdout.Result + stderr.Result);
        }
    }
}
