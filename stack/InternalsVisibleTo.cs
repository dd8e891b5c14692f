// The scenario tests read the RFC variables (SND.UNA, RCV.NXT, ...) that the engine keeps as internal
// fields. NFUnitTest is the device test assembly that runs the same scenarios.
using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("NanoTcp.Scenarios")]
[assembly: InternalsVisibleTo("NanoTcp.Tests")]
[assembly: InternalsVisibleTo("NFUnitTest")]
