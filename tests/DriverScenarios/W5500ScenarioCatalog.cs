// Every W5500 driver and chip-model scenario by name, for runners that cannot discover them by reflection
// alike (xunit theory data on the host, nanoclr on the device interpreter). Driver scenarios run with the
// default board's shipped settings (DevKitC: INT wired, 4 KB bursts, 20 MHz) and, as the variant, with a
// board that polls (M5Stack ATOM PoE: no INT, no RST, 16 MHz); the reset-loop ones also with RST wired.
using NanoTcp.Boards.W5500;
using NanoTcp.Scenarios;

namespace NanoTcp.DriverScenarios
{
    public delegate void BoardScenario(W5500BoardSettings board);

    public static class W5500ScenarioCatalog
    {
        private const int Capacity = 64;
        private static string[] s_names;
        private static BoardScenario[] s_board;
        private static W5500BoardSettings[] s_settings;
        private static Scenario[] s_plain;
        private static int s_count;

        public static int Count { get { Build(); return s_count; } }
        public static string NameAt(int index) { Build(); return s_names[index]; }

        /// <summary>Runs the named scenario (throws ScenarioFailedException when it fails); false when no
        /// scenario has that name.</summary>
        public static bool Run(string name)
        {
            Build();
            for (int i = 0; i < s_count; i++)
            {
                if (string.Equals(s_names[i], name))
                {
                    if (s_plain[i] != null)
                        s_plain[i]();
                    else
                        s_board[i](s_settings[i]);
                    return true;
                }
            }
            return false;
        }

        private static void Build()
        {
            if (s_names != null)
                return;
            s_names = new string[Capacity];
            s_board = new BoardScenario[Capacity];
            s_settings = new W5500BoardSettings[Capacity];
            s_plain = new Scenario[Capacity];
            s_count = 0;
            W5500BoardSettings devKitC = W5500BoardSettings.DevKitC;
            W5500BoardSettings polling = W5500BoardSettings.M5StackAtomPoe;
            W5500BoardSettings resetWired = W5500BoardSettings.LilyGoTEthLiteS3;

            Both("InitializesTheChipInMacRaw", W5500DriverScenarios.InitializesTheChipInMacRaw, devKitC, polling);
            Both("ACorruptLengthHeaderIsDrainedAndTrafficGoesOn", W5500DriverScenarios.ACorruptLengthHeaderIsDrainedAndTrafficGoesOn, devKitC, polling);
            Both("AFullReceiveBufferDropsFramesUntilItEmpties", W5500DriverScenarios.AFullReceiveBufferDropsFramesUntilItEmpties, devKitC, polling);
            Both("ALinkLossNeverStartsAResetLoop", W5500DriverScenarios.ALinkLossNeverStartsAResetLoop, devKitC, polling);
            Add("LilyGo.ALinkLossNeverStartsAResetLoop", W5500DriverScenarios.ALinkLossNeverStartsAResetLoop, resetWired);
            Both("QueuedFramesAreReadWithoutWaitingForTheInterruptAgain", W5500DriverScenarios.QueuedFramesAreReadWithoutWaitingForTheInterruptAgain, devKitC, polling);
            Both("AChipThatResetItselfIsNoticedWithoutASend", W5500DriverScenarios.AChipThatResetItselfIsNoticedWithoutASend, devKitC, polling);
            Both("ADeadBusIsAnAbsentChipAndCostsNoTimeouts", W5500DriverScenarios.ADeadBusIsAnAbsentChipAndCostsNoTimeouts, devKitC, polling);
            Both("ASendRightAfterARecvWaitsForSnCrToClear", W5500DriverScenarios.ASendRightAfterARecvWaitsForSnCrToClear, devKitC, polling);
            Both("TheSizeReadIsBoundedWhileFramesStreamIn", W5500DriverScenarios.TheSizeReadIsBoundedWhileFramesStreamIn, devKitC, polling);
            Both("NoSpiTransactionIsLongerThan16384Bytes", W5500DriverScenarios.NoSpiTransactionIsLongerThan16384Bytes, devKitC, polling);
            Both("ASlowSendOnHalfDuplexDropsAFrameAndNeverResets", W5500DriverScenarios.ASlowSendOnHalfDuplexDropsAFrameAndNeverResets, devKitC, polling);
            Both("SendsStopWhileTheLinkIsDownAndResumeWhenItIsBack", W5500DriverScenarios.SendsStopWhileTheLinkIsDownAndResumeWhenItIsBack, devKitC, polling);
            Both("ASendThatNeverCompletesIsFreedByReopeningTheSocket", W5500DriverScenarios.ASendThatNeverCompletesIsFreedByReopeningTheSocket, devKitC, polling);
            Both("FramesArrivingInsideTransactionsAreReadIntact", W5500DriverScenarios.FramesArrivingInsideTransactionsAreReadIntact, devKitC, polling);
            Both("AFrameArrivingMidReceiveIsReadOnTheNextBurst", W5500DriverScenarios.AFrameArrivingMidReceiveIsReadOnTheNextBurst, devKitC, polling);
            Both("FramesStayWholeWhileThePointersWrapAt16Bits", W5500DriverScenarios.FramesStayWholeWhileThePointersWrapAt16Bits, devKitC, polling);
            Both("FramesReadAreGivenBackByAQuarterOfTheMemoryAndWithin100ms", W5500DriverScenarios.FramesReadAreGivenBackByAQuarterOfTheMemoryAndWithin100ms, devKitC, polling);
            Both("AStuckSnCrDoesNotHoldTheSupervisionInALoop", W5500DriverScenarios.AStuckSnCrDoesNotHoldTheSupervisionInALoop, devKitC, polling);
            Both("EachSendWaitsForThePreviousOneToComplete", W5500DriverScenarios.EachSendWaitsForThePreviousOneToComplete, devKitC, polling);
            Both("ALoneFrameReachesTheStackWithinItsSpiTimePlus1ms", W5500TimingScenarios.ALoneFrameReachesTheStackWithinItsSpiTimePlus1ms, devKitC, polling);
            Both("TheFirstFrameLeavesWithin100msOfAutoNegotiation", W5500TimingScenarios.TheFirstFrameLeavesWithin100msOfAutoNegotiation, devKitC, polling);
            Add("LilyGo.TheFirstFrameLeavesWithin100msOfAutoNegotiation", W5500TimingScenarios.TheFirstFrameLeavesWithin100msOfAutoNegotiation, resetWired);

            Add("Chip.TheMacRawFilterFollowsTheDatasheet", W5500ChipModelScenarios.TheMacRawFilterFollowsTheDatasheet);
            Add("Chip.TheReceiveInterruptIsALatch", W5500ChipModelScenarios.TheReceiveInterruptIsALatch);
            Add("Chip.SnCrHoldsACommandUntilItIsTaken", W5500ChipModelScenarios.SnCrHoldsACommandUntilItIsTaken);
            Add("Chip.ThePhyRenegotiatesAfterAResetOrACable", W5500ChipModelScenarios.ThePhyRenegotiatesAfterAResetOrACable);
            Add("Chip.ARegisterReadMidUpdateIsTorn", W5500ChipModelScenarios.ARegisterReadMidUpdateIsTorn);
            Add("Chip.ADeadBusReadsAllOnes", W5500ChipModelScenarios.ADeadBusReadsAllOnes);
        }

        private static void Both(string name, BoardScenario scenario, W5500BoardSettings shipped, W5500BoardSettings polling)
        {
            Add(string.Concat("DevKitC.", name), scenario, shipped);
            Add(string.Concat("Polling.", name), scenario, polling);
        }

        private static void Add(string name, BoardScenario scenario, W5500BoardSettings board)
        {
            s_names[s_count] = name;
            s_board[s_count] = scenario;
            s_settings[s_count] = board;
            s_count++;
        }

        private static void Add(string name, Scenario scenario)
        {
            s_names[s_count] = name;
            s_plain[s_count] = scenario;
            s_count++;
        }
    }
}
