// Entry point of the device test program: every suite in DeviceSuites, then the verdict line.
using System;

namespace NanoTcp.DeviceTests
{
    public static class Program
    {
        public static void Main()
        {
            var runner = new SuiteRunner();
            DeviceSuites.AddAll(runner);
            runner.RunAll(null);
            Console.WriteLine(string.Concat(runner.Passed.ToString(), " passed, ", runner.Failed.ToString(), " failed"));
        }
    }
}
