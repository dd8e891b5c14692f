// ARP, RFC 826: answering requests for our address, learning (the "merge" of packet reception),
// resolving next hops with bounded retries (RFC 1122 2.3.2.1: at most one request per second per
// address), refreshing entries in use before they expire, and counting address conflicts (RFC 5227).
using NanoTcp.Link;
using NanoTcp.Wire;

namespace NanoTcp
{
    public sealed partial class NetworkStack
    {
        private void HandleArp(EthernetFrame frame)
        {
            ArpPacket arp;
            WireError error = ArpPacket.TryParse(_rxFrame, frame.PayloadOffset, frame.PayloadLength, out arp);
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
                // Someone else claims our address (RFC 5227 2.4): count it and defend once.
                _statistics.ArpAddressConflicts++;
                SendArpRequest(Address);
                return;
            }
            if (sender == 0 || MacAddress.IsMulticast(_rxFrame, arp.SenderHardwareOffset) || Ipv4Address.IsMulticast(sender)
                || sender == Ipv4Address.LimitedBroadcast)
                return; // probes (RFC 5227) and nonsense teach nothing

            // RFC 826 merge: update an entry we have; add one only when the packet is for us.
            bool forUs = Address != 0 && target == Address;
            if (forUs || _arp.Find(sender) >= 0)
            {
                bool evicted;
                _arp.Update(sender, _rxFrame, arp.SenderHardwareOffset, _now, _config.ArpEntryLifetimeMs, out evicted);
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

        /// <summary>A broadcast request for address (also the gratuitous ARP when address is ours).</summary>
        private void SendArpRequest(uint address)
        {
            SendArp(ArpPacket.OperationRequest, _broadcastMac, 0, _zeroMac, 0, address);
        }

        /// <summary>Sends the IP packet in _txFrame[IpOffset..+length) to nextHop: at once when its MAC is
        /// known, else it waits in the pending queue while a request goes out.</summary>
        private void SendToNextHop(uint nextHop, int length)
        {
            if (nextHop == Ipv4Address.LimitedBroadcast || IsSubnetBroadcast(nextHop))
            {
                EthernetFrame.Emit(_txFrame, 0, _broadcastMac, 0, _mac, 0, EtherType.Ipv4);
                TransmitFrame(IpOffset + length);
                return;
            }
            int entry = _arp.Lookup(nextHop, _now);
            if (entry >= 0)
            {
                EthernetFrame.Emit(_txFrame, 0, _arp.MacBuffer, _arp.MacOffset(entry), _mac, 0, EtherType.Ipv4);
                TransmitFrame(IpOffset + length);
                if (_now >= _arp.ExpiresAt(entry) - _config.ArpRefreshBeforeMs
                    && _now - _arp.LastRequestAt(entry) >= _config.ArpRetryIntervalMs)
                {
                    // In use and about to expire: ask the host itself (unicast poll, RFC 1122 2.3.2.1).
                    _arp.MarkRequestSent(entry, _now);
                    SendArp(ArpPacket.OperationRequest, _arp.MacBuffer, _arp.MacOffset(entry), _zeroMac, 0, nextHop);
                }
                return;
            }
            if (_arpPending.Enqueue(nextHop, _txFrame, IpOffset, length, _now))
                _statistics.ArpPendingDropped++;
            bool evicted;
            int resolving = _arp.BeginResolve(nextHop, _now, out evicted);
            _arpRetryDue = 0; // a new resolution: PollArp scans again
            if (evicted) _statistics.ArpEntriesEvicted++;
            if (_now - _arp.LastRequestAt(resolving) >= _config.ArpRetryIntervalMs)
            {
                _arp.MarkRequestSent(resolving, _now);
                SendArpRequest(nextHop);
            }
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
                TransmitFrame(IpOffset + length);
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
                if (_arp.StateAt(i) != ArpCache.Resolving)
                    continue;
                long due = _arp.LastRequestAt(i) + _config.ArpRetryIntervalMs;
                if (_now >= due)
                {
                    uint address = _arp.AddressAt(i);
                    if (_arp.RequestCount(i) >= _config.ArpRetries)
                    {
                        _statistics.ArpResolutionFailures++;
                        _statistics.ArpPendingDropped += _arpPending.DropFor(address);
                        _arp.Remove(i);
                        continue;
                    }
                    _arp.MarkRequestSent(i, _now);
                    SendArpRequest(address);
                    due = _now + _config.ArpRetryIntervalMs;
                }
                if (due < next) next = due;
            }
            _arpRetryDue = next;
            return next;
        }
    }
}
