namespace NanoTcp.DriverScenarios
{
    /// <summary>SPI work per frame, counted by the chip model: a lone received frame, 8 waiting full-sized
    /// frames, 16 full-sized frames sent back to back (after a first one).</summary>
    public sealed class SpiFigures
    {
        public long LoneTransactions;
        public double PerFrameReceived, ReceivePayloadShare;
        public double PerFrameSent, SendPayloadShare;

        public static SpiFigures Measure(W5500Rig rig)
        {
            var f = new SpiFigures();
            var sink = new byte[1514];
            rig.Run(200); // past the interrupt pin's 100 ms look, so the lone frame is found by INTn
            while (rig.Driver.Receive(sink, 0, sink.Length) > 0) { }

            rig.SendRaw(1514, 1);
            rig.Settle(1000);
            long t0 = rig.Chip.Transactions;
            Scenarios.Check.Equal(1514, rig.Driver.Receive(sink, 0, sink.Length), "the lone frame");
            f.LoneTransactions = rig.Chip.Transactions - t0;

            for (int i = 0; i < 8; i++) rig.SendRaw(1514, i);
            rig.Settle(2000);
            t0 = rig.Chip.Transactions;
            long b0 = rig.Chip.BytesTransferred;
            int frames = 0;
            while (frames < 8 && rig.Driver.Receive(sink, 0, sink.Length) == 1514) frames++;
            Scenarios.Check.Equal(8, frames, "the 8 waiting frames");
            f.PerFrameReceived = (rig.Chip.Transactions - t0) / 8.0;
            f.ReceivePayloadShare = 8.0 * 1514 / (rig.Chip.BytesTransferred - b0);

            // Back to back, after one frame that also confirms the last RECV (Sn_CR read once).
            Scenarios.Check.True(rig.Driver.Transmit(sink, 0, 1514), "the first sent frame");
            t0 = rig.Chip.Transactions;
            b0 = rig.Chip.BytesTransferred;
            for (int i = 0; i < 16; i++)
                Scenarios.Check.True(rig.Driver.Transmit(sink, 0, 1514), "a sent frame");
            f.PerFrameSent = (rig.Chip.Transactions - t0) / 16.0;
            f.SendPayloadShare = 16.0 * 1514 / (rig.Chip.BytesTransferred - b0);
            return f;
        }
    }
}
