// A named list of tests (name -> delegate) that any runner walks by index: xunit theory data on the host,
// the device test program (tests/Device) on nanoCLR or a board. No reflection, no generics.
namespace NanoTcp.Scenarios
{
    /// <summary>What a runner needs from a suite: how many tests, their names, and running one.</summary>
    public interface ITestCatalog
    {
        int Count { get; }
        string NameAt(int index);

        /// <summary>Runs the test at index; a failure is an exception (see Check).</summary>
        void RunAt(int index);
    }

    /// <summary>A catalog built with one Add line per test.</summary>
    public sealed class TestCatalog : ITestCatalog
    {
        private string[] _names = new string[16];
        private Scenario[] _tests = new Scenario[16];
        private int _count;

        public int Count { get { return _count; } }
        public string NameAt(int index) { return _names[index]; }
        public void RunAt(int index) { _tests[index](); }

        public TestCatalog Add(string name, Scenario test)
        {
            if (_count == _names.Length)
            {
                string[] names = new string[_count * 2];
                Scenario[] tests = new Scenario[_count * 2];
                System.Array.Copy(_names, names, _count);
                System.Array.Copy(_tests, tests, _count);
                _names = names;
                _tests = tests;
            }
            _names[_count] = name;
            _tests[_count] = test;
            _count++;
            return this;
        }

        /// <summary>Index of the named test; -1 when there is none.</summary>
        public int IndexOf(string name)
        {
            for (int i = 0; i < _count; i++)
            {
                if (string.Equals(_names[i], name))
                    return i;
            }
            return -1;
        }
    }

    /// <summary>ScenarioCatalog (the TCP scenarios) seen as an ITestCatalog.</summary>
    public sealed class TcpScenarioSuite : ITestCatalog
    {
        public int Count { get { return ScenarioCatalog.Count; } }
        public string NameAt(int index) { return ScenarioCatalog.NameAt(index); }
        public void RunAt(int index) { ScenarioCatalog.Run(ScenarioCatalog.NameAt(index)); }
    }
}
