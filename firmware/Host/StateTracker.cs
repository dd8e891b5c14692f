using System;
using NanoTcp.Tcp;
using NanoTcp.Wire;

namespace NanoTcp.Host
{
    /// <summary>Prints each TCP state change of one stack's connections, with the connection's ends.</summary>
    public sealed class StateTracker
    {
        private readonly string _name;
        private readonly TcpEngine _tcp;
        private readonly TcpState[] _last;
        private readonly int[] _remotePort;

        public StateTracker(string name, TcpEngine tcp)
        {
            _name = name;
            _tcp = tcp;
            _last = new TcpState[tcp.ConnectionCount];
            _remotePort = new int[tcp.ConnectionCount];
        }

        public void Report(long nowMs, uint localAddress, Action<string> write)
        {
            for (int i = 0; i < _last.Length; i++)
            {
                TcpConnection c = _tcp.ConnectionAt(i);
                TcpState state = c.State;
                if (state == _last[i] && c.RemotePort == _remotePort[i])
                    continue;
                string ends = $"{Ipv4Address.Format(localAddress)}:{c.LocalPort} <-> {Ipv4Address.Format(c.RemoteAddress)}:{c.RemotePort}";
                string why = state == TcpState.Closed && c.Error != TcpError.None ? $" ({TcpErrorNames.Name(c.Error)})" : "";
                write($"{nowMs / 1000,4}.{nowMs % 1000:D3}     {_name} {ends}: {TcpStateNames.Name(_last[i])} -> {TcpStateNames.Name(state)}{why}");
                _last[i] = state;
                _remotePort[i] = c.RemotePort;
            }
        }
    }
}
