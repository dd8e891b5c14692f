using NanoTcp.Scenarios;
using NanoTcp.Tcp;
using NanoTcp.Tests.Wire;
using NanoTcp.Wire;
using Xunit;

namespace NanoTcp.Tests.Tcp
{
    /// <summary>The header every segment after the SYN carries (TcpPlainHeader) must hold the fields of RFC 9293 3.1
    /// with a checksum over pseudo-header, header and payload that the plain RFC 1071 loop accepts, and be what
    /// TcpHeader.Emit writes for the same values, with and without payload.</summary>
    public sealed class TcpPlainHeaderTests
    {
        [Fact]
        public void WritesTheFieldsOfRfc9293WithAValidChecksum()
        {
            var buffer = new byte[60];
            int length = new TcpPlainHeader().Write(buffer, 4, 0x1234, 80, 0x01020304, 0xA0B0C0D0, TcpFlags.Ack | TcpFlags.Psh | TcpFlags.Fin, 2048, 0, 0x0A000001, 0x0A000002);
            Assert.Equal(20, length);
            // ports, sequence, acknowledgment, data offset 5 and ACK|PSH|FIN, window, checksum (below), urgent pointer 0.
            Assert.Equal(new byte[] { 0x12, 0x34, 0x00, 0x50, 1, 2, 3, 4, 0xA0, 0xB0, 0xC0, 0xD0, 0x50, 0x19, 0x08, 0x00 }, buffer[4..20]);
            Assert.Equal(new byte[] { 0, 0 }, buffer[22..24]);
            Assert.Equal(0, ReferenceChecksum.WithPseudoHeader(0x0A000001, 0x0A000002, 6, buffer, 4, 20));
        }

        [Fact]
        public void MatchesTcpHeaderEmitWithAndWithoutPayload()
        {
            var random = new SeededRandom(17);
            var written = new byte[1600];
            var expected = new byte[1600];
            var plain = new TcpPlainHeader();
            int[] flagSets = { TcpFlags.Ack, TcpFlags.Ack | TcpFlags.Psh, TcpFlags.Ack | TcpFlags.Fin, TcpFlags.Ack | TcpFlags.Psh | TcpFlags.Fin, TcpFlags.Rst | TcpFlags.Ack };
            for (int i = 0; i < 20000; i++)
            {
                int offset = (int)(random.NextUInt32() % 40);
                int payload = random.NextUInt32() % 3 == 0 ? 0 : (int)(random.NextUInt32() % 1460);
                for (int b = 0; b < payload; b++)
                    written[offset + 20 + b] = expected[offset + 20 + b] = (byte)random.NextUInt32();
                var header = new TcpHeader
                {
                    SourcePort = (int)(random.NextUInt32() & 0xFFFF),
                    DestinationPort = (int)(random.NextUInt32() & 0xFFFF),
                    SequenceNumber = random.NextUInt32(),
                    AcknowledgmentNumber = random.NextUInt32(),
                    Flags = flagSets[random.NextUInt32() % (uint)flagSets.Length],
                    Window = (int)(random.NextUInt32() & 0xFFFF),
                };
                uint source = random.NextUInt32(), destination = random.NextUInt32();
                AssertWritesWhatEmitWrites(plain, header, written, expected, offset, payload, source, destination, i);
            }
        }

        /// <summary>The engine keeps one template for the last ports and addresses, with the last numbers, flags and
        /// window in it: a run that goes back and forth between a few connections (so most headers reuse it and some
        /// rebuild it), where each field keeps its last value half the time (so each is rewritten or kept), over
        /// stale bytes in the buffer, with NS set now and then, must write what TcpHeader.Emit writes every time.</summary>
        [Fact]
        public void TheTemplateMatchesTcpHeaderEmitAcrossConnections()
        {
            var random = new SeededRandom(29);
            var written = new byte[1600];
            var expected = new byte[1600];
            var plain = new TcpPlainHeader();
            int[] ports = { 49152, 80, 1883, 49153, 80, 8080 };
            uint[] addresses = { 0x0A000001, 0x0A000002, 0x0A000001, 0xC0A80105, 0x0A000003, 0x0A000002 };
            int[] flagSets = { TcpFlags.Ack, TcpFlags.Ack | TcpFlags.Psh, TcpFlags.Ack | TcpFlags.Fin, TcpFlags.Rst | TcpFlags.Ack, TcpFlags.Ack | TcpFlags.Ns };
            uint sequence = 0, acknowledgment = 0;
            int flags = TcpFlags.Ack, window = 0;
            for (int i = 0; i < 20000; i++)
            {
                if (random.NextUInt32() % 2 == 0) sequence = random.NextUInt32() % 4 == 0 ? ~sequence : random.NextUInt32();
                if (random.NextUInt32() % 2 == 0) acknowledgment = random.NextUInt32() % 4 == 0 ? ~acknowledgment : random.NextUInt32();
                if (random.NextUInt32() % 2 == 0) flags = flagSets[random.NextUInt32() % (uint)flagSets.Length];
                if (random.NextUInt32() % 2 == 0) window = (int)(random.NextUInt32() & 0xFFFF);
                int connection = random.NextUInt32() % 5 == 0 ? (int)(random.NextUInt32() % 3) : i / 1000 % 3;
                int offset = (int)(random.NextUInt32() % 40);
                int payload = random.NextUInt32() % 2 == 0 ? 0 : (int)(random.NextUInt32() % 1460);
                for (int b = 0; b < 20; b++)
                    written[offset + b] = (byte)random.NextUInt32(); // what an earlier frame left there
                for (int b = 0; b < payload; b++)
                    written[offset + 20 + b] = expected[offset + 20 + b] = (byte)random.NextUInt32();
                var header = new TcpHeader
                {
                    SourcePort = ports[2 * connection],
                    DestinationPort = ports[2 * connection + 1],
                    SequenceNumber = sequence,
                    AcknowledgmentNumber = acknowledgment,
                    Flags = flags,
                    Window = window,
                };
                uint source = addresses[2 * connection], destination = addresses[2 * connection + 1];
                AssertWritesWhatEmitWrites(plain, header, written, expected, offset, payload, source, destination, i);
            }
        }

        /// <summary>Header i from plain at written[offset] and from TcpHeader.Emit at expected[offset], the payload
        /// already after both: the same length and 20 bytes, and a checksum the RFC 1071 reference loop accepts.</summary>
        private static void AssertWritesWhatEmitWrites(TcpPlainHeader plain, TcpHeader header, byte[] written, byte[] expected,
            int offset, int payload, uint source, uint destination, int i)
        {
            int length = plain.Write(written, offset, header.SourcePort, header.DestinationPort, header.SequenceNumber,
                header.AcknowledgmentNumber, header.Flags, header.Window, payload, source, destination);
            Assert.Equal(header.Emit(expected, offset, payload, source, destination), length);
            for (int b = 0; b < 20; b++)
                Assert.True(expected[offset + b] == written[offset + b], $"byte {b} of header {i}: {written[offset + b]:X2}, Emit wrote {expected[offset + b]:X2}");
            Assert.Equal(0, ReferenceChecksum.WithPseudoHeader(source, destination, 6, written, offset, 20 + payload));
        }
    }
}
