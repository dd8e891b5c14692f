using System;

namespace NanoTcp.Boards.Desktop
{
    /// <summary>Joins a TAP interface to a simulated switch as one more port: frames from the kernel enter
    /// the switch, frames the switch floods or addresses to the kernel go out on the TAP.</summary>
    public sealed class TapBridge
    {
        private readonly TapDevice _tap;
        private readonly SimulatedNic _port;
        private readonly byte[] _frame = new byte[1514];

        public long FramesFromTap, FramesToTap;

        public TapBridge(SimulatedSwitch lan, TapDevice tap, string portMac)
        {
            _tap = tap;
            _port = lan.AddNic("tap-bridge", portMac);
        }

        /// <summary>Moves every waiting frame across, both ways.</summary>
        public void Pump()
        {
            int n;
            while ((n = _tap.Receive(_frame, 0, _frame.Length)) > 0)
            {
                FramesFromTap++;
                _port.Transmit(_frame, 0, n);
            }
            while ((n = _port.Receive(_frame, 0, _frame.Length)) > 0)
            {
                FramesToTap++;
                _tap.Transmit(_frame, 0, n);
            }
        }
    }
}
