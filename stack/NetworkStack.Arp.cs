// ARP, RFC 826: answering requests for our address, learning (the "merge" of packet reception),
// resolving next hops with bounded retries (RFC 1122 2.3.2.1: at most one request per second per
// address, and ArpRequestsPerSecond in all, so traffic to spoofed sources cannot make an ARP storm),
// refreshing entries in use before they expire, and address conflicts (RFC 5227 2.4, defended at most
// once per DEFEND_INTERVAL). RFC 826's merge would let any packet rewrite a resolved entry; a claim of a
// different MAC is instead verified first by a unicast poll to the MAC we have (RFC 1122 2.3.2.1's
// "unicast poll" validation): the entry changes only when that MAC stays silent for ArpRetryIntervalMs,
// so an unsolicited reply or gratuitous ARP cannot take a live peer's address, and a peer that really
// changed its MAC (RFC 5227 3's announcement) is followed within about a second.
// The answer to a unicast frame from an on-link host goes back to the MAC it came from when we have no
// entry for it (no request, no wait: a 9th peer's SYN-ACK leaves at once), and a TCP connection's peer is
// learned from its frames; entries that carry a connection, and the gateway's, are pinned (ArpCache.Allocate).
using NanoTcp.Link;
using NanoTcp.Tcp;
using NanoTcp.Wire;

namespace NanoTcp
{
    public sealed partial class NetworkStack : ITcpPeerGrouping
    {
        /// <summary>The ARP packet of payloadLength bytes after the Ethernet header in _rxFrame.</summary>
        private void HandleArp(int payloadLength)
        {
            ArpPacket arp;
            WireError error = ArpPacket.TryParse(_rxFrame, IpOffset, payloadLength, out arp);
            if (error != WireError.None)
            {
                _statistics.ParseErrors[(int)error]++;
                return;
            }
            bool request = arp.Operation == ArpPacket.OperationRequest;
            if (request) _statistics.ArpRequestsReceived++;
            else _statistics.ArpRepliesReceived++;

            uint sender = arp.SenderProtocolAddress;
            uint target = arp.TargetProtocolAddress;
            if (Address != 0 && sender == Address && !MacAddress.AreEqual(_rxFrame, arp.SenderHardwareOffset, _mac, 0))
            {
                // Someone else claims our address (RFC 5227 2.4 (b)): count it; defend at most once per interval.
                _statistics.ArpAddressConflicts++;
                if (_now - _lastDefenceAt >= _config.ArpDefendIntervalMs)
                {
                    _lastDefenceAt = _now;
                    SendArpRequest(Address);
                }
                return;
            }
            if (sender == 0 || MacAddress.IsMulticast(_rxFrame, arp.SenderHardwareOffset) || Ipv4Address.IsMulticast(sender)
                || sender == Ipv4Address.LimitedBroadcast)
                return; // probes (RFC 5227) and nonsense teach nothing

            // RFC 826 merge: update an entry we have; add one only when the packet is for us. A resolved
            // entry is not moved to another MAC on anyone's word: the MAC we have is polled first.
            bool forUs = Address != 0 && target == Address;
            int known = _arp.Find(sender);
            if (known >= 0 && _arp.StateAt(known) == ArpCache.Resolved && !_arp.HasMac(known, _rxFrame, arp.SenderHardwareOffset))
            {
                _statistics.ArpClaimsDisputed++;
                if (_arp.Dispute(known, _rxFrame, arp.SenderHardwareOffset, _now))
                    SendUnicastPoll(known, sender);
                _arpRetryDue = 0; // a claim to settle: PollArp scans again
            }
            else if (forUs || known >= 0)
            {
                bool evicted;
                if (known < 0)
                    PinEntriesInUse();
                if (_arp.Update(sender, _rxFrame, arp.SenderHardwareOffset, _now, _config.ArpEntryLifetimeMs, ArpCache.ForAnnouncedSender, out evicted) < 0)
                    _statistics.ArpSendersNotLearned++; // every entry carries a peer we talk to
                if (evicted) _statistics.ArpEntriesEvicted++;
                FlushPending(sender);
            }
            if (forUs && request)
                SendArp(ArpPacket.OperationReply, _rxFrame, arp.SenderHardwareOffset, _rxFrame, arp.SenderHardwareOffset, sender);
        }

        /// <summary>One ARP packet: Ethernet destination, ARP target hardware field (zero in requests),
        /// target protocol address. The sender fields are ours.</summary>
        private void SendArp(int operation, byte[] destinationMac, int destinationOffset, byte[] targetMac, int targetMacOffset, uint targetAddress)
        {
            EthernetFrame.Emit(_txFrame, 0, destinationMac, destinationOffset, _mac, 0, EtherType.Arp);
            ArpPacket.Emit(_txFrame, IpOffset, operation, _mac, 0, Address, targetMac, targetMacOffset, targetAddress);
            if (operation == ArpPacket.OperationRequest) _statistics.ArpRequestsSent++;
            else _statistics.ArpRepliesSent++;
            TransmitFrame(IpOffset + ArpPacket.Length);
        }

        /// <summary>A request to the MAC an entry holds (RFC 1122 2.3.2.1 unicast poll). Its callers send at
        /// most one per entry per ArpRetryIntervalMs, so these need no share of the global budget.</summary>
        private void SendUnicastPoll(int entry, uint address)
        {
            _arp.MarkRequestSent(entry, _now);
            SendArp(ArpPacket.OperationRequest, _arp.MacBuffer, _arp.MacOffset(entry), _zeroMac, 0, address);
        }

        /// <summary>A broadcast request for address (also the gratuitous ARP when address is ours).</summary>
        private void SendArpRequest(uint address)
        {
            SendArp(ArpPacket.OperationRequest, _broadcastMac, 0, _zeroMac, 0, address);
        }

        /// <summary>Sends the IP packet in _txFrame[IpOffset..+length) for destination to nextHop: at once when
        /// its MAC is known, else it waits in the pending queue while a request goes out. True when its frame left now.</summary>
        private bool SendToNextHop(uint nextHop, uint destination, int length)
        {
            if (nextHop == Ipv4Address.LimitedBroadcast || IsSubnetBroadcast(nextHop))
            {
                EthernetFrame.Emit(_txFrame, 0, _broadcastMac, 0, _mac, 0, EtherType.Ipv4);
                return TransmitIpFrame(length);
            }
            if (Ipv4Address.IsMulticast(nextHop))
            {
                return SendToGroup(nextHop, length);
            }
            int entry = _arp.Lookup(nextHop, _now);
            if (entry >= 0)
            {
                EthernetFrame.Emit(_txFrame, 0, _arp.MacBuffer, _arp.MacOffset(entry), _mac, 0, EtherType.Ipv4);
                RememberHop(destination, entry);
                bool left = TransmitIpFrame(length);
                if (_now >= _arp.ExpiresAt(entry) - _config.ArpRefreshBeforeMs
                    && _now - _arp.LastRequestAt(entry) >= _config.ArpRetryIntervalMs)
                    SendUnicastPoll(entry, nextHop); // in use and about to expire: ask the host itself
                return left;
            }
            if (nextHop == _frameSender)
            {
                // An answer to the frame being handled, whose sender we have no entry for: back to the MAC it came
                // from (the frame proves that MAC reaches the sender, or the one who claims its address, who could
                // as well answer our request). One frame out for the frame in; no broadcast, no wait.
                EthernetFrame.Emit(_txFrame, 0, _rxFrame, FrameSenderMacOffset, _mac, 0, EtherType.Ipv4);
                _statistics.IpSentToFrameSender++;
                return TransmitIpFrame(length);
            }
            // The packet is queued before any request is built: requests are written into _txFrame too.
            int resolving = _arp.Find(nextHop);
            bool ask = false;
            if (resolving >= 0 && _arp.StateAt(resolving) == ArpCache.Resolved)
            {
                // A known peer whose entry ran out: resolve it again (one request per second per address).
                bool unused;
                resolving = _arp.BeginResolve(nextHop, _now, out unused); // its own entry: never -1
                _arpRetryDue = 0; // a new resolution: PollArp scans again
                ask = true;
            }
            else if (resolving < 0)
            {
                // A new resolution only when its request may go out now: a flood toward spoofed sources then
                // creates no entries and holds no packets beyond the request budget.
                if (!_arpRequests.TryTake(_now))
                {
                    _statistics.ArpRequestsSuppressed++;
                    _statistics.IpDroppedNoArp++;
                    return false;
                }
                bool evicted;
                PinEntriesInUse();
                resolving = _arp.BeginResolve(nextHop, _now, out evicted);
                _arpRetryDue = 0; // a new resolution: PollArp scans again
                if (evicted) _statistics.ArpEntriesEvicted++;
                if (resolving < 0)
                {
                    _statistics.IpDroppedNoArp++; // every entry carries live traffic
                    return false;
                }
                ask = true;
            }
            if (_arpPending.Enqueue(nextHop, _txFrame, IpOffset, length, _now))
            {
                _statistics.ArpPendingDropped++;
                _statistics.IpDroppedNoArp++;
            }
            _statistics.IpAwaitingArp++;
            if (ask)
            {
                _arp.MarkRequestSent(resolving, _now);
                SendArpRequest(nextHop);
            }
            return false;
        }

        // The last unicast packet's way out through a resolved entry: its destination, the entry, the Ethernet header
        // it got, and until when that holds. SendIpv4 skips Route, Lookup and the header's emit for the next packet
        // to the same destination while the route (Configure resets _lastHopArpVersion) and the ARP table
        // (ArpCache.Version: any entry learned, changed, resolving, removed) are unchanged and the entry is not yet
        // due for its refresh poll (ArpRefreshBeforeMs) nor expired: then Lookup would return the same entry and
        // SendToNextHop do nothing more than send.
        private readonly byte[] _lastHopHeader = new byte[EthernetFrame.HeaderLength];
        private uint _lastHopDestination;
        private int _lastHopEntry;
        private int _lastHopArpVersion = -1; // none
        private long _lastHopFreshUntil;

        private void RememberHop(uint destination, int entry)
        {
            System.Array.Copy(_txFrame, 0, _lastHopHeader, 0, EthernetFrame.HeaderLength);
            _lastHopDestination = destination;
            _lastHopEntry = entry;
            _lastHopArpVersion = _arp.Version;
            long expires = _arp.ExpiresAt(entry);
            long refresh = expires - _config.ArpRefreshBeforeMs;
            _lastHopFreshUntil = refresh < expires ? refresh : expires;
        }

        // While a unicast IPv4 frame for us from an on-link host is handled: its IP source (0 otherwise). Its MAC
        // is the frame's Ethernet source, still in _rxFrame.
        private uint _frameSender;
        private const int FrameSenderMacOffset = 6;

        /// <summary>After a TCP segment from the on-link host _frameSender that has no entry (a resolved or resolving
        /// one is ARP's to settle): when it carries a connection (the segment opened or belongs to one), learn its
        /// MAC from the frame, so the connection's later segments need no request (lwIP's ETHARP_TRUST_IP_MAC,
        /// limited to connection peers without an entry: an entry we have is changed only by ARP, after its
        /// unicast poll).</summary>
        private void LearnConnectionPeer(uint address)
        {
            if (!CarriesConnection(address))
                return;
            PinEntriesInUse();
            bool evicted;
            if (_arp.Update(address, _rxFrame, FrameSenderMacOffset, _now, _config.ArpEntryLifetimeMs, ArpCache.ForConnection, out evicted) < 0)
                return;
            if (evicted) _statistics.ArpEntriesEvicted++;
            _statistics.ArpLearnedFromConnections++;
        }

        /// <summary>TCP knows which neighbours are in use (RFC 4861 7.3.1's upper-layer hints; Linux confirms ARP
        /// neighbours the same way). Entries of addresses that carry a connection (TIME_WAIT aside: it only
        /// answers, and answers go to the frame's sender), and the gateway's, must not be taken for a new one.</summary>
        private void PinEntriesInUse()
        {
            for (int i = 0; i < _arp.Capacity; i++)
            {
                uint address = _arp.AddressAt(i);
                _arp.SetPinned(i, _arp.StateAt(i) != ArpCache.Free && ((Gateway != 0 && address == Gateway) || CarriesConnection(address)));
            }
        }

        /// <summary>The slot policy's peers (ITcpPeerGrouping): two on-link addresses are one sender when the
        /// frame being handled comes from the MAC our entry for the other holds. Off-link addresses all arrive
        /// from the gateway's MAC and stay apart.</summary>
        public bool IsSameSender(uint remoteAddress, uint connectionRemoteAddress)
        {
            if (remoteAddress != _frameSender || !IsOnLink(connectionRemoteAddress))
                return false;
            int entry = _arp.Find(connectionRemoteAddress);
            return entry >= 0 && _arp.StateAt(entry) == ArpCache.Resolved
                && MacAddress.AreEqual(_arp.MacBuffer, _arp.MacOffset(entry), _rxFrame, FrameSenderMacOffset);
        }

        private bool CarriesConnection(uint address)
        {
            for (int i = 0; i < _tcp.ConnectionCount; i++)
            {
                TcpConnection c = _tcp.ConnectionAt(i);
                if (c.InUse && c.RemoteAddressValue == address && c.StateValue != TcpState.TimeWait)
                    return true;
            }
            return false;
        }

        /// <summary>An IP packet's frame, counted as sent only when the device took it.</summary>
        private bool TransmitIpFrame(int ipLength)
        {
            if (!TransmitFrame(IpOffset + ipLength))
                return false;
            _statistics.IpSent++;
            return true;
        }

        /// <summary>Sends every packet that waited for address, now that its MAC is known.</summary>
        private void FlushPending(uint address)
        {
            int entry = _arp.Lookup(address, _now);
            if (entry < 0)
                return;
            int slot;
            while ((slot = _arpPending.Find(address)) >= 0)
            {
                int length = _arpPending.LengthAt(slot);
                System.Array.Copy(_arpPending.PacketAt(slot), 0, _txFrame, IpOffset, length);
                _arpPending.Release(slot);
                EthernetFrame.Emit(_txFrame, 0, _arp.MacBuffer, _arp.MacOffset(entry), _mac, 0, EtherType.Ipv4);
                if (TransmitIpFrame(length))
                    CountLeftAfterArp();
            }
        }

        /// <summary>A packet that waited for ARP has left: its protocol's "sent" counter, which counts frames
        /// that left and not packets handed down, takes it now.</summary>
        private void CountLeftAfterArp()
        {
            int protocol = _txFrame[IpOffset + 9];
            int transport = IpOffset + IpHeaderLength; // our packets carry no IP options
            if (protocol == IpProtocol.Tcp)
            {
                _tcp.Counters.SegmentsSent++;
                if ((_txFrame[transport + 13] & TcpFlags.Rst) != 0)
                    _tcp.Counters.ResetsSent++;
            }
            else if (protocol == IpProtocol.Udp)
            {
                _statistics.UdpSent++;
            }
            else if (protocol == IpProtocol.Icmp)
            {
                if (_txFrame[transport] == IcmpV4Message.TypeEchoReply) _statistics.IcmpEchoRepliesSent++;
                else if (_txFrame[transport] == IcmpV4Message.TypeDestinationUnreachable) _statistics.IcmpDestinationUnreachableSent++;
            }
        }

        /// <summary>Retries outstanding requests once a second; gives up after ArpRetries.</summary>
        // The earliest retry PollArp found last time: until then no Resolving entry is due, so the scan
        // (8 entries, every poll) is skipped. BeginResolve resets it; a resolved entry only makes it early.
        private long _arpRetryDue;

        private long PollArp()
        {
            if (_now < _arpRetryDue)
                return _arpRetryDue;
            long next = long.MaxValue;
            for (int i = 0; i < _arp.Capacity; i++)
            {
                long disputed = _arp.DisputedAt(i);
                if (disputed != ArpCache.NotDisputed)
                {
                    long settle = disputed + _config.ArpRetryIntervalMs;
                    if (_now >= settle)
                    {
                        // The MAC we had did not answer its poll: the claim was the truth.
                        _statistics.ArpClaimsAccepted++;
                        _arp.AcceptClaim(i, _now, _config.ArpEntryLifetimeMs);
                    }
                    else if (settle < next) next = settle;
                }
                if (_arp.StateAt(i) != ArpCache.Resolving)
                    continue;
                long due = _arp.LastRequestAt(i) + _config.ArpRetryIntervalMs;
                if (_now >= due)
                {
                    uint address = _arp.AddressAt(i);
                    if (_arp.RequestCount(i) >= _config.ArpRetries)
                    {
                        _statistics.ArpResolutionFailures++;
                        int dropped = _arpPending.DropFor(address);
                        _statistics.ArpPendingDropped += dropped;
                        _statistics.IpDroppedNoArp += dropped;
                        _arp.Remove(i);
                        continue;
                    }
                    if (_arpRequests.TryTake(_now))
                    {
                        _arp.MarkRequestSent(i, _now);
                        SendArpRequest(address);
                    }
                    else
                    {
                        _statistics.ArpRequestsSuppressed++;
                    }
                    due = _now + _config.ArpRetryIntervalMs;
                }
                if (due < next) next = due;
            }
            _arpRetryDue = next;
            return next;
        }
    }
}
