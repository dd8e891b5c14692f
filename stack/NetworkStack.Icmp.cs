// ICMP, RFC 792 with RFC 1122 3.2.2: echo replies (rate limited; broadcast echo requests ignored,
// 3.2.2.6 allows it), destination unreachable for closed UDP ports and unknown protocols (never about
// broadcasts or other ICMP errors, 3.2.2), echo requests for the application's ping. ICMP errors we
// receive are counted, and those quoting a TCP segment go to the engine (RFC 1122 4.2.3.9, RFC 5927).
using NanoTcp.Wire;

namespace NanoTcp
{
    public sealed partial class NetworkStack
    {
        /// <summary>Identifier, sequence number, source and time of the last echo reply received.</summary>
        public int LastEchoReplyIdentifier { get; private set; }
        public int LastEchoReplySequence { get; private set; }
        public uint LastEchoReplyFrom { get; private set; }
        public long LastEchoReplyAt { get; private set; }

        private void HandleIcmp(Ipv4Packet ip, bool broadcast)
        {
            IcmpV4Message message;
            WireError error = IcmpV4Message.TryParse(_rxFrame, ip.PayloadOffset, ip.PayloadLength, out message);
            if (error != WireError.None)
            {
                _statistics.ParseErrors[(int)error]++;
                return;
            }
            _statistics.IpDelivered++;
            switch (message.Type)
            {
                case IcmpV4Message.TypeEchoRequest:
                    _statistics.IcmpEchoRequestsReceived++;
                    if (broadcast)
                        return;
                    if (!_echoReplies.TryTake(_now))
                    {
                        _statistics.IcmpRateLimited++;
                        return;
                    }
                    int dataOffset = IpOffset + IpHeaderLength + IcmpV4Message.HeaderLength;
                    System.Array.Copy(_rxFrame, message.PayloadOffset, _txFrame, dataOffset, message.PayloadLength);
                    IcmpV4Message.EmitEcho(_txFrame, IpOffset + IpHeaderLength, IcmpV4Message.TypeEchoReply,
                        message.Identifier, message.SequenceNumber, message.PayloadLength);
                    bool replied;
                    SendIpv4(ip.Source, IpProtocol.Icmp, message.Length, out replied);
                    if (replied)
                        _statistics.IcmpEchoRepliesSent++; // counted once its frame left
                    return;
                case IcmpV4Message.TypeEchoReply:
                    _statistics.IcmpEchoRepliesReceived++;
                    LastEchoReplyIdentifier = message.Identifier;
                    LastEchoReplySequence = message.SequenceNumber;
                    LastEchoReplyFrom = ip.Source;
                    LastEchoReplyAt = _now;
                    return;
                default:
                    if (message.IsError)
                    {
                        _statistics.IcmpErrorsReceived++;
                        IcmpErrorToTcp(message);
                    }
                    return;
            }
        }

        /// <summary>The quoted IP header and the first 8 bytes of our segment: ports and sequence number (RFC 792).</summary>
        private void IcmpErrorToTcp(IcmpV4Message message)
        {
            Ipv4Packet original;
            if (!message.TryGetEmbeddedPacket(out original) || original.Protocol != IpProtocol.Tcp || original.PayloadLength < 8)
                return;
            int quoted = original.PayloadOffset;
            _tcp.ProcessIcmpError(_now, original.Source, NetworkOrder.ReadUInt16(_rxFrame, quoted), original.Destination,
                NetworkOrder.ReadUInt16(_rxFrame, quoted + 2), NetworkOrder.ReadUInt32(_rxFrame, quoted + 4),
                message.Type, message.Code, message.NextHopMtu);
        }

        /// <summary>Sends an echo request with payloadLength pattern bytes. False when there is no route.</summary>
        public bool SendPing(uint destination, int identifier, int sequenceNumber, int payloadLength)
        {
            int max = _config.Mtu - IpHeaderLength - IcmpV4Message.HeaderLength;
            if (payloadLength < 0 || payloadLength > max)
                return false;
            int dataOffset = IpOffset + IpHeaderLength + IcmpV4Message.HeaderLength;
            for (int i = 0; i < payloadLength; i++)
                _txFrame[dataOffset + i] = (byte)i;
            IcmpV4Message.EmitEcho(_txFrame, IpOffset + IpHeaderLength, IcmpV4Message.TypeEchoRequest, identifier, sequenceNumber, payloadLength);
            return SendIpv4(destination, IpProtocol.Icmp, IcmpV4Message.HeaderLength + payloadLength);
        }

        /// <summary>Destination unreachable about the packet in _rxFrame, quoting its header and 8 bytes
        /// (RFC 792), rate limited.</summary>
        private void SendDestinationUnreachable(Ipv4Packet original, int code)
        {
            if (!_icmpErrors.TryTake(_now))
            {
                _statistics.IcmpRateLimited++;
                return;
            }
            int quoted = original.HeaderLength + 8;
            if (quoted > original.Length)
                quoted = original.Length;
            System.Array.Copy(_rxFrame, original.Offset, _txFrame, IpOffset + IpHeaderLength + IcmpV4Message.HeaderLength, quoted);
            IcmpV4Message.EmitError(_txFrame, IpOffset + IpHeaderLength, IcmpV4Message.TypeDestinationUnreachable, code, quoted);
            bool left;
            SendIpv4(original.Source, IpProtocol.Icmp, IcmpV4Message.HeaderLength + quoted, out left);
            if (left)
                _statistics.IcmpDestinationUnreachableSent++;
        }
    }
}
