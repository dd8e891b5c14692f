// Device cost benchmark (issue 11 point 5). nanoCLR's host reads the counter tokens when a line ends: a line
// "[[il-mark]]" alone sets the mark, "x [[il-delta]]" prints the IL since it, "x [[il-delta]][[il-mark]]" both.
// Output lines, read by tests/Device/run-cost-benchmark.sh:
//   "cal <n>"      IL of an empty mark/delta pair (the counter's own overhead, subtracted per turn)
//   "wire-tx <n>" / "wire-rx <n>"  IL of the MemoryWire alone, WireFrames frames transmitted / received
//                  (the test link, not the device's cost: subtracted per frame)
//   "A <n>"/"B <n>" IL of one send-path / receive-path turn of the 100 KB transfer
//   "moved framesA <n> framesB <n> segments <n> bytes <n>"  what the measured transfer moved
//   "w5500 rx|tx" then "dev <n>"/"chip <n>" lines, "w5500-moved segments <n> bytes <n>": the device on the W5500
//                  driver over the chip model receiving / sending Total bytes ("chip": the model's own IL)
//   "time ref <ticks> transfer <ticks>"  one timed round (DateTime ticks, 100 ns), five rounds
using System;
using NanoTcp.StackSuites;

namespace NanoTcp.DeviceBench
{
    public static class Program
    {
        public const int WireFrames = 200;
        public const int Rounds = 5;

        public static void Main()
        {
            Console.WriteLine("nanoTcp device cost benchmark");
            for (int i = 0; i < 5; i++)
            {
                Console.WriteLine("[[il-mark]]");
                Console.WriteLine("cal [[il-delta]]");
            }
            WireAlone();

            var counted = new TransferBench();
            int bytes = counted.Run(true);
            Console.WriteLine(string.Concat("moved framesA ", counted.FramesFromA.ToString(), " framesB ", counted.FramesFromB.ToString(),
                string.Concat(" segments ", counted.SegmentsToB.ToString(), " bytes ", bytes.ToString())));

            var full = new TransferBench();
            full.FullSegments = true;
            full.TagA = "A1460";
            full.TagB = "B1460";
            bytes = full.Run(true);
            Console.WriteLine(string.Concat("moved1460 framesA ", full.FramesFromA.ToString(), " framesB ", full.FramesFromB.ToString(),
                string.Concat(" segments ", full.SegmentsToB.ToString(), " bytes ", bytes.ToString())));

            for (int direction = 0; direction < 4; direction++)
            {
                bool receives = (direction & 1) == 0;
                bool fullSegments = direction >= 2;
                Console.WriteLine(string.Concat(receives ? "w5500 rx" : "w5500 tx", fullSegments ? "1460" : ""));
                var w5500 = new W5500Bench();
                w5500.FullSegments = fullSegments;
                int moved = w5500.Run(receives, true);
                Console.WriteLine(string.Concat("w5500-moved segments ", w5500.Segments.ToString(), " bytes ", moved.ToString()));
            }

            for (int round = 0; round < Rounds; round++)
            {
                long t0 = DateTime.UtcNow.Ticks;
                ReferenceWorkload.Run();
                long t1 = DateTime.UtcNow.Ticks;
                var timed = new TransferBench();
                long t2 = DateTime.UtcNow.Ticks;
                timed.Run(false);
                long t3 = DateTime.UtcNow.Ticks;
                Console.WriteLine(string.Concat("time ref ", (t1 - t0).ToString(), " transfer ", (t3 - t2).ToString()));
            }
            MqttRun();
            Console.WriteLine("done");
        }

        /// <summary>Issue 15: IL per MQTT message published at QoS 0 and 1 (MqttBench); errors printed, as nanoCLR ends a thread silently.</summary>
        private static void MqttRun()
        {
            try
            {
                var bench = new MqttBench();
                bench.First();
                bench.Run(0);
                bench.Run(1);
            }
            catch (Exception e)
            {
                Console.WriteLine(string.Concat("mqtt-failed ", e.Message));
            }
        }

        /// <summary>WireFrames full-size frames through a MemoryWire (transmit, deliver, receive), nothing else.</summary>
        private static void WireAlone()
        {
            var wire = new MemoryWire(2);
            MemoryWirePort a = wire.AddPort(1, WireFrames);
            MemoryWirePort b = wire.AddPort(2, WireFrames);
            byte[] frame = new byte[1514];
            byte[] into = new byte[1514];
            b.CopyMacAddress(frame, 0);
            Console.WriteLine("[[il-mark]]");
            for (int i = 0; i < WireFrames; i++)
                a.Transmit(frame, 0, frame.Length);
            Console.WriteLine("wire-tx [[il-delta]]");
            Console.WriteLine("[[il-mark]]");
            for (int i = 0; i < WireFrames; i++)
                b.Receive(into, 0, into.Length);
            Console.WriteLine("wire-rx [[il-delta]]");
        }
    }
}
