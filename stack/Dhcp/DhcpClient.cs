// DHCP client, RFC 2131 section 4.4: DISCOVER -> OFFER -> REQUEST -> ACK, then RENEWING at T1 (unicast
// to the server), REBINDING at T2 (broadcast), and back to INIT when the lease expires or a NAK comes.
// Retransmission (4.1): 4, 8, 16, 32, 64 s, each +-1 s at random; while renewing or rebinding, half
// the time left to T2 or expiry, at least 60 s. Replies count only when xid and chaddr match.
// The address is not ARP-probed before use (4.4.1 says SHOULD): conflicts are counted by ARP instead.
using NanoTcp.Wire;

namespace NanoTcp.Dhcp
{
    public sealed class DhcpClient
    {
        private const int MessageLength = 300;

        private readonly NetworkStack _stack;
        private readonly IRandomSource _random;
        private readonly byte[] _mac = new byte[6];
        private readonly byte[] _message = new byte[MessageLength];
        private uint _xid;
        private long _retransmitAt = long.MaxValue;
        private int _tries;
        private int _backoffMs;
        private long _t1At, _t2At, _expiresAt;

        public DhcpClient(NetworkStack stack, IRandomSource random)
        {
            _stack = stack;
            _random = random;
            stack.CopyMacAddress(_mac, 0);
        }

        public DhcpState State { get; private set; }
        public uint OfferedAddress { get; private set; }
        public uint Server { get; private set; }
        public uint LeaseSeconds { get; private set; }
        /// <summary>The first NTP server of the lease (option 42, RFC 2132 8.3); 0 when the server named none.</summary>
        public uint NtpServer { get; private set; }
        public long BoundAt { get; private set; }
        public int Discovers { get; private set; }
        public int Naks { get; private set; }
        public int Leases { get; private set; }
        public int RepliesIgnored { get; private set; }
        public bool IsBound { get { return State == DhcpState.Bound || State == DhcpState.Renewing || State == DhcpState.Rebinding; } }

        public void Start(long now)
        {
            State = DhcpState.Init;
            _retransmitAt = now;
        }

        public void Stop()
        {
            State = DhcpState.Stopped;
            _retransmitAt = long.MaxValue;
        }

        /// <summary>Runs the client's timers; returns its next deadline.</summary>
        public long Poll(long now)
        {
            switch (State)
            {
                case DhcpState.Init:
                    if (now >= _retransmitAt)
                        SendDiscover(now);
                    break;
                case DhcpState.Selecting:
                    if (now >= _retransmitAt)
                        SendDiscover(now); // DISCOVER is retried for as long as no server answers

                    break;
                case DhcpState.Requesting:
                    if (now >= _retransmitAt)
                    {
                        if (_tries >= 4) BackToInit(now, 0);
                        else SendRequest(now, true);
                    }
                    break;
                case DhcpState.Bound:
                    if (now >= _t1At)
                    {
                        State = DhcpState.Renewing;
                        SendRenew(now, Server);
                    }
                    break;
                case DhcpState.Renewing:
                case DhcpState.Rebinding:
                    if (now >= _expiresAt)
                    {
                        _stack.Configure(0, 0, 0, 0); // lease gone: stop using the address (4.4.5)
                        BackToInit(now, 0);
                    }
                    else if (State == DhcpState.Renewing && now >= _t2At)
                    {
                        State = DhcpState.Rebinding;
                        SendRenew(now, Ipv4Address.LimitedBroadcast);
                    }
                    else if (now >= _retransmitAt)
                    {
                        SendRenew(now, State == DhcpState.Renewing ? Server : Ipv4Address.LimitedBroadcast);
                    }
                    break;
            }
            long next = _retransmitAt;
            if (State == DhcpState.Bound && _t1At < next) next = _t1At;
            if ((State == DhcpState.Renewing || State == DhcpState.Rebinding) && _expiresAt < next) next = _expiresAt;
            if (State == DhcpState.Renewing && _t2At < next) next = _t2At;
            return next;
        }

        /// <summary>A datagram for UDP port 68.</summary>
        public void HandleReply(byte[] buffer, int offset, int length, long now)
        {
            if (length < DhcpMessage.OptionsOffset || buffer[offset + DhcpMessage.Op] != DhcpMessage.OpReply
                || buffer[offset + DhcpMessage.HardwareType] != 1 || buffer[offset + DhcpMessage.HardwareLength] != 6
                || NetworkOrder.ReadUInt32(buffer, offset + DhcpMessage.TransactionId) != _xid
                || !MacAddress.AreEqual(buffer, offset + DhcpMessage.ClientHardware, _mac, 0)
                || NetworkOrder.ReadUInt32(buffer, offset + DhcpMessage.MagicCookie) != DhcpMessage.MagicCookieValue)
            {
                RepliesIgnored++;
                return;
            }
            int type = DhcpMessage.ReadMessageType(buffer, offset, length);
            uint server = DhcpMessage.ReadAddressOption(buffer, offset, length, DhcpMessage.OptionServerIdentifier);
            uint yiaddr = NetworkOrder.ReadUInt32(buffer, offset + DhcpMessage.YourAddress);
            if (State == DhcpState.Selecting && type == DhcpMessage.Offer && server != 0 && IsUsable(yiaddr))
            {
                OfferedAddress = yiaddr;
                Server = server;
                _tries = 0;
                _backoffMs = 0;
                SendRequest(now, false);
                return;
            }
            bool waiting = State == DhcpState.Requesting || State == DhcpState.Renewing || State == DhcpState.Rebinding;
            if (!waiting || (State == DhcpState.Requesting && server != Server))
            {
                RepliesIgnored++;
                return;
            }
            if (type == DhcpMessage.Nak)
            {
                Naks++;
                if (State != DhcpState.Requesting)
                    _stack.Configure(0, 0, 0, 0);
                BackToInit(now, 0);
                return;
            }
            if (type != DhcpMessage.Ack || !IsUsable(yiaddr))
            {
                RepliesIgnored++;
                return;
            }
            Bind(buffer, offset, length, yiaddr, server != 0 ? server : Server, now);
        }

        private void Bind(byte[] buffer, int offset, int length, uint address, uint server, long now)
        {
            uint mask = DhcpMessage.ReadAddressOption(buffer, offset, length, DhcpMessage.OptionSubnetMask);
            if (mask == 0)
                mask = 0xFFFFFF00; // no option 1: assume a /24 rather than no subnet at all
            uint router = DhcpMessage.ReadAddressOption(buffer, offset, length, DhcpMessage.OptionRouter);
            uint dns = DhcpMessage.ReadAddressOption(buffer, offset, length, DhcpMessage.OptionDnsServer);
            NtpServer = DhcpMessage.ReadAddressOption(buffer, offset, length, DhcpMessage.OptionNtpServers);
            uint lease = DhcpMessage.ReadAddressOption(buffer, offset, length, DhcpMessage.OptionLeaseTime);
            if (lease == 0) lease = 3600;
            uint t1 = DhcpMessage.ReadAddressOption(buffer, offset, length, DhcpMessage.OptionRenewalTime);
            uint t2 = DhcpMessage.ReadAddressOption(buffer, offset, length, DhcpMessage.OptionRebindingTime);
            long leaseMs = lease == 0xFFFFFFFF ? long.MaxValue / 4 : (long)lease * 1000;
            long t1Ms = t1 != 0 && t1 < lease ? (long)t1 * 1000 : leaseMs / 2;       // 4.4.5 defaults: 0.5 and
            long t2Ms = t2 != 0 && t2 < lease && t2 > t1 ? (long)t2 * 1000 : leaseMs * 7 / 8; // 0.875 of the lease
            if (t2Ms <= t1Ms) t2Ms = leaseMs * 7 / 8;
            bool changed = _stack.Address != address || _stack.SubnetMask != mask || _stack.Gateway != router || _stack.DnsServer != dns;
            OfferedAddress = address;
            Server = server;
            LeaseSeconds = lease;
            BoundAt = now;
            _t1At = now + t1Ms;
            _t2At = now + t2Ms;
            _expiresAt = now + leaseMs;
            _retransmitAt = long.MaxValue;
            _tries = 0;
            _backoffMs = 0;
            State = DhcpState.Bound;
            Leases++;
            if (changed)
                _stack.Configure(address, mask, router, dns);
        }

        private void BackToInit(long now, int delayMs)
        {
            State = DhcpState.Init;
            _tries = 0;
            _backoffMs = 0;
            _retransmitAt = now + delayMs;
        }

        private static bool IsUsable(uint address)
        {
            return address != 0 && address != Ipv4Address.LimitedBroadcast && !Ipv4Address.IsMulticast(address) && !Ipv4Address.IsLoopback(address);
        }

        private void SendDiscover(long now)
        {
            if (State == DhcpState.Init)
            {
                _xid = _random.NextUInt32();
                _tries = 0;
                _backoffMs = 0;
            }
            State = DhcpState.Selecting;
            int length = BeginMessage(DhcpMessage.Discover, 0);
            length = AddParameterList(length);
            Finish(length, Ipv4Address.LimitedBroadcast);
            Discovers++;
            ScheduleBackoff(now);
        }

        private void SendRequest(long now, bool retransmission)
        {
            State = DhcpState.Requesting;
            int length = BeginMessage(DhcpMessage.Request, 0);
            length = AddAddressOption(length, DhcpMessage.OptionRequestedAddress, OfferedAddress);
            length = AddAddressOption(length, DhcpMessage.OptionServerIdentifier, Server);
            length = AddParameterList(length);
            Finish(length, Ipv4Address.LimitedBroadcast);
            ScheduleBackoff(now);
        }

        /// <summary>RENEWING (unicast to the server) or REBINDING (broadcast): ciaddr set, no server id (4.3.2).</summary>
        private void SendRenew(long now, uint destination)
        {
            int length = BeginMessage(DhcpMessage.Request, _stack.Address);
            length = AddParameterList(length);
            Finish(length, destination);
            long until = State == DhcpState.Renewing ? _t2At : _expiresAt;
            long wait = (until - now) / 2;
            if (wait < 60000) wait = 60000;
            _retransmitAt = now + wait;
        }

        private void ScheduleBackoff(long now)
        {
            _tries++;
            _backoffMs = _backoffMs == 0 ? 4000 : (_backoffMs >= 64000 ? 64000 : _backoffMs * 2);
            int jitter = (int)(_random.NextUInt32() % 2001) - 1000;
            _retransmitAt = now + _backoffMs + jitter;
        }

        private int BeginMessage(int type, uint clientAddress)
        {
            System.Array.Clear(_message, 0, _message.Length);
            _message[DhcpMessage.Op] = DhcpMessage.OpRequest;
            _message[DhcpMessage.HardwareType] = 1;
            _message[DhcpMessage.HardwareLength] = 6;
            NetworkOrder.WriteUInt32(_message, DhcpMessage.TransactionId, _xid);
            if (clientAddress == 0)
                NetworkOrder.WriteUInt16(_message, DhcpMessage.Flags, 0x8000); // broadcast replies: we have no address yet
            NetworkOrder.WriteUInt32(_message, DhcpMessage.ClientAddress, clientAddress);
            System.Array.Copy(_mac, 0, _message, DhcpMessage.ClientHardware, 6);
            NetworkOrder.WriteUInt32(_message, DhcpMessage.MagicCookie, DhcpMessage.MagicCookieValue);
            int p = DhcpMessage.OptionsOffset;
            _message[p++] = DhcpMessage.OptionMessageType;
            _message[p++] = 1;
            _message[p++] = (byte)type;
            _message[p++] = DhcpMessage.OptionClientIdentifier;
            _message[p++] = 7;
            _message[p++] = 1;
            System.Array.Copy(_mac, 0, _message, p, 6);
            p += 6;
            _message[p++] = DhcpMessage.OptionMaxMessageSize;
            _message[p++] = 2;
            NetworkOrder.WriteUInt16(_message, p, 576);
            return p + 2;
        }

        private int AddParameterList(int p)
        {
            _message[p++] = DhcpMessage.OptionParameterList;
            _message[p++] = 7;
            _message[p++] = DhcpMessage.OptionSubnetMask;
            _message[p++] = DhcpMessage.OptionRouter;
            _message[p++] = DhcpMessage.OptionDnsServer;
            _message[p++] = DhcpMessage.OptionLeaseTime;
            _message[p++] = DhcpMessage.OptionRenewalTime;
            _message[p++] = DhcpMessage.OptionRebindingTime;
            _message[p++] = DhcpMessage.OptionNtpServers;
            return p;
        }

        private int AddAddressOption(int p, int code, uint value)
        {
            _message[p++] = (byte)code;
            _message[p++] = 4;
            NetworkOrder.WriteUInt32(_message, p, value);
            return p + 4;
        }

        private void Finish(int length, uint destination)
        {
            _message[length++] = DhcpMessage.OptionEnd;
            _stack.SendDhcp(destination, _message, MessageLength > length ? MessageLength : length);
        }
    }
}
