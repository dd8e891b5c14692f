using NanoTcp.Boards.W5500;
using NanoTcp.Scenarios;

namespace NanoTcp.DriverScenarios
{
    /// <summary>The W5500 driver against the chip model, each run with a board's settings (W5500Rig). Each
    /// states the rule it checks: the datasheet's, or issue 14's point and the reference driver it follows.</summary>
    public static class W5500DriverScenarios
    {
        public static void InitializesTheChipInMacRaw(W5500BoardSettings board)
        {
            var rig = new W5500Rig(board);
            Check.Equal(W5500Socket.StatusMacRaw, rig.ReadSocketRegister(W5500Socket.Status), "Sn_SR");
            Check.Equal(0x84, rig.ReadSocketRegister(W5500Socket.Mode), "Sn_MR: MACRAW with the MAC filter");
            Check.Equal(16, rig.ReadSocketRegister(W5500Socket.ReceiveBufferSize), "Sn_RXBUF_SIZE: all 16 KB");
            Check.True(rig.Driver.IsLinkUp, "link up");
            Check.Equal(3, rig.Pings(3), "echo replies");
        }

        public static void ACorruptLengthHeaderIsDrainedAndTrafficGoesOn(W5500BoardSettings board)
        {
            var rig = new W5500Rig(board);
            Check.Equal(2, rig.Pings(2), "replies before");
            rig.Chip.CorruptNextLengthHeader = true;
            Check.Equal(0, rig.Pings(1), "the ping behind the corrupt header");
            Check.Equal(1, rig.Driver.Counters.CorruptHeaders, "corrupt headers");
            Check.Equal(1, rig.Driver.Counters.Drains, "drains");
            Check.Equal(3, rig.Pings(3), "replies after");
        }

        public static void AFullReceiveBufferDropsFramesUntilItEmpties(W5500BoardSettings board)
        {
            var rig = new W5500Rig(board);
            Check.Equal(1, rig.Pings(1), "ARP resolved, then each ping is one frame");
            rig.Chip.RxBufferFull = true;
            Check.Equal(0, rig.Pings(2), "replies while full");
            Check.True(rig.Chip.FramesDroppedRxFull >= 2, "the chip dropped them");
            rig.Chip.RxBufferFull = false;
            Check.Equal(2, rig.Pings(2), "replies after");
        }

        /// <summary>Issue 14 point 1 (ESP-IDF: drop while PHYCFGR says down, reopen socket 0 on link changes; a
        /// reset only for a chip that reads wrong): a cable pulled for half a second while the device keeps
        /// sending must cost no reset, since RSTn restarts auto-negotiation (2 s) and takes the link down again.</summary>
        public static void ALinkLossNeverStartsAResetLoop(W5500BoardSettings board)
        {
            var rig = new W5500Rig(board);
            Check.Equal(1, rig.Pings(1), "replies before");
            long resets = rig.Chip.HardwareResets;
            int repliesBefore = rig.Device.Statistics.IcmpEchoRepliesReceived;
            rig.Chip.FlapLink(500000);
            // The device pings the peer every 100 ms for 30 s: through the loss, auto-negotiation and after.
            for (int i = 0; i < 300; i++)
            {
                rig.Device.SendPing(W5500Rig.PeerAddress, 9, i, 16);
                rig.Run(100);
            }
            int replies = rig.Device.Statistics.IcmpEchoRepliesReceived - repliesBefore;
            Check.Equal(resets, rig.Chip.HardwareResets, "chip resets after the first");
            Check.Equal(0, rig.Driver.Counters.Recoveries, "re-initialisations");
            Check.True(replies >= 260, string.Concat("replies in 30 s (300 pings, about 3 s without link): ", replies.ToString()));
            Check.True(rig.Driver.Counters.SendsWhileLinkDown >= 1, "frames dropped while the link was down");
        }

        /// <summary>Issue 14 point 2: Sn_IR.RECV is a latch, not raised again for frames already buffered, so 8
        /// frames that arrived together must all be read at once (4 KB bursts take two), not one burst per
        /// 100 ms fallback look at INTn.</summary>
        public static void QueuedFramesAreReadWithoutWaitingForTheInterruptAgain(W5500BoardSettings board)
        {
            var rig = new W5500Rig(board);
            int before = rig.Driver.Counters.FramesReceived;
            for (int i = 0; i < 8; i++)
                rig.SendRaw(1514, i);
            rig.Run(10); // 8 frames: 1 ms on the wire, about 5 ms of SPI at 20 MHz
            Check.Equal(8, rig.Driver.Counters.FramesReceived - before, "frames read within 10 ms");
        }

        /// <summary>Issue 14 point 3: a chip that reset itself (brown-out, ESD) has Sn_SR = SOCK_CLOSED; the
        /// periodic check must notice it while the device only receives, and open the socket again.</summary>
        public static void AChipThatResetItselfIsNoticedWithoutASend(W5500BoardSettings board)
        {
            var rig = new W5500Rig(board);
            Check.Equal(2, rig.Pings(2), "replies before");
            rig.Chip.SelfReset();
            rig.Run(rig.Chip.AutoNegotiationUs / 1000 + 300);
            Check.Equal(1, rig.Driver.Counters.ChipResetsDetected, "self-resets noticed");
            Check.Equal(3, rig.Pings(3), "replies after");
        }

        /// <summary>Issue 14 point 4: MISO stuck high reads 0xFF everywhere, "link up" included. VERSIONR is then
        /// not 0x04: the chip is absent, the link down, and no poll may spin in command timeouts.</summary>
        public static void ADeadBusIsAnAbsentChipAndCostsNoTimeouts(W5500BoardSettings board)
        {
            var rig = new W5500Rig(board);
            Check.Equal(1, rig.Pings(1), "replies before");
            rig.Chip.BusStuckHigh = true;
            long transactions = rig.Chip.Transactions;
            long longest = 0;
            for (int i = 0; i < 3000; i++)
            {
                long start = rig.Clock.NowMicroseconds;
                rig.Device.Poll(rig.Clock.NowMilliseconds);
                long spent = rig.Clock.NowMicroseconds - start;
                if (spent > longest) longest = spent;
                if (i % 100 == 0) rig.Device.SendPing(W5500Rig.PeerAddress, 3, i, 8);
                rig.Clock.AdvanceTo((rig.Clock.NowMicroseconds / 1000 + 1) * 1000);
            }
            Check.False(rig.Driver.IsLinkUp, "link with a dead bus");
            Check.False(rig.Driver.IsChipPresent, "chip present with a dead bus");
            Check.Equal(1, rig.Driver.Counters.ChipLost, "chip lost");
            Check.True(longest < 1000, string.Concat("longest poll with a dead bus, us: ", longest.ToString()));
            Check.True(rig.Chip.Transactions - transactions < 100, "SPI transactions in 3 s with a dead bus (backing off)");
            rig.Chip.BusStuckHigh = false;
            rig.Run(2000);
            Check.True(rig.Driver.IsLinkUp, "link once the bus answers again");
            Check.Equal(2, rig.Pings(2), "replies after");
        }

        /// <summary>Issue 14 point 5: Sn_CR must read 0 before the next command (datasheet: "after W5500 accepts
        /// the command, Sn_CR is cleared"); Linux w5100.c and ESP-IDF wait after every command. A reply sent
        /// right after the RECV that took its request must not be written while RECV is still in Sn_CR.</summary>
        public static void ASendRightAfterARecvWaitsForSnCrToClear(W5500BoardSettings board)
        {
            var rig = new W5500Rig(board);
            rig.Chip.CommandUs = 300; // a slow chip: longer than the whole reply takes to write
            Check.Equal(4, rig.Pings(4), "replies");
            Check.Equal(0, rig.Chip.CommandsIgnoredWhileBusy, "commands written over a busy Sn_CR");
        }

        /// <summary>Issue 14 point 6: "read RSR until two reads agree" must be bounded; with frames streaming in
        /// (a new one before every read), one Receive may not loop until the RX memory is full.</summary>
        public static void TheSizeReadIsBoundedWhileFramesStreamIn(W5500BoardSettings board)
        {
            var rig = new W5500Rig(board);
            for (int i = 0; i < 60; i++)
                rig.SendRaw(60, i);
            rig.Clock.AdvanceTo(rig.Clock.NowMicroseconds + 10000); // all 60 are at the chip's door
            rig.Chip.MaxArrivalsPerTransaction = 1;                  // and come in one per transaction
            var frame = new byte[1514];
            long before = rig.Chip.Transactions;
            int first = rig.Driver.Receive(frame, 0, frame.Length);
            long used = rig.Chip.Transactions - before;
            Check.True(used <= 8, string.Concat("SPI transactions in one Receive: ", used.ToString()));
            if (first > 0)
                Check.True(rig.IsRaw(frame, first, 0), "the first frame, read by that Receive, intact");
            rig.Chip.MaxArrivalsPerTransaction = 0;
            int got = first > 0 ? 1 : 0;
            for (int step = 0; step < 200 && got < 60; step++)
            {
                int n = rig.Driver.Receive(frame, 0, frame.Length);
                if (n > 0)
                {
                    Check.True(rig.IsRaw(frame, n, got), "frame in order and intact");
                    got++;
                }
                else
                {
                    rig.Clock.AdvanceTo(rig.Clock.NowMicroseconds + 1000);
                }
            }
            Check.Equal(60, got, "frames read in the end");
        }

        /// <summary>Issue 14 point 7: nanoFramework's ESP32 SPI driver sets max_transfer_sz = 16384 (nf-interpreter
        /// targets/ESP32/_nanoCLR/System.Device.Spi/cpu_spi.cpp), so no transaction, header included, may be
        /// longer, even when the driver is asked for 16 KB bursts and the RX memory holds 16382 bytes.</summary>
        public static void NoSpiTransactionIsLongerThan16384Bytes(W5500BoardSettings board)
        {
            var rig = new W5500Rig(board, 16384);
            rig.Run(110); // past a supervision, which gives back the memory of the frames read at the rig's start
            int before = rig.Driver.Counters.FramesReceived;
            for (int i = 0; i < 10; i++)
                rig.SendRaw(1514, i);
            rig.SendRaw(1220, 10); // 10 x 1516 + 1222 = 16382 bytes in RX memory
            rig.Settle(10000);
            Check.Equal(16382, rig.Chip.ReceivedSize, "Sn_RX_RSR with everything stored");
            rig.Run(20);
            Check.Equal(11, rig.Driver.Counters.FramesReceived - before, "frames read");
            Check.True(rig.Chip.LongestTransaction <= W5500Device.MaxTransactionBytes,
                       string.Concat("longest SPI transaction: ", rig.Chip.LongestTransaction.ToString()));
        }

        /// <summary>Issue 14 point 10: on 10 Mbit/s half duplex a SEND can take longer than the 2 ms SEND timeout
        /// (collision back-off); ESP-IDF drops the frame and goes on. No reset, no reopen, and traffic flows.</summary>
        public static void ASlowSendOnHalfDuplexDropsAFrameAndNeverResets(W5500BoardSettings board)
        {
            var rig = new W5500Rig(board);
            Check.Equal(1, rig.Pings(1), "replies at 100 Mbit/s");
            rig.Chip.Speed100 = false;
            rig.Chip.FullDuplex = false;
            rig.Chip.SendDelayUs = 3000;
            long resets = rig.Chip.HardwareResets;
            int replies = rig.Pings(20);
            Check.True(replies >= 15, string.Concat("replies of 20 with 3 ms sends: ", replies.ToString()));
            Check.Equal(0, rig.Driver.Counters.Recoveries, "re-initialisations");
            Check.Equal(0, rig.Driver.Counters.SocketReopens, "socket reopens");
            Check.Equal(resets, rig.Chip.HardwareResets, "chip resets");
        }

        /// <summary>W5500.md section 4 (esp-idf #6233): a SEND issued as the link goes is stranded; while PHYCFGR
        /// says down nothing is sent; when the link is back, socket 0 is reopened and traffic resumes.</summary>
        public static void SendsStopWhileTheLinkIsDownAndResumeWhenItIsBack(W5500BoardSettings board)
        {
            var rig = new W5500Rig(board);
            Check.Equal(1, rig.Pings(1), "replies before");
            rig.Chip.CablePlugged = false;
            rig.Device.SendPing(W5500Rig.PeerAddress, 1, 1, 8); // may be stranded in the chip
            rig.Run(200);
            rig.Device.SendPing(W5500Rig.PeerAddress, 1, 2, 8); // finds the link down: dropped, no hang
            rig.Run(200);
            Check.True(rig.Driver.Counters.SendsWhileLinkDown >= 1, "frames dropped while the link was down");
            Check.False(rig.Driver.IsLinkUp, "link while unplugged");
            rig.Chip.CablePlugged = true;
            Check.True(rig.WaitForLink(rig.Chip.AutoNegotiationUs / 1000 + 300), "link after auto-negotiation");
            Check.True(rig.Driver.Counters.SocketReopens >= 1, "socket reopened when the link came back");
            Check.Equal(0, rig.Driver.Counters.Recoveries, "re-initialisations");
            Check.Equal(2, rig.Pings(2), "replies after");
        }

        /// <summary>A SEND that never completes with the link up is freed by closing and opening socket 0
        /// (no reset); meanwhile frames are dropped after the SEND timeout, not after a wait each.</summary>
        public static void ASendThatNeverCompletesIsFreedByReopeningTheSocket(W5500BoardSettings board)
        {
            var rig = new W5500Rig(board);
            Check.Equal(1, rig.Pings(1), "replies before");
            rig.Chip.SendNeverCompletes = true;
            for (int i = 0; i < 5; i++)
            {
                rig.Device.SendPing(W5500Rig.PeerAddress, 1, i, 8);
                rig.Run(10);
            }
            Check.True(rig.Driver.Counters.SendTimeouts >= 1, "frames dropped behind the stuck SEND");
            rig.Chip.SendNeverCompletes = false;
            rig.Run(600);
            Check.True(rig.Driver.Counters.SocketReopens >= 1, "socket reopened");
            Check.Equal(0, rig.Driver.Counters.Recoveries, "re-initialisations");
            Check.Equal(2, rig.Pings(2), "replies after");
        }

        /// <summary>Frames that land between two data bytes of any transaction (a 16-bit RSR read half-updated
        /// included) are never misread: 200 frames of every size, each checked byte by byte.</summary>
        public static void FramesArrivingInsideTransactionsAreReadIntact(W5500BoardSettings board)
        {
            var rig = new W5500Rig(board);
            rig.Chip.ArrivalsInsideTransactions = true;
            var frame = new byte[1514];
            int sent = 0, got = 0;
            for (int step = 0; step < 5000 && got < 200; step++)
            {
                if (sent < 200 && rig.Cable.B.FramesSent - rig.Cable.A.FramesReceived < 8)
                {
                    rig.SendRaw(60 + (sent * 97) % 1455, sent);
                    sent++;
                }
                int n = rig.Driver.Receive(frame, 0, frame.Length);
                if (n > 0)
                {
                    Check.Equal(60 + (got * 97) % 1455, n, "frame length");
                    Check.True(rig.IsRaw(frame, n, got), "frame intact and in order");
                    got++;
                }
                rig.Clock.AdvanceTo(rig.Clock.NowMicroseconds + 50);
            }
            Check.Equal(200, got, "frames read");
            Check.Equal(0, rig.Driver.Counters.CorruptHeaders, "corrupt headers");
        }

        /// <summary>W5500.md section 3: RSR can change during a read. A frame stored inside the first read of a
        /// Receive (at every data byte of the longest status read, Sn_CR through Sn_RX_WR: so also between RSR's
        /// high and low byte, and between RSR and Sn_RX_WR, which then disagree and RSR is read again), or between
        /// that read and the burst, is read on a later burst; both frames come out whole.</summary>
        public static void AFrameArrivingMidReceiveIsReadOnTheNextBurst(W5500BoardSettings board)
        {
            var rig = new W5500Rig(board);
            var frame = new byte[1514];
            int interruptClear = board.InterruptWired ? 1 : 0;
            int statusBytes = W5500Socket.RxWritePointer + 2 - W5500Socket.Command;
            int points = statusBytes + 1;
            for (int point = 0; point < points; point++)
            {
                rig.SendRaw(200, 2 * point);
                rig.Settle(1000);
                rig.SendRaw(100, 2 * point + 1);
                rig.Clock.AdvanceTo(rig.Clock.NowMicroseconds + 1000);
                if (point < statusBytes) rig.Chip.HoldArrivals(interruptClear, point + 1);
                else rig.Chip.HoldArrivals(interruptClear + point - statusBytes + 1, 0);
                int got = 0;
                for (int i = 0; i < 20 && got < 2; i++)
                {
                    int n = rig.Driver.Receive(frame, 0, frame.Length);
                    if (n > 0)
                    {
                        Check.True(rig.IsRaw(frame, n, 2 * point + got), "frame intact and in order");
                        got++;
                    }
                    else
                    {
                        rig.Clock.AdvanceTo(rig.Clock.NowMicroseconds + 1000);
                    }
                }
                Check.Equal(2, got, "frames read");
            }
            Check.Equal(0, rig.Driver.Counters.CorruptHeaders, "corrupt headers");
        }
        /// <summary>W5500.md section 3: the pointers are 16 bits and wrap modulo 0x10000 (the chip maps any offset
        /// into the socket's buffer). The driver tracks Sn_RX_RD and Sn_TX_WR itself between OPENs, so 48 full frames
        /// each way (over 64 KB) must come out whole and in order while the chip's pointers wrap.</summary>
        public static void FramesStayWholeWhileThePointersWrapAt16Bits(W5500BoardSettings board)
        {
            var rig = new W5500Rig(board);
            var frame = new byte[1514];
            int rxWraps = 0, got = 0, sent = 0;
            int lastRead = ReadPointer(rig, W5500Socket.RxReadPointer);
            for (int step = 0; step < 2000 && got < 48; step++)
            {
                if (got == sent && sent < 48)
                    for (int i = 0; i < 4; i++) rig.SendRaw(1514, sent++);
                int n = rig.Driver.Receive(frame, 0, frame.Length);
                if (n > 0)
                {
                    Check.Equal(1514, n, "frame length");
                    Check.True(rig.IsRaw(frame, n, got), "received frame whole and in order");
                    got++;
                }
                else
                    rig.Clock.AdvanceTo(rig.Clock.NowMicroseconds + 200);
                int read = ReadPointer(rig, W5500Socket.RxReadPointer);
                if (read < lastRead) rxWraps++;
                lastRead = read;
            }
            Check.Equal(48, got, "frames received");
            Check.Equal(1, rxWraps, "Sn_RX_RD wrapped");

            int txWraps = 0, arrived = 0;
            int lastWrite = ReadPointer(rig, W5500Socket.TxWritePointer);
            for (int i = 0; i < 48; i++)
            {
                Check.True(rig.TransmitRaw(1514), "the driver takes the frame");
                int write = ReadPointer(rig, W5500Socket.TxWritePointer);
                if (write < lastWrite) txWraps++;
                lastWrite = write;
                rig.Settle(200);
                while (rig.Cable.B.Receive(frame, 0, frame.Length) > 0)
                    arrived++;
            }
            rig.Settle(1000);
            while (rig.Cable.B.Receive(frame, 0, frame.Length) > 0)
                arrived++;
            Check.Equal(48, arrived, "frames on the wire");
            Check.Equal(1, txWraps, "Sn_TX_WR wrapped");
        }

        /// <summary>W5500.md section 4 (receive steps 5 and 6): RECV frees what Sn_RX_RD passed, and Sn_RX_RSR counts
        /// from the last RECV (Sn_RX_RSR = Sn_RX_WR - Sn_RX_RD). The driver gives frames back in steps: the memory
        /// of frames it has read but not given back stays under a quarter of the 16 KB (12 KB always free beyond what waits),
        /// and is all given back within the 100 ms supervision once traffic stops.</summary>
        public static void FramesReadAreGivenBackByAQuarterOfTheMemoryAndWithin100ms(W5500BoardSettings board)
        {
            var rig = new W5500Rig(board);
            rig.Run(110); // what the rig's start read is given back
            Check.Equal(0, rig.Chip.ReceivedSize, "Sn_RX_RSR before");
            var frame = new byte[1514];
            const int Stored = 1514 + 2;
            int sent = 0, got = 0;
            for (int step = 0; step < 2000 && got < 40; step++)
            {
                if (got == sent)
                    for (int i = 0; i < 4; i++) rig.SendRaw(1514, sent++);
                int n = rig.Driver.Receive(frame, 0, frame.Length);
                if (n > 0)
                {
                    Check.True(rig.IsRaw(frame, n, got), "frame whole and in order");
                    got++;
                }
                rig.Clock.AdvanceTo(rig.Clock.NowMicroseconds + (n > 0 ? 20 : 200)); // a RECV written is taken
                rig.Chip.Update();
                int waiting = (int)(rig.Chip.FramesDelivered - rig.Driver.Counters.FramesReceived) * Stored;
                int readNotGivenBack = rig.Chip.ReceivedSize - waiting;
                Check.True(readNotGivenBack < 4096, string.Concat("bytes read and not given back: ", readNotGivenBack.ToString()));
            }
            Check.Equal(40, got, "frames received");
            for (int ms = 0; ms < 100; ms++)
            {
                Check.Equal(0, rig.Driver.Receive(frame, 0, frame.Length), "no frame while idle");
                rig.Clock.AdvanceTo(rig.Clock.NowMicroseconds + 1000);
            }
            rig.Chip.Update();
            Check.Equal(0, rig.Chip.ReceivedSize, "Sn_RX_RSR 100 ms after the last frame");
        }

        /// <summary>Issue 14 point 5 with a chip whose Sn_CR never clears (a SEND left in it) while frames read are
        /// not given back yet: the supervision gives them back only when no command waits in Sn_CR. Waiting there
        /// would time out and check the chip, which supervises again: a loop that never ends. Each poll returns,
        /// and no poll waits out a command timeout.</summary>
        public static void AStuckSnCrDoesNotHoldTheSupervisionInALoop(W5500BoardSettings board)
        {
            var rig = new W5500Rig(board);
            var frame = new byte[1514];
            rig.Run(110); // what the rig's start read is given back
            rig.SendRaw(1514, 0);
            rig.Settle(1000);
            Check.Equal(1514, rig.Driver.Receive(frame, 0, frame.Length), "the frame read (not given back yet)");
            rig.Chip.CommandUs = int.MaxValue;
            Check.True(rig.TransmitRaw(60), "a frame handed over, its SEND left in Sn_CR");
            for (int ms = 0; ms < 300; ms++)
            {
                Check.Equal(0, rig.Driver.Receive(frame, 0, frame.Length), "nothing to read");
                rig.Clock.AdvanceTo(rig.Clock.NowMicroseconds + 1000);
            }
            Check.Equal(0, rig.Driver.Counters.CommandTimeouts, "command timeouts waited out by polls");
        }

        /// <summary>W5500.md section 4: SEND transmits [Sn_TX_RD, Sn_TX_WR) as one frame, and a SEND must complete
        /// before the next. With each frame held 1 ms before it leaves (inside the 2 ms SEND timeout), 20 frames
        /// handed over back to back must all reach the wire, each whole: none written over a SEND still going.</summary>
        public static void EachSendWaitsForThePreviousOneToComplete(W5500BoardSettings board)
        {
            var rig = new W5500Rig(board);
            Check.Equal(1, rig.Pings(1), "replies before");
            rig.Chip.SendDelayUs = 1000;
            var frame = new byte[1514];
            while (rig.Cable.B.Receive(frame, 0, frame.Length) > 0) { }
            long sentBefore = rig.Chip.FramesSent;
            int arrived = 0, whole = 0;
            for (int i = 0; i < 20; i++)
            {
                Check.True(rig.TransmitRaw(100 + i), "the driver takes the frame");
                int n;
                while ((n = rig.Cable.B.Receive(frame, 0, frame.Length)) > 0)
                {
                    if (n == 100 + arrived) whole++;
                    arrived++;
                }
            }
            rig.Settle(3000);
            rig.Chip.Update(); // the last SEND leaves Sn_CR
            rig.Settle(1000);
            int last;
            while ((last = rig.Cable.B.Receive(frame, 0, frame.Length)) > 0)
            {
                if (last == 100 + arrived) whole++;
                arrived++;
            }
            Check.Equal(20, (int)(rig.Chip.FramesSent - sentBefore), "frames the chip sent");
            Check.Equal(20, arrived, "frames on the wire");
            Check.Equal(20, whole, "frames of the length handed over, in order");
            Check.Equal(0, rig.Driver.Counters.SendTimeouts, "SEND timeouts");
            Check.Equal(0, rig.Chip.CommandsIgnoredWhileBusy, "commands written over a busy Sn_CR");
        }

        private static int ReadPointer(W5500Rig rig, int address)
        {
            return (rig.ReadSocketRegister(address) << 8) | rig.ReadSocketRegister(address + 1);
        }
    }
}