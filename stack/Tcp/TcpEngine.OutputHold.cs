// Holding output for the applications' turn (issue 12): a loop that runs the applications right after the
// stack (QuietPoll) brackets the two with HoldOutput and ReleaseOutput. Meanwhile a connection whose receive
// ring is full sends nothing, since its ACK would announce a closed window that the application's read is
// about to open; and the window update a read makes due waits for that application's next Send or for
// ReleaseOutput. So the ACK, the open window and an echo's data leave in one segment where two or three did
// (RFC 1122 4.2.3.2 lets an ACK wait up to 500 ms; this waits for the applications' turn of one poll step).
namespace NanoTcp.Tcp
{
    public sealed partial class TcpEngine
    {
        private bool _holdingOutput;
        private bool _outputHeld; // something waited for ReleaseOutput: the idle loop's poll skips the walk

        /// <summary>From here until ReleaseOutput: a connection's ACKs and window updates wait as described above.</summary>
        public void HoldOutput()
        {
            _holdingOutput = true;
        }

        /// <summary>Ends HoldOutput and sends whatever every connection still owes.</summary>
        public void ReleaseOutput()
        {
            _holdingOutput = false;
            if (!_outputHeld)
                return;
            _outputHeld = false;
            for (int i = 0; i < _connections.Length; i++)
            {
                TcpConnection c = _connections[i];
                if (c.InUse && c.StateValue != TcpState.Closed)
                    Output(c);
            }
        }
    }
}
