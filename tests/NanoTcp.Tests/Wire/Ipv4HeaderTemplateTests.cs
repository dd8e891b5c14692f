using NanoTcp.Scenarios;
using NanoTcp.Wire;
using Xunit;

namespace NanoTcp.Tests.Wire
{
    /// <summary>The header template must write, field for field, what RFC 791 3.1 asks for and what Ipv4Packet.Emit
    /// writes, with a header checksum the plain RFC 1071 loop accepts, whether the destination repeats or changes.</summary>
    public sealed class Ipv4HeaderTemplateTests
    {
        [Fact]
        public void WritesTheFieldsOfRfc791WithAValidChecksum()
        {
            var template = new Ipv4HeaderTemplate();
            var buffer = new byte[40];
            template.Write(buffer, 14 - 0, 0xC0A80102, 0x0A000001, 6, 64, 1500, 0xBEEF);
            // RFC 791 3.1: version 4, IHL 5; TOS 0; total length; identification; DF, offset 0; TTL; protocol; addresses.
            Assert.Equal(new byte[] { 0x45, 0x00, 0x05, 0xDC, 0xBE, 0xEF, 0x40, 0x00, 64, 6 }, buffer[14..24]);
            Assert.Equal(new byte[] { 0xC0, 0xA8, 0x01, 0x02, 0x0A, 0x00, 0x00, 0x01 }, buffer[26..34]);
            Assert.Equal(0, ReferenceChecksum.Compute(buffer, 14, 20));
        }

        [Fact]
        public void MatchesIpv4PacketEmitForRepeatedAndChangingDestinations()
        {
            var random = new SeededRandom(11);
            var template = new Ipv4HeaderTemplate();
            var written = new byte[64];
            var expected = new byte[64];
            uint[] sources = { 0x0A000002, 0xC0A80001, 0xFFFFFFFF };
            uint[] destinations = { 0x0A000001, 0x0A0000FF, 0xE00000FB, 0x00000001 };
            int[] protocols = { 1, 6, 17 };
            for (int i = 0; i < 20000; i++)
            {
                // Mostly the same key (a connection's packets), now and then another one.
                uint source = sources[random.NextUInt32() % 8 == 0 ? random.NextUInt32() % 3 : 0];
                uint destination = destinations[random.NextUInt32() % 4 == 0 ? random.NextUInt32() % 4 : 0];
                int protocol = protocols[random.NextUInt32() % 6 == 0 ? random.NextUInt32() % 3 : 1];
                int ttl = random.NextUInt32() % 10 == 0 ? (int)(random.NextUInt32() % 256) : 64;
                int payload = (int)(random.NextUInt32() % 65516);
                int id = (int)(random.NextUInt32() & 0xFFFF);
                int offset = (int)(random.NextUInt32() % 40);

                template.Write(written, offset, source, destination, protocol, ttl, 20 + payload, id);
                Ipv4Header header = Ipv4Header.Create(source, destination, protocol, payload, id);
                header.TimeToLive = ttl;
                Ipv4Packet.Emit(expected, offset, header);
                for (int b = 0; b < 20; b++)
                    Assert.True(expected[offset + b] == written[offset + b], $"byte {b} of header {i}: {written[offset + b]:X2}, Emit wrote {expected[offset + b]:X2}");
                Assert.Equal(0, ReferenceChecksum.Compute(written, offset, 20));
            }
        }
    }
}
