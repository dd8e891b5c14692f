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
            Add("Handshake.DataBeforeAcceptIsKept", HandshakeScenarios.DataBeforeAcceptIsKept);
            Add("Handshake.RetransmittedSynInSynReceivedGetsTheSameSynAck", HandshakeScenarios.RetransmittedSynInSynReceivedGetsTheSameSynAck);
            Add("Handshake.SynWithFinInListenIsDropped", HandshakeScenarios.SynWithFinInListenIsDropped);
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
            Add("Close.FourWayCloseActiveSide", CloseScenarios.FourWayCloseActiveSide);
            Add("Close.FourWayClosePassiveSide", CloseScenarios.FourWayClosePassiveSide);
            Add("Close.ThreeSegmentClose", CloseScenarios.ThreeSegmentClose);
            Add("Close.SimultaneousCloseThroughClosing", CloseScenarios.SimultaneousCloseThroughClosing);
            Add("Close.FinCarryingData", CloseScenarios.FinCarryingData);
            Add("Close.FinAheadOfAHoleWaitsForTheHole", CloseScenarios.FinAheadOfAHoleWaitsForTheHole);
            Add("Close.HalfCloseKeepsSendingInCloseWait", CloseScenarios.HalfCloseKeepsSendingInCloseWait);
            Add("Close.ShutdownStillReceives", CloseScenarios.ShutdownStillReceives);
            Add("Close.TimeWaitReAcksRetransmittedFinAndRestartsTimer", CloseScenarios.TimeWaitReAcksRetransmittedFinAndRestartsTimer);
            Add("Close.TimeWaitReopenedByHigherSyn", CloseScenarios.TimeWaitReopenedByHigherSyn);
            Add("Close.TimeWaitSynAtTheWindowEdges", CloseScenarios.TimeWaitSynAtTheWindowEdges);
            Add("Close.OldestTimeWaitIsRecycledWhenTheTableIsFull", CloseScenarios.OldestTimeWaitIsRecycledWhenTheTableIsFull);
            Add("Reset.RstAtExactlyRcvNxtResets", ResetScenarios.RstAtExactlyRcvNxtResets);
            Add("Reset.RstInsideTheWindowGetsAChallengeAck", ResetScenarios.RstInsideTheWindowGetsAChallengeAck);
            Add("Reset.RstOutsideTheWindowIsDroppedSilently", ResetScenarios.RstOutsideTheWindowIsDroppedSilently);
            Add("Reset.SynInEstablishedGetsAChallengeAck", ResetScenarios.SynInEstablishedGetsAChallengeAck);
            Add("Reset.UnacceptableAcksGetAChallengeAckAndTheirDataIsDropped", ResetScenarios.UnacceptableAcksGetAChallengeAckAndTheirDataIsDropped);
            Add("Reset.ChallengeAcksAreRateLimited", ResetScenarios.ChallengeAcksAreRateLimited);
            Add("Reset.SegmentWithoutFlagsIsDropped", ResetScenarios.SegmentWithoutFlagsIsDropped);
            Add("Reset.AbortSendsRstAndFreesTheSlot", ResetScenarios.AbortSendsRstAndFreesTheSlot);
            Add("Reset.CloseWithUnreadDataResets", ResetScenarios.CloseWithUnreadDataResets);
            Add("Reset.DataAfterCloseResets", ResetScenarios.DataAfterCloseResets);
            Add("Reset.RstInTimeWaitCloses", ResetScenarios.RstInTimeWaitCloses);
            Add("Transfer.RetransmissionBacksOffToTheCapThenTimesOut", TransferScenarios.RetransmissionBacksOffToTheCapThenTimesOut);
            Add("Transfer.KarnTakesNoSampleFromARetransmission", TransferScenarios.KarnTakesNoSampleFromARetransmission);
            Add("Transfer.FastRetransmitAndNewRenoPartialAck", TransferScenarios.FastRetransmitAndNewRenoPartialAck);
            Add("Transfer.ZeroWindowIsProbedAndSendingResumes", TransferScenarios.ZeroWindowIsProbedAndSendingResumes);
            Add("Transfer.DelayedAckEverySecondFullSegment", TransferScenarios.DelayedAckEverySecondFullSegment);
            Add("Transfer.ReceiverAvoidsSillyWindows", TransferScenarios.ReceiverAvoidsSillyWindows);
            Add("Transfer.NagleHoldsSmallSegmentsWhileDataIsInFlight", TransferScenarios.NagleHoldsSmallSegmentsWhileDataIsInFlight);
            Add("Transfer.KeepAliveProbesThenTimesOut", TransferScenarios.KeepAliveProbesThenTimesOut);
            Add("Transfer.OutOfOrderSegmentsAreReassembled", TransferScenarios.OutOfOrderSegmentsAreReassembled);
            Add("Transfer.OutOfOrderRangesAreBounded", TransferScenarios.OutOfOrderRangesAreBounded);
            Add("Transfer.UrgentDataIsDeliveredInline", TransferScenarios.UrgentDataIsDeliveredInline);
            Add("Transfer.SequenceNumbersWrapAround", TransferScenarios.SequenceNumbersWrapAround);
            Add("Listener.AcceptQueueIsBounded", ListenerScenarios.AcceptQueueIsBounded);
            Add("Listener.FullTableAnswersWithCookiesAndEstablishedGoOn", ListenerScenarios.FullTableAnswersWithCookiesAndEstablishedGoOn);
            Add("Listener.SynFloodCookiesLetALegitimateClientIn", ListenerScenarios.SynFloodCookiesLetALegitimateClientIn);
            Add("Listener.ForgedCookieAckIsReset", ListenerScenarios.ForgedCookieAckIsReset);
            Add("Listener.IsnDependsOnTupleSecretAndClock", ListenerScenarios.IsnDependsOnTupleSecretAndClock);
            Add("Listener.SynCookiesExpireAndBindTheTuple", ListenerScenarios.SynCookiesExpireAndBindTheTuple);
            Add("Correctness.ZeroWindowProbeIsAnsweredWithAnAck", CorrectnessScenarios.ZeroWindowProbeIsAnsweredWithAnAck);
            Add("Correctness.AcksDuringPersistCarrySndUna", CorrectnessScenarios.AcksDuringPersistCarrySndUna);
            Add("Correctness.PersistProbeTakesNoRttSample", CorrectnessScenarios.PersistProbeTakesNoRttSample);
            Add("Correctness.SynAckResentForARetransmittedSynTakesNoSample", CorrectnessScenarios.SynAckResentForARetransmittedSynTakesNoSample);
            Add("Correctness.RtoIsThreeSecondsAfterARetransmittedSyn", CorrectnessScenarios.RtoIsThreeSecondsAfterARetransmittedSyn);
            Add("Correctness.CongestionWindowStaysBounded", CorrectnessScenarios.CongestionWindowStaysBounded);
            Add("Correctness.FinAckedAfterATimeoutRewindIsRecognised", CorrectnessScenarios.FinAckedAfterATimeoutRewindIsRecognised);
            Add("Correctness.AbortAfterATimeoutRewindSendsRstAtSndMax", CorrectnessScenarios.AbortAfterATimeoutRewindSendsRstAtSndMax);
            Add("Correctness.LossRightAfterRecoveryIsFastRetransmitted", CorrectnessScenarios.LossRightAfterRecoveryIsFastRetransmitted);
            Add("Correctness.SynReceivedAnswersWithAcks", CorrectnessScenarios.SynReceivedAnswersWithAcks);
            Add("Correctness.ClosedConnectionStuckOnAZeroWindowIsGivenUp", CorrectnessScenarios.ClosedConnectionStuckOnAZeroWindowIsGivenUp);
            Add("Correctness.HeldConnectionStuckOnAZeroWindowTimesOut", CorrectnessScenarios.HeldConnectionStuckOnAZeroWindowTimesOut);
            Add("Correctness.KeepAliveIgnoresUnacceptableSegments", CorrectnessScenarios.KeepAliveIgnoresUnacceptableSegments);
            Add("AckPolicy.EverySecondSegmentOfThePeersSizeIsAckedAtOnce", AckPolicyScenarios.EverySecondSegmentOfThePeersSizeIsAckedAtOnce);
            Add("AckPolicy.AckGoesAtOnceWhenTheReceiveRingFills", AckPolicyScenarios.AckGoesAtOnceWhenTheReceiveRingFills);
            Add("AckPolicy.ReadThatOpensTheWindowSendsTheUpdateAtOnce", AckPolicyScenarios.ReadThatOpensTheWindowSendsTheUpdateAtOnce);
            Add("AckPolicy.SenderAvoidsSillyWindowsWithNothingInFlight", AckPolicyScenarios.SenderAvoidsSillyWindowsWithNothingInFlight);
            Add("AckPolicy.NagleDoesNotHoldTheLastSegmentOfAFullRing", AckPolicyScenarios.NagleDoesNotHoldTheLastSegmentOfAFullRing);
            Add("Icmp.UnreachableInSynSentIsAHardError", IcmpScenarios.UnreachableInSynSentIsAHardError);
            Add("Icmp.UnreachableWhenEstablishedIsSoft", IcmpScenarios.UnreachableWhenEstablishedIsSoft);
            Add("Icmp.FragmentationNeededLowersTheMss", IcmpScenarios.FragmentationNeededLowersTheMss);
            Add("Slots.CookieHandshakeReclaimsTheOldestHalfOpenSlot", SlotPolicyScenarios.CookieHandshakeReclaimsTheOldestHalfOpenSlot);
            Add("Slots.HandshakeThatFindsNoSlotIsRefusedWithRst", SlotPolicyScenarios.HandshakeThatFindsNoSlotIsRefusedWithRst);
            Add("Slots.HalfOpenEntryLivesAtMostItsTimeout", SlotPolicyScenarios.HalfOpenEntryLivesAtMostItsTimeout);
        }

        private static void Add(string name, Scenario scenario)
        {
            s_names[s_count] = name;
            s_scenarios[s_count] = scenario;
            s_count++;
        }
    }
}
