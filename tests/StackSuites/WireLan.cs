// Stacks and scripted peers on one MemoryWire, in virtual time (milliseconds): A = 10.0.0.1, B = 10.0.0.2.
using NanoTcp.Scenarios;

namespace NanoTcp.StackSuites
{
    public delegate bool Condition();
    public delegate void Step();

    public sealed class WireLan
    {
        public const uint AddressA = 0x0A000001, AddressB = 0x0A000002, Mask = 0xFFFFFF00;
        public const int QueueDepth = 64;

        public readonly MemoryWire Wire = new MemoryWire(4);
        public readonly NetworkStack A;
        public readonly NetworkStack B;
        public readonly MemoryWirePort PortA;
        public readonly MemoryWirePort PortB;
        public ScriptedPeer Peer;
        public long Now;

        /// <summary>Called once per step, after the stacks polled (a service's Poll, an application loop).</summary>
        public Step EveryStep;

        /// <summary>Stack A and, when withB, stack B; configured (static addresses) when configure.</summary>
        public WireLan(bool withB, bool configure)
        {
            PortA = Wire.AddPort(0x0A, QueueDepth);
            A = new NetworkStack(PortA, new StackConfig(), new SeededRandom(11));
            if (withB)
            {
                PortB = Wire.AddPort(0x0B, QueueDepth);
                B = new NetworkStack(PortB, new StackConfig(), new SeededRandom(13));
            }
            if (configure)
            {
                A.Configure(AddressA, Mask, 0, 0);
                if (B != null)
                    B.Configure(AddressB, Mask, 0, 0);
                Run(10);
            }
        }

        /// <summary>Two configured stacks.</summary>
        public static WireLan Pair() { return new WireLan(true, true); }

        public ScriptedPeer AddPeer(byte macLastByte, uint address)
        {
            Peer = new ScriptedPeer(Wire.AddPort(macLastByte, QueueDepth), address);
            return Peer;
        }

        public void Run(int milliseconds)
        {
            RunUntil(null, milliseconds);
        }

        /// <summary>Polls everything until done() (checked every step) or limitMs of virtual time passed;
        /// true when done() became true. Time stands still while frames wait on the wire.</summary>
        public bool RunUntil(Condition done, int limitMs)
        {
            long end = Now + limitMs;
            int stillSteps = 0;
            while (Now <= end)
            {
                long next = A.Poll(Now);
                if (B != null)
                {
                    long nextB = B.Poll(Now);
                    if (nextB < next) next = nextB;
                }
                if (Peer != null)
                    Peer.Poll();
                if (EveryStep != null)
                    EveryStep();
                if (done != null && done())
                    return true;
                if (FramesWaiting() && stillSteps < 1000)
                {
                    stillSteps++;
                    continue;
                }
                stillSteps = 0;
                if (next > Now + 10) next = Now + 10;
                Now = next > Now ? next : Now + 1;
            }
            return done != null && done();
        }

        private bool FramesWaiting()
        {
            return Wire.AnyWaiting();
        }
    }
}
