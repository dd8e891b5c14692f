// Runs catalogs one test at a time and prints one line per test, as run-on-nanoclr.sh and .ci/run read it:
// "PASS suite/name", "FAIL suite/name: why", then "N passed, N failed".
using System;
using NanoTcp.Scenarios;

namespace NanoTcp.DeviceTests
{
    public sealed class SuiteRunner
    {
        private readonly string[] _names = new string[32];
        private readonly ITestCatalog[] _suites = new ITestCatalog[32];
        private int _count;

        public int Passed { get; private set; }
        public int Failed { get; private set; }

        public void Add(string name, ITestCatalog suite)
        {
            _names[_count] = name;
            _suites[_count] = suite;
            _count++;
        }

        /// <summary>Runs every test whose "suite/name" starts with filter (null or empty: all).</summary>
        public void RunAll(string filter)
        {
            for (int s = 0; s < _count; s++)
            {
                ITestCatalog suite = _suites[s];
                for (int i = 0; i < suite.Count; i++)
                {
                    string name = string.Concat(_names[s], "/", suite.NameAt(i));
                    if (filter != null && filter.Length > 0 && !name.StartsWith(filter))
                        continue;
                    RunOne(suite, i, name);
                }
            }
        }

        private void RunOne(ITestCatalog suite, int index, string name)
        {
            string failure = null;
            try
            {
                suite.RunAt(index);
            }
            catch (Exception e)
            {
                failure = string.Concat(e.GetType().FullName, ": ", e.Message);
            }
            if (failure == null)
            {
                Passed++;
                Console.WriteLine(string.Concat("PASS ", name));
            }
            else
            {
                Failed++;
                Console.WriteLine(string.Concat("FAIL ", name, ": ", failure));
            }
        }
    }
}
