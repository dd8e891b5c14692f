using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace NanoTcp.Tests.Wire
{
    /// <summary>Frames built and dissected by scapy (Golden/make_golden.py): bytes plus scapy's field values.</summary>
    public sealed class GoldenFrame
    {
        public string Name { get; init; }
        public byte[] Bytes { get; init; }
        public JsonElement Fields { get; init; }

        public bool Has(string field) => Fields.TryGetProperty(field, out _);
        public int Int(string field) => Fields.GetProperty(field).GetInt32();
        public uint UInt(string field) => Fields.GetProperty(field).GetUInt32();
        public string Text(string field) => Fields.GetProperty(field).GetString();
        public byte[] Hex(string field) => Convert.FromHexString(Text(field));
        public override string ToString() => Name;

        private static readonly Lazy<Dictionary<string, GoldenFrame>> s_all = new(Load);

        public static IReadOnlyDictionary<string, GoldenFrame> All => s_all.Value;

        public static GoldenFrame Get(string name) => All[name];

        private static Dictionary<string, GoldenFrame> Load()
        {
            string path = Path.Combine(RepoLayout.Root, "tests", "NanoTcp.Tests", "Wire", "Golden", "frames.jsonl");
            var frames = new Dictionary<string, GoldenFrame>();
            foreach (string line in File.ReadLines(path))
            {
                if (line.Length == 0)
                    continue;
                using var doc = JsonDocument.Parse(line);
                var frame = new GoldenFrame
                {
                    Name = doc.RootElement.GetProperty("name").GetString(),
                    Bytes = Convert.FromHexString(doc.RootElement.GetProperty("hex").GetString()),
                    Fields = doc.RootElement.GetProperty("fields").Clone(),
                };
                frames.Add(frame.Name, frame);
            }
            return frames;
        }
    }
}
