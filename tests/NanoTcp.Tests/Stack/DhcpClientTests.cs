using System;
using NanoTcp.Boards.Desktop;
using NanoTcp.Dhcp;
using NanoTcp.Scenarios;
using NanoTcp.Wire;
using Xunit;

namespace NanoTcp.Tests.Stack
{
    /// <summary>The DHCP client (RFC 2131) against a server scripted in the test: every path of figure 5.</summary>
    public sealed class DhcpClientTests
    {
        private const uint ServerAddress = 0x0A0000FE, Offered = 0x0A000064, Router = 0x0A000001, Dns = 0x0A000035;
        private static readonly byte[] Broadcast = { 255, 255, 255, 255, 255, 255 };

        private sealed class Lan
        {
            public readonly SimulatedSwitch Switch = new(5);
            public readonly SimulatedNic Nic;
            public readonly NetworkStack Stack;
            public readonly RawPeer Server;

            public Lan()
            {
                Nic = Switch.AddNic("device", "02:00:00:00:00:0d");
                Stack = new NetworkStack(Nic, new StackConfig(), new SeededRandom(21));
                Server = new RawPeer(Switch, "02:00:00:00:00:fe", ServerAddress);
            }

            /// <summary>Runs until the server sees a DHCP message (returned) or the limit passes (null).</summary>
            public UdpSeen NextRequest(int limitMs)
            {
                long end = Switch.Now + limitMs;
                while (Switch.Now <= end)
                {
                    Stack.Poll(Switch.Now);
                    UdpSeen seen = Server.NextUdp();
                    if (seen != null && seen.DestinationPort == 67)
                        return seen;
                    Switch.Now++;
                }
                return null;
            }

            public void Run(int ms)
            {
                for (int i = 0; i < ms; i++)
                {
                    Stack.Poll(Switch.Now);
                    Server.NextUdp();
                    Switch.Now++;
                }
            }

            public void Reply(UdpSeen request, int type, uint lease = 3600, uint t1 = 0, uint t2 = 0, bool unicast = false, uint xid = 0)
            {
                byte[] m = Message(request.Payload, type, lease, t1, t2, xid);
                if (unicast)
                    Server.SendUdp(request.SourceMac, Offered, 67, 68, m);
                else
                    Server.SendUdp(Broadcast, 0xFFFFFFFF, 67, 68, m);
            }
        }

        private static int Type(UdpSeen message) => message.Payload[242]; // option 53 comes first in our messages
        private static uint Xid(UdpSeen message) => NetworkOrder.ReadUInt32(message.Payload, 4);

        /// <summary>A server reply built byte by byte (RFC 2131 section 2, RFC 2132 options).</summary>
        private static byte[] Message(byte[] request, int type, uint lease, uint t1, uint t2, uint xid)
        {
            var m = new byte[300];
            m[0] = 2; m[1] = 1; m[2] = 6;
            Array.Copy(request, 4, m, 4, 4);
            if (xid != 0) NetworkOrder.WriteUInt32(m, 4, xid);
            Array.Copy(request, 10, m, 10, 2);
            if (type != DhcpMessage.Nak) NetworkOrder.WriteUInt32(m, 16, Offered);
            Array.Copy(request, 28, m, 28, 16);
            NetworkOrder.WriteUInt32(m, 236, 0x63825363);
            int p = 240;
            m[p++] = 53; m[p++] = 1; m[p++] = (byte)type;
            m[p++] = 54; m[p++] = 4; NetworkOrder.WriteUInt32(m, p, ServerAddress); p += 4;
            if (type != DhcpMessage.Nak)
            {
                m[p++] = 51; m[p++] = 4; NetworkOrder.WriteUInt32(m, p, lease); p += 4;
                m[p++] = 1; m[p++] = 4; NetworkOrder.WriteUInt32(m, p, 0xFFFFFF00); p += 4;
                m[p++] = 3; m[p++] = 4; NetworkOrder.WriteUInt32(m, p, Router); p += 4;
                m[p++] = 6; m[p++] = 8; NetworkOrder.WriteUInt32(m, p, Dns); NetworkOrder.WriteUInt32(m, p + 4, 0x08080808); p += 8;
                if (t1 != 0) { m[p++] = 58; m[p++] = 4; NetworkOrder.WriteUInt32(m, p, t1); p += 4; }
                if (t2 != 0) { m[p++] = 59; m[p++] = 4; NetworkOrder.WriteUInt32(m, p, t2); p += 4; }
            }
            m[p] = 255;
            return m;
        }

        private static Lan BoundLan(uint lease = 3600, uint t1 = 0, uint t2 = 0)
        {
            var lan = new Lan();
            lan.Stack.StartDhcp();
            UdpSeen discover = lan.NextRequest(100);
            lan.Reply(discover, DhcpMessage.Offer);
            UdpSeen request = lan.NextRequest(100);
            lan.Reply(request, DhcpMessage.Ack, lease, t1, t2);
            lan.Run(5);
            Assert.Equal(DhcpState.Bound, lan.Stack.Dhcp.State);
            return lan;
        }

        [Fact]
        public void DiscoverOfferRequestAckConfiguresTheStack()
        {
            var lan = new Lan();
            lan.Stack.StartDhcp();
            UdpSeen discover = lan.NextRequest(100);
            Assert.NotNull(discover);
            Assert.Equal(DhcpMessage.Discover, Type(discover));
            Assert.Equal(0u, discover.Source);
            Assert.Equal(0xFFFFFFFFu, discover.Destination);
            Assert.True(discover.Broadcast);
            Assert.Equal(68, discover.SourcePort);
            Assert.Equal(lan.Nic.Mac, discover.Payload[28..34]);
            Assert.Equal(DhcpState.Selecting, lan.Stack.Dhcp.State);

            lan.Reply(discover, DhcpMessage.Offer);
            UdpSeen request = lan.NextRequest(100);
            Assert.Equal(DhcpMessage.Request, Type(request));
            Assert.Equal(Xid(discover), Xid(request));
            Assert.Equal(Offered, DhcpMessage.ReadAddressOption(request.Payload, 0, request.Payload.Length, DhcpMessage.OptionRequestedAddress));
            Assert.Equal(ServerAddress, DhcpMessage.ReadAddressOption(request.Payload, 0, request.Payload.Length, DhcpMessage.OptionServerIdentifier));

            lan.Reply(request, DhcpMessage.Ack, lease: 7200);
            lan.Run(5);
            Assert.Equal(DhcpState.Bound, lan.Stack.Dhcp.State);
            Assert.Equal(Offered, lan.Stack.Address);
            Assert.Equal(0xFFFFFF00u, lan.Stack.SubnetMask);
            Assert.Equal(Router, lan.Stack.Gateway);
            Assert.Equal(Dns, lan.Stack.DnsServer);
            Assert.Equal(7200u, lan.Stack.Dhcp.LeaseSeconds);
        }

        [Fact]
        public void NakSendsTheClientBackToDiscover()
        {
            var lan = new Lan();
            lan.Stack.StartDhcp();
            UdpSeen discover = lan.NextRequest(100);
            lan.Reply(discover, DhcpMessage.Offer);
            UdpSeen request = lan.NextRequest(100);
            lan.Reply(request, DhcpMessage.Nak);
            UdpSeen again = lan.NextRequest(100);
            Assert.Equal(DhcpMessage.Discover, Type(again));
            Assert.NotEqual(Xid(discover), Xid(again));
            Assert.Equal(1, lan.Stack.Dhcp.Naks);
            Assert.Equal(0u, lan.Stack.Address);
        }

        [Fact]
        public void UnansweredDiscoversBackOffExponentiallyWithJitter()
        {
            var lan = new Lan();
            lan.Stack.StartDhcp();
            long last = lan.Switch.Now;
            Assert.NotNull(lan.NextRequest(10));
            int[] expected = { 4000, 8000, 16000, 32000, 64000, 64000 };
            foreach (int interval in expected)
            {
                UdpSeen next = lan.NextRequest(interval + 1100);
                Assert.NotNull(next);
                long gap = lan.Switch.Now - last;
                last = lan.Switch.Now;
                Assert.InRange(gap, interval - 1000, interval + 1000); // RFC 2131 4.1: +-1 s randomization
            }
        }

        [Fact]
        public void RepliesWithAnotherTransactionOrHardwareAddressAreIgnored()
        {
            var lan = new Lan();
            lan.Stack.StartDhcp();
            UdpSeen discover = lan.NextRequest(100);
            lan.Reply(discover, DhcpMessage.Offer, xid: Xid(discover) + 1);
            byte[] other = Message(discover.Payload, DhcpMessage.Offer, 3600, 0, 0, 0);
            other[28] ^= 0xFF; // someone else's chaddr
            lan.Server.SendUdp(Broadcast, 0xFFFFFFFF, 67, 68, other);
            lan.Run(20);
            Assert.Equal(DhcpState.Selecting, lan.Stack.Dhcp.State);
            Assert.Equal(2, lan.Stack.Dhcp.RepliesIgnored);
        }

        [Fact]
        public void RenewsAtT1ByUnicastToTheServer()
        {
            var lan = BoundLan(lease: 100, t1: 50, t2: 80);
            Assert.Null(lan.NextRequest(49000));
            UdpSeen renew = lan.NextRequest(1100);
            Assert.NotNull(renew);
            Assert.Equal(DhcpState.Renewing, lan.Stack.Dhcp.State);
            Assert.Equal(ServerAddress, renew.Destination);
            Assert.False(renew.Broadcast);
            Assert.Equal(Offered, renew.Source);
            Assert.Equal(Offered, NetworkOrder.ReadUInt32(renew.Payload, 12)); // ciaddr
            lan.Reply(renew, DhcpMessage.Ack, lease: 100, t1: 50, t2: 80, unicast: true);
            lan.Run(5);
            Assert.Equal(DhcpState.Bound, lan.Stack.Dhcp.State);
            Assert.Equal(Offered, lan.Stack.Address);
            Assert.Equal(2, lan.Stack.Dhcp.Leases);
        }

        [Fact]
        public void RebindsAtT2ByBroadcastWhenTheServerIsSilent()
        {
            var lan = BoundLan(lease: 200, t1: 100, t2: 175);
            UdpSeen renew = lan.NextRequest(101000);
            Assert.Equal(DhcpState.Renewing, lan.Stack.Dhcp.State);
            UdpSeen rebind = null;
            while (lan.Switch.Now < 176000)
            {
                UdpSeen next = lan.NextRequest(1000);
                if (next != null && next.Broadcast) { rebind = next; break; }
            }
            Assert.NotNull(rebind);
            Assert.Equal(DhcpState.Rebinding, lan.Stack.Dhcp.State);
            Assert.Equal(0xFFFFFFFFu, rebind.Destination);
            lan.Reply(rebind, DhcpMessage.Ack, lease: 200);
            lan.Run(5);
            Assert.Equal(DhcpState.Bound, lan.Stack.Dhcp.State);
            Assert.Equal(Offered, lan.Stack.Address);
        }

        [Fact]
        public void LeaseExpiryUnconfiguresAndStartsOver()
        {
            var lan = BoundLan(lease: 120, t1: 60, t2: 100);
            UdpSeen discover = null;
            while (lan.Switch.Now < 125000 && discover == null)
            {
                UdpSeen next = lan.NextRequest(1000);
                if (next != null && Type(next) == DhcpMessage.Discover) discover = next;
            }
            Assert.NotNull(discover);
            Assert.InRange(lan.Switch.Now, 120000, 121100);
            Assert.Equal(0u, lan.Stack.Address);
            Assert.Equal(DhcpState.Selecting, lan.Stack.Dhcp.State);
        }
    

        /// <summary>The options of a DHCP message as (code, value) pairs, read by hand (RFC 2132 2).</summary>
        private static byte[] OptionValue(byte[] m, int code)
        {
            for (int p = 240; p < m.Length && m[p] != 255; p += m[p] == 0 ? 1 : 2 + m[p + 1])
                if (m[p] == code) return m[(p + 2)..(p + 2 + m[p + 1])];
            return null;
        }

        [Fact]
        public void AsksForNtpServersAndKeepsTheFirstOfOption42()
        {
            var lan = new Lan();
            lan.Stack.StartDhcp();
            UdpSeen discover = lan.NextRequest(100);
            Assert.Contains((byte)42, OptionValue(discover.Payload, 55)); // RFC 2132 9.8: parameter request list
            lan.Reply(discover, DhcpMessage.Offer);
            UdpSeen request = lan.NextRequest(100);
            Assert.Contains((byte)42, OptionValue(request.Payload, 55));
            byte[] ack = Message(request.Payload, DhcpMessage.Ack, 3600, 0, 0, 0);
            int end = 240;
            while (ack[end] != 255) end += 2 + ack[end + 1]; // Message writes no pad options
            byte[] ntp = { 42, 8, 10, 0, 0, 123, 10, 0, 0, 124, 255 }; // RFC 2132 8.3: a list, in order of preference
            Array.Copy(ntp, 0, ack, end, ntp.Length);
            lan.Server.SendUdp(Broadcast, 0xFFFFFFFF, 67, 68, ack);
            lan.Run(5);
            Assert.Equal(DhcpState.Bound, lan.Stack.Dhcp.State);
            Assert.Equal(0x0A00007Bu, lan.Stack.Dhcp.NtpServer);
        }

        [Fact]
        public void ALeaseWithoutOption42LeavesNoNtpServer()
        {
            var lan = BoundLan();
            Assert.Equal(0u, lan.Stack.Dhcp.NtpServer);
        }
    }
}
