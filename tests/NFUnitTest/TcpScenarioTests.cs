// The TCP scenarios on a board or on nanoclr (nanoFramework.TestFramework): one test method per entry of
// tests/Scenarios/ScenarioCatalog.cs, whose sources this project compiles as they are (not copies).
// A scenario fails by throwing ScenarioFailedException, which the test runner reports.
// tests/NanoTcp.Tests/Build/DeviceTestProjectTests.cs checks that this list matches the catalog.
using nanoFramework.TestFramework;
using NanoTcp.Scenarios;

namespace NanoTcp.DeviceTests
{
    [TestClass]
    public class TcpScenarioTests
    {
        [TestMethod]
        public void Handshake_ActiveOpen() { HandshakeScenarios.ActiveOpen(); }

        [TestMethod]
        public void Handshake_PassiveOpen() { HandshakeScenarios.PassiveOpen(); }

        [TestMethod]
        public void Handshake_DataBeforeAcceptIsKept() { HandshakeScenarios.DataBeforeAcceptIsKept(); }

        [TestMethod]
        public void Handshake_RetransmittedSynInSynReceivedGetsTheSameSynAck() { HandshakeScenarios.RetransmittedSynInSynReceivedGetsTheSameSynAck(); }

        [TestMethod]
        public void Handshake_SynWithFinInListenIsDropped() { HandshakeScenarios.SynWithFinInListenIsDropped(); }

        [TestMethod]
        public void Handshake_OtherSynInSynReceivedGetsRstAndListenerStays() { HandshakeScenarios.OtherSynInSynReceivedGetsRstAndListenerStays(); }

        [TestMethod]
        public void Handshake_RstInSynReceivedReturnsToListen() { HandshakeScenarios.RstInSynReceivedReturnsToListen(); }

        [TestMethod]
        public void Handshake_OldDuplicateSynAckGetsRstAndSynSentStays() { HandshakeScenarios.OldDuplicateSynAckGetsRstAndSynSentStays(); }

        [TestMethod]
        public void Handshake_SynToClosedPortGetsRstAck() { HandshakeScenarios.SynToClosedPortGetsRstAck(); }

        [TestMethod]
        public void Handshake_AckToClosedPortGetsRstWithSeqFromAck() { HandshakeScenarios.AckToClosedPortGetsRstWithSeqFromAck(); }

        [TestMethod]
        public void Handshake_RstToClosedPortIsNotAnswered() { HandshakeScenarios.RstToClosedPortIsNotAnswered(); }

        [TestMethod]
        public void Handshake_SimultaneousOpen() { HandshakeScenarios.SimultaneousOpen(); }

        [TestMethod]
        public void Handshake_RstAnsweringOurSynMeansRefused() { HandshakeScenarios.RstAnsweringOurSynMeansRefused(); }

        [TestMethod]
        public void Handshake_SynRetransmissionsBackOffThenTimeOut() { HandshakeScenarios.SynRetransmissionsBackOffThenTimeOut(); }

        [TestMethod]
        public void Handshake_MssOptionIsClampedAndHonoured() { HandshakeScenarios.MssOptionIsClampedAndHonoured(); }

        [TestMethod]
        public void Close_FourWayCloseActiveSide() { CloseScenarios.FourWayCloseActiveSide(); }

        [TestMethod]
        public void Close_FourWayClosePassiveSide() { CloseScenarios.FourWayClosePassiveSide(); }

        [TestMethod]
        public void Close_ThreeSegmentClose() { CloseScenarios.ThreeSegmentClose(); }

        [TestMethod]
        public void Close_SimultaneousCloseThroughClosing() { CloseScenarios.SimultaneousCloseThroughClosing(); }

        [TestMethod]
        public void Close_FinCarryingData() { CloseScenarios.FinCarryingData(); }

        [TestMethod]
        public void Close_FinAheadOfAHoleWaitsForTheHole() { CloseScenarios.FinAheadOfAHoleWaitsForTheHole(); }

        [TestMethod]
        public void Close_HalfCloseKeepsSendingInCloseWait() { CloseScenarios.HalfCloseKeepsSendingInCloseWait(); }

        [TestMethod]
        public void Close_ShutdownStillReceives() { CloseScenarios.ShutdownStillReceives(); }

        [TestMethod]
        public void Close_TimeWaitReAcksRetransmittedFinAndRestartsTimer() { CloseScenarios.TimeWaitReAcksRetransmittedFinAndRestartsTimer(); }

        [TestMethod]
        public void Close_TimeWaitReopenedByHigherSyn() { CloseScenarios.TimeWaitReopenedByHigherSyn(); }

        [TestMethod]
        public void Close_TimeWaitSynAtTheWindowEdges() { CloseScenarios.TimeWaitSynAtTheWindowEdges(); }

        [TestMethod]
        public void Close_OldestTimeWaitIsRecycledWhenTheTableIsFull() { CloseScenarios.OldestTimeWaitIsRecycledWhenTheTableIsFull(); }

        [TestMethod]
        public void Reset_RstAtExactlyRcvNxtResets() { ResetScenarios.RstAtExactlyRcvNxtResets(); }

        [TestMethod]
        public void Reset_RstInsideTheWindowGetsAChallengeAck() { ResetScenarios.RstInsideTheWindowGetsAChallengeAck(); }

        [TestMethod]
        public void Reset_RstOutsideTheWindowIsDroppedSilently() { ResetScenarios.RstOutsideTheWindowIsDroppedSilently(); }

        [TestMethod]
        public void Reset_SynInEstablishedGetsAChallengeAck() { ResetScenarios.SynInEstablishedGetsAChallengeAck(); }

        [TestMethod]
        public void Reset_UnacceptableAcksGetAChallengeAckAndTheirDataIsDropped() { ResetScenarios.UnacceptableAcksGetAChallengeAckAndTheirDataIsDropped(); }

        [TestMethod]
        public void Reset_ChallengeAcksAreRateLimited() { ResetScenarios.ChallengeAcksAreRateLimited(); }

        [TestMethod]
        public void Reset_SegmentWithoutFlagsIsDropped() { ResetScenarios.SegmentWithoutFlagsIsDropped(); }

        [TestMethod]
        public void Reset_AbortSendsRstAndFreesTheSlot() { ResetScenarios.AbortSendsRstAndFreesTheSlot(); }

        [TestMethod]
        public void Reset_CloseWithUnreadDataResets() { ResetScenarios.CloseWithUnreadDataResets(); }

        [TestMethod]
        public void Reset_DataAfterCloseResets() { ResetScenarios.DataAfterCloseResets(); }

        [TestMethod]
        public void Reset_RstInTimeWaitCloses() { ResetScenarios.RstInTimeWaitCloses(); }

        [TestMethod]
        public void Transfer_RetransmissionBacksOffToTheCapThenTimesOut() { TransferScenarios.RetransmissionBacksOffToTheCapThenTimesOut(); }

        [TestMethod]
        public void Transfer_KarnTakesNoSampleFromARetransmission() { TransferScenarios.KarnTakesNoSampleFromARetransmission(); }

        [TestMethod]
        public void Transfer_FastRetransmitAndNewRenoPartialAck() { TransferScenarios.FastRetransmitAndNewRenoPartialAck(); }

        [TestMethod]
        public void Transfer_ZeroWindowIsProbedAndSendingResumes() { TransferScenarios.ZeroWindowIsProbedAndSendingResumes(); }

        [TestMethod]
        public void Transfer_DelayedAckEverySecondFullSegment() { TransferScenarios.DelayedAckEverySecondFullSegment(); }

        [TestMethod]
        public void Transfer_ReceiverAvoidsSillyWindows() { TransferScenarios.ReceiverAvoidsSillyWindows(); }

        [TestMethod]
        public void Transfer_NagleHoldsSmallSegmentsWhileDataIsInFlight() { TransferScenarios.NagleHoldsSmallSegmentsWhileDataIsInFlight(); }

        [TestMethod]
        public void Transfer_KeepAliveProbesThenTimesOut() { TransferScenarios.KeepAliveProbesThenTimesOut(); }

        [TestMethod]
        public void Transfer_OutOfOrderSegmentsAreReassembled() { TransferScenarios.OutOfOrderSegmentsAreReassembled(); }

        [TestMethod]
        public void Transfer_OutOfOrderRangesAreBounded() { TransferScenarios.OutOfOrderRangesAreBounded(); }

        [TestMethod]
        public void Transfer_UrgentDataIsDeliveredInline() { TransferScenarios.UrgentDataIsDeliveredInline(); }

        [TestMethod]
        public void Transfer_SequenceNumbersWrapAround() { TransferScenarios.SequenceNumbersWrapAround(); }

        [TestMethod]
        public void Listener_AcceptQueueIsBounded() { ListenerScenarios.AcceptQueueIsBounded(); }

        [TestMethod]
        public void Listener_FullTableAnswersWithCookiesAndEstablishedGoOn() { ListenerScenarios.FullTableAnswersWithCookiesAndEstablishedGoOn(); }

        [TestMethod]
        public void Listener_SynFloodCookiesLetALegitimateClientIn() { ListenerScenarios.SynFloodCookiesLetALegitimateClientIn(); }

        [TestMethod]
        public void Listener_ForgedCookieAckIsReset() { ListenerScenarios.ForgedCookieAckIsReset(); }

        [TestMethod]
        public void Listener_IsnDependsOnTupleSecretAndClock() { ListenerScenarios.IsnDependsOnTupleSecretAndClock(); }

        [TestMethod]
        public void Listener_SynCookiesExpireAndBindTheTuple() { ListenerScenarios.SynCookiesExpireAndBindTheTuple(); }

        [TestMethod]
        public void Correctness_ZeroWindowProbeIsAnsweredWithAnAck() { CorrectnessScenarios.ZeroWindowProbeIsAnsweredWithAnAck(); }

        [TestMethod]
        public void Correctness_AcksDuringPersistCarrySndUna() { CorrectnessScenarios.AcksDuringPersistCarrySndUna(); }

        [TestMethod]
        public void Correctness_PersistProbeTakesNoRttSample() { CorrectnessScenarios.PersistProbeTakesNoRttSample(); }

        [TestMethod]
        public void Correctness_SynAckResentForARetransmittedSynTakesNoSample() { CorrectnessScenarios.SynAckResentForARetransmittedSynTakesNoSample(); }

        [TestMethod]
        public void Correctness_RtoIsThreeSecondsAfterARetransmittedSyn() { CorrectnessScenarios.RtoIsThreeSecondsAfterARetransmittedSyn(); }

        [TestMethod]
        public void Correctness_CongestionWindowStaysBounded() { CorrectnessScenarios.CongestionWindowStaysBounded(); }

        [TestMethod]
        public void Correctness_FinAckedAfterATimeoutRewindIsRecognised() { CorrectnessScenarios.FinAckedAfterATimeoutRewindIsRecognised(); }

        [TestMethod]
        public void Correctness_AbortAfterATimeoutRewindSendsRstAtSndMax() { CorrectnessScenarios.AbortAfterATimeoutRewindSendsRstAtSndMax(); }

        [TestMethod]
        public void Correctness_LossRightAfterRecoveryIsFastRetransmitted() { CorrectnessScenarios.LossRightAfterRecoveryIsFastRetransmitted(); }

        [TestMethod]
        public void Correctness_SynReceivedAnswersWithAcks() { CorrectnessScenarios.SynReceivedAnswersWithAcks(); }

        [TestMethod]
        public void Correctness_ClosedConnectionStuckOnAZeroWindowIsGivenUp() { CorrectnessScenarios.ClosedConnectionStuckOnAZeroWindowIsGivenUp(); }

        [TestMethod]
        public void Correctness_HeldConnectionStuckOnAZeroWindowTimesOut() { CorrectnessScenarios.HeldConnectionStuckOnAZeroWindowTimesOut(); }

        [TestMethod]
        public void Correctness_KeepAliveIgnoresUnacceptableSegments() { CorrectnessScenarios.KeepAliveIgnoresUnacceptableSegments(); }

        [TestMethod]
        public void AckPolicy_EverySecondSegmentOfThePeersSizeIsAckedAtOnce() { AckPolicyScenarios.EverySecondSegmentOfThePeersSizeIsAckedAtOnce(); }

        [TestMethod]
        public void AckPolicy_AckGoesAtOnceWhenTheReceiveRingFills() { AckPolicyScenarios.AckGoesAtOnceWhenTheReceiveRingFills(); }

        [TestMethod]
        public void AckPolicy_ReadThatOpensTheWindowSendsTheUpdateAtOnce() { AckPolicyScenarios.ReadThatOpensTheWindowSendsTheUpdateAtOnce(); }

        [TestMethod]
        public void AckPolicy_SenderAvoidsSillyWindowsWithNothingInFlight() { AckPolicyScenarios.SenderAvoidsSillyWindowsWithNothingInFlight(); }

        [TestMethod]
        public void AckPolicy_NagleDoesNotHoldTheLastSegmentOfAFullRing() { AckPolicyScenarios.NagleDoesNotHoldTheLastSegmentOfAFullRing(); }

        [TestMethod]
        public void Icmp_UnreachableInSynSentIsAHardError() { IcmpScenarios.UnreachableInSynSentIsAHardError(); }

        [TestMethod]
        public void Icmp_UnreachableWhenEstablishedIsSoft() { IcmpScenarios.UnreachableWhenEstablishedIsSoft(); }

        [TestMethod]
        public void Icmp_FragmentationNeededLowersTheMss() { IcmpScenarios.FragmentationNeededLowersTheMss(); }

        [TestMethod]
        public void Slots_CookieHandshakeReclaimsTheOldestHalfOpenSlot() { SlotPolicyScenarios.CookieHandshakeReclaimsTheOldestHalfOpenSlot(); }

        [TestMethod]
        public void Slots_HandshakeThatFindsNoSlotIsRefusedWithRst() { SlotPolicyScenarios.HandshakeThatFindsNoSlotIsRefusedWithRst(); }

        [TestMethod]
        public void Slots_HalfOpenEntryLivesAtMostItsTimeout() { SlotPolicyScenarios.HalfOpenEntryLivesAtMostItsTimeout(); }
    }
}
