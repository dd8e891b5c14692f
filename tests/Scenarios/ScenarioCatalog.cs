// Every scenario by name, for runners that cannot discover them by reflection alike (xunit theory data
// on the host, one [TestMethod] per entry on the device).
namespace NanoTcp.Scenarios
{
    public delegate void Scenario();

    public static class ScenarioCatalog
    {
        private static string[] s_names;
        private static Scenario[] s_scenarios;
        private static int s_count;

        public static int Count { get { Build(); return s_count; } }
        public static string NameAt(int index) { Build(); return s_names[index]; }

        /// <summary>Runs the named scenario; false when no scenario has that name.</summary>
        public static bool Run(string name)
        {
            Build();
            for (int i = 0; i < s_count; i++)
            {
                if (string.Equals(s_names[i], name))
                {
                    s_scenarios[i]();
                    return true;
                }
            }
            return false;
        }

        private static void Build()
        {
            if (s_names != null)
                return;
            s_names = new string[128];
            s_scenarios = new Scenario[128];
            s_count = 0;
            Add("Handshake.ActiveOpen", HandshakeScenarios.ActiveOpen);
            Add("Handshake.PassiveOpen", HandshakeScenarios.PassiveOpen);
            Add("Handshake.RetransmittedSynInSynReceivedGetsTheSameSynAck", HandshakeScenarios.RetransmittedSynInSynReceivedGetsTheSameSynAck);
            Add("Handshake.OtherSynInSynReceivedGetsRstAndListenerStays", HandshakeScenarios.OtherSynInSynReceivedGetsRstAndListenerStays);
            Add("Handshake.RstInSynReceivedReturnsToListen", HandshakeScenarios.RstInSynReceivedReturnsToListen);
            Add("Handshake.OldDuplicateSynAckGetsRstAndSynSentStays", HandshakeScenarios.OldDuplicateSynAckGetsRstAndSynSentStays);
            Add("Handshake.SynToClosedPortGetsRstAck", HandshakeScenarios.SynToClosedPortGetsRstAck);
            Add("Handshake.AckToClosedPortGetsRstWithSeqFromAck", HandshakeScenarios.AckToClosedPortGetsRstWithSeqFromAck);
            Add("Handshake.RstToClosedPortIsNotAnswered", HandshakeScenarios.RstToClosedPortIsNotAnswered);
            Add("Handshake.SimultaneousOpen", HandshakeScenarios.SimultaneousOpen);
            Add("Handshake.RstAnsweringOurSynMeansRefused", HandshakeScenarios.RstAnsweringOurSynMeansRefused);
            Add("Handshake.SynRetransmissionsBackOffThenTimeOut", HandshakeScenarios.SynRetransmissionsBackOffThenTimeOut);
            Add("Handshake.MssOptionIsClampedAndHonoured", HandshakeScenarios.MssOptionIsClampedAndHonoured);
        }

        private static void Add(string name, Scenario scenario)
        {
            s_names[s_count] = name;
            s_scenarios[s_count] = scenario;
            s_count++;
        }
    }
}
