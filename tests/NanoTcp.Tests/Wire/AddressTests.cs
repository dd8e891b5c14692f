using NanoTcp.Wire;
using Xunit;

namespace NanoTcp.Tests.Wire
{
    public sealed class AddressTests
    {
        [Theory]
        [InlineData("192.168.1.2", 0xC0A80102u)]
        [InlineData("0.0.0.0", 0u)]
        [InlineData("255.255.255.255", 0xFFFFFFFFu)]
        [InlineData("10.0.0.1", 0x0A000001u)]
        public void ParsesAndFormatsIpv4(string text, uint value)
        {
            Assert.True(Ipv4Address.TryParse(text, out uint parsed));
            Assert.Equal(value, parsed);
            Assert.Equal(text, Ipv4Address.Format(value));
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("1.2.3")]
        [InlineData("1.2.3.4.5")]
        [InlineData("256.1.1.1")]
        [InlineData("1..2.3")]
        [InlineData("1.2.3.4.")]
        [InlineData(".1.2.3.4")]
        [InlineData("1.2.3.x")]
        [InlineData("1.2.3.4 ")]
        [InlineData("1111.2.3.4")]
        public void RejectsMalformedIpv4(string text)
        {
            Assert.False(Ipv4Address.TryParse(text, out _));
        }

        [Fact]
        public void SubnetHelpers()
        {
            Assert.Equal(0xFFFFFF00u, Ipv4Address.MaskFromPrefix(24));
            Assert.Equal(0u, Ipv4Address.MaskFromPrefix(0));
            Assert.Equal(0xFFFFFFFFu, Ipv4Address.MaskFromPrefix(32));
            Assert.True(Ipv4Address.IsInSubnet(0xC0A80163, 0xC0A80100, 0xFFFFFF00));
            Assert.False(Ipv4Address.IsInSubnet(0xC0A80263, 0xC0A80100, 0xFFFFFF00));
            Assert.Equal(0xC0A801FFu, Ipv4Address.SubnetBroadcast(0xC0A80102, 0xFFFFFF00));
            Assert.True(Ipv4Address.IsMulticast(0xE00000FB));
        }

        [Fact]
        public void ParsesAndFormatsMac()
        {
            var mac = new byte[8];
            Assert.True(MacAddress.TryParse("02:00:5E:10:ab:Cd", mac, 1));
            Assert.Equal(new byte[] { 0, 0x02, 0x00, 0x5E, 0x10, 0xAB, 0xCD, 0 }, mac);
            Assert.Equal("02:00:5e:10:ab:cd", MacAddress.Format(mac, 1));
            Assert.False(MacAddress.TryParse("02:00:5E:10:ab", mac, 0));
            Assert.False(MacAddress.TryParse("02:00:5E:10:ab:cg", mac, 0));
            Assert.False(MacAddress.TryParse("02:00:5E:10:ab;cd", mac, 0));
            var broadcast = new byte[] { 255, 255, 255, 255, 255, 255 };
            Assert.True(MacAddress.IsBroadcast(broadcast, 0));
            Assert.True(MacAddress.IsMulticast(broadcast, 0));
            Assert.False(MacAddress.IsMulticast(mac, 1));
        }
    }
}
