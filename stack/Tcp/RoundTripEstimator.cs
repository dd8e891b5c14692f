// Retransmission timeout, RFC 6298: SRTT/RTTVAR smoothing (section 2), Karn's rule (section 3: no
// sample from a retransmitted segment; the caller decides), backoff (5.5) and bounds (2.4, 2.5).
// Kept in 1/8 ms units as BSD and Linux do, integer arithmetic only.
namespace NanoTcp.Tcp
{
    public struct RoundTripEstimator
    {
        private readonly TcpConfig _config;
        private int _srtt8;    // SRTT * 8
        private int _rttvar8;  // RTTVAR * 8
        private bool _hasSample;
        internal int _rtoMs; // read directly when the engine arms the retransmission timer (every segment and ACK)

        public RoundTripEstimator(TcpConfig config)
        {
            _config = config;
            _srtt8 = 0;
            _rttvar8 = 0;
            _hasSample = false;
            _rtoMs = config.InitialRtoMs;
        }

        public int RtoMs { get { return _rtoMs; } }
        public int SmoothedRttMs { get { return _srtt8 / 8; } }
        public bool HasSample { get { return _hasSample; } }

        public void Reset()
        {
            _srtt8 = 0;
            _rttvar8 = 0;
            _hasSample = false;
            _rtoMs = _config.InitialRtoMs;
        }

        /// <summary>Folds one measured round trip into SRTT and RTTVAR and recomputes RTO (2.2, 2.3).</summary>
        public void AddSample(int rttMs)
        {
            if (rttMs < 0) rttMs = 0;
            if (rttMs > _config.MaxRtoMs) rttMs = _config.MaxRtoMs; // bounded: SRTT * 8 never overflows
            int r8 = rttMs * 8;
            if (!_hasSample)
            {
                _srtt8 = r8;
                _rttvar8 = r8 / 2;
                _hasSample = true;
            }
            else
            {
                int delta = r8 - _srtt8;
                if (delta < 0) delta = -delta;
                _rttvar8 += (delta - _rttvar8) / 4;  // RTTVAR = 3/4 RTTVAR + 1/4 |SRTT - R'|
                _srtt8 += (r8 - _srtt8) / 8;          // SRTT = 7/8 SRTT + 1/8 R'
            }
            int variance = 4 * _rttvar8 / 8;
            if (variance < _config.ClockGranularityMs) variance = _config.ClockGranularityMs;
            _rtoMs = Clamp(_srtt8 / 8 + variance);
        }

        /// <summary>RFC 6298 5.7: after a retransmitted SYN with no sample yet, data starts with an RTO of at least ms.</summary>
        public void RaiseTo(int ms)
        {
            if (!_hasSample && _rtoMs < ms)
                _rtoMs = Clamp(ms);
        }

        /// <summary>RTO doubles after a timeout (5.5), up to the bound.</summary>
        public void BackOff()
        {
            _rtoMs = Clamp(_rtoMs * 2);
        }

        private int Clamp(int rto)
        {
            if (rto < _config.MinRtoMs) return _config.MinRtoMs;
            if (rto > _config.MaxRtoMs) return _config.MaxRtoMs;
            return rto;
        }
    }
}
