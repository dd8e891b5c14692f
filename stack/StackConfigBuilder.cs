// Builds the StackConfig a firmware needs from what it runs (issue 15): the stack's minimum (ARP,
// IPv4, ICMP and the DHCP client, which needs no socket: port 68 is the stack's own) plus what each
// service or application protocol reserves (connections, listeners, UDP sockets, ring sizes). Each
// component says what it takes in one static Reserve method beside it, so the firmware reads as a
// list of what it runs:
//     var b = new StackConfigBuilder(); FirmwareServices.Reserve(b); MqttClient.Reserve(b, mqtt); ...
//     var stack = new NetworkStack(device, b.Build(), random);
namespace NanoTcp
{
    public sealed class StackConfigBuilder
    {
        private int _connections, _listeners, _udpSockets;
        private int _sendRing, _receiveRing, _datagram;
        private bool _dns;

        public int TcpConnections { get { return _connections; } }
        public int TcpListeners { get { return _listeners; } }
        public int UdpSockets { get { return _udpSockets + (_dns ? 1 : 0); } }

        /// <summary>TCP connection slots (active opens and accepted connections alike).</summary>
        public StackConfigBuilder AddTcpConnections(int count)
        {
            _connections += count;
            return this;
        }

        public StackConfigBuilder AddTcpListeners(int count)
        {
            _listeners += count;
            return this;
        }

        public StackConfigBuilder AddUdpSockets(int count)
        {
            _udpSockets += count;
            return this;
        }

        /// <summary>The DNS resolver and its one UDP socket, counted once however many components ask.</summary>
        public StackConfigBuilder AddDnsResolver()
        {
            _dns = true;
            return RequireDatagramCapacity(512); // RFC 1035 4.2.1: UDP messages up to 512 bytes
        }

        /// <summary>Every connection's rings are at least this large (the largest any component asks for wins).</summary>
        public StackConfigBuilder RequireRings(int sendBytes, int receiveBytes)
        {
            if (sendBytes > _sendRing) _sendRing = sendBytes;
            if (receiveBytes > _receiveRing) _receiveRing = receiveBytes;
            return this;
        }

        public StackConfigBuilder RequireDatagramCapacity(int bytes)
        {
            if (bytes > _datagram) _datagram = bytes;
            return this;
        }

        /// <summary>A StackConfig with the defaults of StackConfig and TcpConfig for everything not reserved here.</summary>
        public StackConfig Build()
        {
            var config = new StackConfig();
            config.Tcp.MaxConnections = _connections;
            config.Tcp.MaxListeners = _listeners;
            config.UdpSockets = UdpSockets;
            if (_sendRing > 0) config.Tcp.SendBufferSize = _sendRing;
            if (_receiveRing > 0) config.Tcp.ReceiveBufferSize = _receiveRing;
            if (_datagram > 0) config.UdpDatagramCapacity = _datagram;
            return config;
        }
    }
}
