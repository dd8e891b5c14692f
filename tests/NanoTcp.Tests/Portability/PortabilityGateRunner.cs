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
              "NanoTcp.Sockets", "NanoTcp.Mqtt", "NanoTcp.Sensor", "NanoTcp.Sntp", "NanoTcp.Mdns",
              "NanoTcp.Http", "NanoTcp.HttpClient" };

        public static GateOutcome Run(string apiDirectory, bool underCi, IEnumerable<string> assemblyPaths)
        {
            ApiCatalog api = ApiCatalog.TryLoad(apiDirectory, out string problem);
            if (api == null)
            {
                string message = "portability gate could not run: " + problem +
                                 " (it needs ../shared beside the clone, or NANOTCP_API_DIR)";
                return underCi
                    ? new GateOutcome(GateStatus.Failed, message + "; under CI=true the gate must run", new List<AssemblyReport>())
                    : new GateOutcome(GateStatus.CouldNotRun, message, new List<AssemblyReport>());
            }

            var gate = new PortabilityGate(api, OwnAssemblies);
            var reports = assemblyPaths.Select(gate.Check).ToList();
            string text = $"portability gate: {api.FileCount} API lists, {api.LineCount} entries" +
                          string.Concat(reports.Select(r => "\n" + r.Format()));
            return new GateOutcome(reports.All(r => r.Passed) ? GateStatus.Passed : GateStatus.Failed, text, reports);
        }
    }
}
