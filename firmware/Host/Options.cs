using System;
using System.Collections.Generic;
using NanoTcp.Wire;

namespace NanoTcp.Host
{
    /// <summary>"--name value" and "--flag" arguments, with errors that say what was wrong.</summary>
    public sealed class Options
    {
        private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

        public static Options Parse(string[] args, int start, string[] valued, string[] flags)
        {
            var options = new Options();
            for (int i = start; i < args.Length; i++)
            {
                string name = args[i];
                if (Array.IndexOf(flags, name) >= 0)
                    options._values[name] = "";
                else if (Array.IndexOf(valued, name) >= 0)
                {
                    if (i + 1 >= args.Length)
                        throw new UsageException($"{name} needs a value");
                    options._values[name] = args[++i];
                }
                else
                    throw new UsageException($"unknown option '{name}'");
            }
            return options;
        }

        public bool Has(string name) => _values.ContainsKey(name);

        public string Text(string name, string fallback = null) => _values.TryGetValue(name, out string v) ? v : fallback;

        public int Number(string name, int fallback, int min, int max)
        {
            if (!_values.TryGetValue(name, out string v))
                return fallback;
            if (!int.TryParse(v, out int n) || n < min || n > max)
                throw new UsageException($"{name} must be a whole number from {min} to {max}, not '{v}'");
            return n;
        }

        public uint Address(string name, uint fallback = 0)
        {
            if (!_values.TryGetValue(name, out string v))
                return fallback;
            if (!Ipv4Address.TryParse(v, out uint a))
                throw new UsageException($"{name} must be an IPv4 address like 192.168.7.2, not '{v}'");
            return a;
        }

        /// <summary>"A.B.C.D/NN" into address and mask.</summary>
        public bool AddressWithPrefix(string name, out uint address, out uint mask)
        {
            address = mask = 0;
            if (!_values.TryGetValue(name, out string v))
                return false;
            int slash = v.IndexOf('/');
            if (slash < 0 || !Ipv4Address.TryParse(v[..slash], out address) || !int.TryParse(v[(slash + 1)..], out int prefix) || prefix < 1 || prefix > 30)
                throw new UsageException($"{name} must look like 192.168.7.2/24, not '{v}'");
            mask = Ipv4Address.MaskFromPrefix(prefix);
            return true;
        }
    }

    public sealed class UsageException : Exception
    {
        public UsageException(string message) : base(message) { }
    }
}
