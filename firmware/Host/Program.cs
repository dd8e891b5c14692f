using System;

namespace NanoTcp.Host
{
    /// <summary>Entry point of the desktop command `nanotcp`.</summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            string command = args.Length == 0 ? "demo" : args[0];
            switch (command)
            {
                case "help":
                case "--help":
                case "-h":
                    PrintUsage(Console.Out);
                    return 0;
                default:
                    Console.Error.WriteLine($"nanotcp: '{command}' is not available yet (see README.md, status table).");
                    PrintUsage(Console.Error);
                    return 2;
            }
        }

        private static void PrintUsage(System.IO.TextWriter output)
        {
            output.WriteLine("usage: nanotcp [demo | serve | connect | help]");
        }
    }
}
