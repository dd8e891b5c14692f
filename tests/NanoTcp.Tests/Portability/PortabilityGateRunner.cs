using System.Collections.Generic;
using System.Linq;

namespace NanoTcp.Tests.Portability
{
    public enum GateStatus { Passed, Failed, CouldNotRun }

    public sealed record GateOutcome(GateStatus Status, string Message, IReadOnlyList<AssemblyReport> Reports);

    /// <summary>Runs the gate over a set of assemblies, deciding what a missing API list means.</summary>
    public static class PortabilityGateRunner
    {
        /// <summary>Our own assemblies: references between them are checked where they are defined.</summary>
        public static readonly string[] OwnAssemblies =
            { "NanoTcp.Stack", "NanoTcp.Boards", "NanoTcp.Firmware", "NanoTcp.Boards.Esp32", "NanoTcp.DeviceCheck", "NanoTcp.Scenarios",
              "NanoTcp.Sockets", "NanoTcp.Mqtt", "NanoTcp.Sensor", "NanoTcp.Sntp" };

        public static GateOutcome Run(string apiDirectory, bool underCi, IEnumerable<string> assemblyPaths)
        {
            ApiCatalog api = ApiCatalog.TryLoad(apiDirectory, out string problem);
            if (api == null)
            {
                string message = "portability gate could not run: " + problem +
                                 " (the repository keeps them in device/api; NANOTCP_API_DIR points elsewhere)";
                return underCi
                    ? new GateOutcome(GateStatus.Failed, message + "; under CI=true the gate must run", new List<AssemblyReport>())
                    : new GateOutcome(GateStatus.CouldNotRun, message, new List<AssemblyReport>());
            }

            // The assemblies checked together reference each other: those references are checked where defined.
            var paths = assemblyPaths.ToList();
            var gate = new PortabilityGate(api, OwnAssemblies.Concat(paths.Select(p => System.IO.Path.GetFileNameWithoutExtension(p))));
            var reports = paths.Select(gate.Check).ToList();
            string text = $"portability gate: {api.FileCount} API lists, {api.LineCount} entries" +
                          string.Concat(reports.Select(r => "\n" + r.Format()));
            return new GateOutcome(reports.All(r => r.Passed) ? GateStatus.Passed : GateStatus.Failed, text, reports);
        }
    }
}
