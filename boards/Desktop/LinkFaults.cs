namespace NanoTcp.Boards.Desktop
{
    /// <summary>What a simulated link does to the frames it carries toward one NIC. Seeded: the same
    /// seed gives the same faults.</summary>
    public sealed class LinkFaults
    {
        public int LossPercent;
        public int DuplicatePercent;
        /// <summary>Frames held back by an extra 1..ReorderSpreadMs, so later ones overtake them.</summary>
        public int ReorderPercent;
        public int ReorderSpreadMs = 5;
        /// <summary>One bit flipped in this many frames per thousand.</summary>
        public int CorruptPerMille;
        public int DelayMs = 1;
        /// <summary>0: unlimited. Otherwise frames queue behind each other at this rate.</summary>
        public int BandwidthBytesPerMs;

        public static LinkFaults None => new LinkFaults();
    }
}
