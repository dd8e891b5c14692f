using System;
using NanoTcp.Firmware.Services;
using NanoTcp.Host;
using NanoTcp.Tcp;
using NanoTcp.Tests.Stack;
using Xunit;

namespace NanoTcp.Tests.Firmware
{
    /// <summary>Issue 12 point 6: the host's loop shape (HostLoop over QuietPoll) with the services moving
    /// data, echo, chargen and discard at once at the default configuration, allocates nothing per segment.</summary>
    public sealed class ServiceLoopAllocationTests
    {
        [Fact]
        public void EchoChargenAndDiscardThroughTheHostLoopAllocateNothingPerSegment()
        {
            var pair = new StackPair();
            var services = new FirmwareServices(pair.B);
            long clientNext = 0;
            var loop = new HostLoop(pair.B, services.Poll, () => pair.Switch.Now, (now, deadline) =>
            {
                long until = Math.Min(Math.Min(deadline, clientNext), pair.Switch.NextDelivery);
                pair.Switch.Now = until > now && until != long.MaxValue ? until : now + 1;
            }) { MaxWaitMs = long.MaxValue };
            NetworkStack a = pair.A;
            TcpConnection echo = a.Tcp.Connect(a.Address, StackPair.AddressB, ServicePorts.Echo, 0);
            TcpConnection chargen = a.Tcp.Connect(a.Address, StackPair.AddressB, ServicePorts.Chargen, 0);
            TcpConnection discard = a.Tcp.Connect(a.Address, StackPair.AddressB, ServicePorts.Discard, 0);
            var data = new byte[1460];
            new Random(3).NextBytes(data);
            var sink = new byte[2048];
            const long Total = 1 << 20, WarmUp = 128 * 1024;
            long echoSent = 0, echoed = 0, chargenRead = 0, discardSent = 0, before = 0, segmentsBefore = 0;
            for (int step = 0; step < 2_000_000 && (echoed < Total || chargenRead < Total || services.DiscardedBytes < Total); step++)
            {
                loop.Step();
                clientNext = a.Poll(pair.Switch.Now);
                if (echo.IsConnected)
                {
                    while (echoSent < Total && echo.SendSpace > 0)
                        echoSent += a.Tcp.Send(echo, data, 0, (int)Math.Min(Math.Min(echo.SendSpace, data.Length), Total - echoSent));
                    int n;
                    while ((n = a.Tcp.Receive(echo, sink, 0, sink.Length)) > 0)
                        echoed += n;
                }
                if (discard.IsConnected)
                    while (discardSent < Total && discard.SendSpace > 0)
                        discardSent += a.Tcp.Send(discard, data, 0, (int)Math.Min(Math.Min(discard.SendSpace, data.Length), Total - discardSent));
                if (chargen.IsConnected)
                {
                    int n;
                    while ((n = a.Tcp.Receive(chargen, sink, 0, sink.Length)) > 0)
                        chargenRead += n;
                }
                if (before == 0 && echoed > WarmUp && chargenRead > WarmUp && services.DiscardedBytes > WarmUp)
                {
                    before = ThreadAllocations.Start();
                    segmentsBefore = pair.B.Tcp.Counters.SegmentsSent;
                }
            }
            long allocated = ThreadAllocations.Since(before);
            long segments = pair.B.Tcp.Counters.SegmentsSent - segmentsBefore;
            Assert.True(echoed >= Total && chargenRead >= Total && services.DiscardedBytes >= Total,
                $"echoed {echoed}, chargen {chargenRead}, discarded {services.DiscardedBytes}");
            Assert.True(before != 0 && segments > 1000, $"{segments} segments measured");
            Assert.Equal(0, allocated);
        }
    }
}
