namespace NanoTcp.Tcp
{
    /// <summary>Where the engine builds and sends segments: the IP layer in the stack, a capture in tests.
    /// Segments are written straight into the buffer the transmitter lends (no copy, no allocation).</summary>
    public interface ITcpTransmitter
    {
        /// <summary>Lends a buffer for one segment to remoteAddress: segment bytes go at buffer[offset..],
        /// at most capacity of them. False when nothing can be sent now (the segment is not built).
        /// The engine may send while it still reads the segment it is processing (a fast retransmit
        /// happens before the payload is copied), so the lent buffer must never overlap received data.</summary>
        bool TryGetSegmentBuffer(uint remoteAddress, out byte[] buffer, out int offset, out int capacity);

        /// <summary>Sends the segment built in the lent buffer. True only when its frame left now; false when
        /// it found no route or waits for (or was dropped by) address resolution, so counters tell the truth.</summary>
        bool TransmitSegment(uint localAddress, uint remoteAddress, byte[] buffer, int offset, int length);
    }
}
