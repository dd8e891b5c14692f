using System;
using System.IO;
using NanoTcp.Boards.Desktop;

namespace NanoTcp.Benchmarks
{
    /// <summary>Turns the speed rows' veth pair's segmentation offloads (TSO, GSO, GRO) on or off for one run of a
    /// server (ethtool -K on nb0 here and nb1 in the peer's namespace), and back to a new veth's defaults (TSO and
    /// GSO on, GRO off) when disposed. With them off the kernel's TCP sends skbs of at most one MSS, each crossing
    /// the veth as one packet.</summary>
    internal sealed class VethOffloads : IDisposable
    {
        private const string Ethtool = "/usr/sbin/ethtool";
        private readonly int _peerPid;

        public VethOffloads(int peerPid)
        {
            if (!File.Exists(Ethtool))
                throw new Exception("needs ethtool (apt-get install ethtool)");
            _peerPid = peerPid;
            Set("tso off gso off gro off");
        }

        private void Set(string features)
        {
            LinuxComparison.Must(Ethtool, $"-K nb0 {features}");
            LinuxComparison.Must("nsenter", $"-t {_peerPid} -n {Ethtool} -K nb1 {features}");
        }

        public void Dispose() => Set("tso on gso on gro off");
    }
}
