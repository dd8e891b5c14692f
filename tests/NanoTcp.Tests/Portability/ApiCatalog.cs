using System;
using System.Collections.Generic;
using System.IO;

namespace NanoTcp.Tests.Portability
{
    /// <summary>
    /// The public API of the nanoFramework assemblies, read from device/api/*.txt (copied from ../shared/nanoframework/api)
    /// (format in that folder's README: T, B, I, M and F lines). Lookups are by type full name across
    /// all files, because host-compiled code names System.Object in System.Runtime, not mscorlib.
    /// </summary>
    public sealed class ApiCatalog
    {
        private readonly HashSet<string> _types = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _baseTypes = new(StringComparer.Ordinal);
        private readonly HashSet<string> _methods = new(StringComparer.Ordinal);
        private readonly HashSet<string> _fields = new(StringComparer.Ordinal);

        public int FileCount { get; private set; }
        public int LineCount { get; private set; }

        /// <summary>Loads every *.txt list in <paramref name="directory"/>; null when the folder or its lists are missing.</summary>
        public static ApiCatalog TryLoad(string directory, out string problem)
        {
            problem = null;
            if (directory == null || !Directory.Exists(directory))
            {
                problem = $"the nanoFramework API lists were not found at '{directory}'";
                return null;
            }
            string[] files = Directory.GetFiles(directory, "*.txt");
            if (files.Length == 0 || !File.Exists(Path.Combine(directory, "mscorlib.txt")))
            {
                problem = $"'{directory}' holds no mscorlib.txt API list";
                return null;
            }
            var catalog = new ApiCatalog();
            foreach (string file in files)
            {
                catalog.FileCount++;
                foreach (string line in File.ReadLines(file))
                {
                    if (line.Length < 3 || line[1] != ' ')
                        continue;
                    catalog.LineCount++;
                    string body = line.Substring(2);
                    switch (line[0])
                    {
                        case 'T': catalog._types.Add(body); break;
                        case 'B':
                            int colon = body.IndexOf(" : ", StringComparison.Ordinal);
                            if (colon > 0) catalog._baseTypes[body.Substring(0, colon)] = body.Substring(colon + 3);
                            break;
                        case 'M': catalog._methods.Add(body); break;
                        case 'F': catalog._fields.Add(body); break;
                    }
                }
            }
            return catalog;
        }

        public bool HasType(string fullName) => _types.Contains(fullName);

        /// <summary>True when <paramref name="type"/> or one of its base types declares the method
        /// "Name(P1,P2)" (metadata parameter names, see the README's line format).</summary>
        public bool HasMethod(string type, string nameAndParameters) => FindOnChain(type, nameAndParameters, _methods);

        public bool HasField(string type, string name) => FindOnChain(type, name, _fields);

        /// <summary>Every listed type, for questions about the host's hierarchy.</summary>
        public IEnumerable<string> Types => _types;

        private bool FindOnChain(string type, string member, HashSet<string> set)
        {
            for (int depth = 0; type != null && depth < 32; depth++)
            {
                if (set.Contains(type + "::" + member))
                    return true;
                _baseTypes.TryGetValue(type, out type);
            }
            return false;
        }
    }
}
