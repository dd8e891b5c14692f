using System;
using NanoTcp.Boards.W5500;
using NanoTcp.DriverScenarios;

namespace NanoTcp.Benchmarks
{
    /// <summary>The W5500 path as the boards ship it (W5500BoardSettings, SimulatedPollLoop.AsShipped), on the
    /// simulated clock with SPI at each board's clock: SPI work per frame, the latency of a lone frame and the
    /// time from a link coming back to the first frame out. The interpreter's CPU time is not in these.</summary>
    internal static class W5500Timing
    {
        public delegate void AddRow(string measure, string value, string target, string verdict);

        public static void Run(AddRow row)
        {
            W5500BoardSettings devKitC = W5500BoardSettings.DevKitC, polling = W5500BoardSettings.M5StackAtomPoe;
            foreach (W5500BoardSettings board in new[] { devKitC, polling })
            {
                SpiFigures f = SpiFigures.Measure(new W5500Rig(board));
                int lone = board.InterruptWired ? 6 : 5; // the Sn_IR clear INT needs, status, RSR again, burst, Sn_RX_RD, RECV
                string name = board.InterruptWired ? "DevKitC (INT)" : "ATOM PoE (polled)";
                row($"W5500 {name}: SPI transactions, lone frame / per frame with 8 waiting / per sent frame",
                    $"{f.LoneTransactions} / {f.PerFrameReceived:F2} / {f.PerFrameSent:F2}", $"<= {lone} / <= 2 / <= 4",
                    f.LoneTransactions <= lone && f.PerFrameReceived <= 2 && f.PerFrameSent <= 4 ? "met" : "missed");
                row($"W5500 {name}: payload share of SPI bytes at 1514-byte frames (rx / tx)",
                    $"{f.ReceivePayloadShare:P1} / {f.SendPayloadShare:P1}", ">= 97 %",
                    f.ReceivePayloadShare >= 0.97 && f.SendPayloadShare >= 0.97 ? "met" : "missed");
                if (board == devKitC)
                {
                    foreach (int mhz in new[] { 20, 40, 80 })
                    {
                        double rx = mhz * 1e6 / 8 / (1514 / f.ReceivePayloadShare), tx = mhz * 1e6 / 8 / (1514 / f.SendPayloadShare);
                        row($"W5500 at {mhz} MHz SPI: frames/s and TCP payload (rx / tx)",
                            $"{rx:F0} / {tx:F0} f/s = {rx * 1460 * 8 / 1e6:F1} / {tx * 1460 * 8 / 1e6:F1} Mbit/s", "", "SPI clock only, no CPU time");
                    }
                }
            }

            Latency(row, "DevKitC, INTn edge wakes the poll thread", devKitC, rig => SimulatedPollLoop.AsShipped(rig), true);
            Latency(row, "ATOM PoE, no INT: polled every 1 ms", polling, rig => SimulatedPollLoop.AsShipped(rig), true);
            Latency(row, "DevKitC, INTn only read (main before issue 14: idle poll 50 ms)", devKitC, rig => new SimulatedPollLoop(rig, 50, false), false);

            Recovery(row, "DevKitC (no RST)", devKitC);
            Recovery(row, "LilyGO T-ETH-Lite (RST wired)", W5500BoardSettings.LilyGoTEthLiteS3);
            Recovery(row, "ATOM PoE (polled)", polling);
        }

        private static void Latency(AddRow row, string name, W5500BoardSettings board, Func<W5500Rig, SimulatedPollLoop> loopFor, bool targeted)
        {
            var rig = new W5500Rig(board);
            SimulatedPollLoop loop = loopFor(rig);
            var random = new Random(14);
            long worst = 0, sum = 0;
            const int frames = 50;
            for (int i = 0; i < frames; i++)
            {
                long latency = loop.LoneFrameLatencyUs(1514, i, random.Next(100_000)); // at any phase of the loop
                worst = Math.Max(worst, latency);
                sum += latency;
            }
            long spi = W5500TimingScenarios.FrameSpiTimeUs(board, 1514);
            long bound = spi + 1000 + (board.InterruptWired ? 0 : 200); // as W5500TimingScenarios: polled boards also pay the poll's other SPI
            row($"W5500 latency, lone 1514-byte frame at the chip -> in the stack: {name}",
                $"mean {sum / frames} us, worst {worst} us (the frame's SPI time {spi} us at {board.SpiClockHz / 1_000_000} MHz)",
                targeted ? $"<= {bound} us" : "", targeted ? (worst <= bound ? "met" : "missed") : "for comparison");
        }

        private static void Recovery(AddRow row, string name, W5500BoardSettings board)
        {
            var rig = new W5500Rig(board);
            rig.Pings(1);
            SimulatedPollLoop loop = SimulatedPollLoop.AsShipped(rig);
            long resets = rig.Chip.HardwareResets;
            long worst = 0;
            for (int i = 0; i < 5; i++)
                worst = Math.Max(worst, loop.LinkBackToFirstFrameUs(500));
            long extraResets = rig.Chip.HardwareResets - resets;
            long bound = rig.Chip.AutoNegotiationUs + 100_000;
            row($"W5500 recovery, cable back -> first frame out (0.5 s unplugged, 5 times): {name}",
                $"worst {worst / 1000.0:F1} ms (auto-negotiation {rig.Chip.AutoNegotiationUs / 1000} ms), {extraResets} chip resets",
                $"<= {bound / 1000} ms, no reset", worst >= 0 && worst <= bound && extraResets == 0 ? "met" : "missed");
        }
    }
}
