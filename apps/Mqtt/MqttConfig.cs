// What an MQTT client is and what it may hold, allocated once when the client is built. The CONNECT
// fields follow OASIS MQTT 3.1.1 section 3.1; the capacities bound every buffer (nothing grows).
namespace NanoTcp.Mqtt
{
    public sealed class MqttConfig
    {
        /// <summary>The broker: a dotted quad or a DNS name.</summary>
        public string BrokerHost;
        public int BrokerPort = 1883;

        /// <summary>3.1.3.1: 1-23 characters [0-9a-zA-Z] are accepted by every server; required when CleanSession is false.</summary>
        public string ClientId = "nanotcp";
        public string UserName;
        public string Password;
        /// <summary>3.1.2.10, seconds: PINGREQ when nothing else was sent for this long; 0 turns keep-alive off.</summary>
        public int KeepAliveSeconds = 30;
        /// <summary>3.1.2.4: false keeps the session across connections, so QoS 1 messages not acknowledged are
        /// sent again after a reconnect (4.4) and the broker queues QoS 1 messages for our subscriptions.</summary>
        public bool CleanSession = false;

        /// <summary>3.1.2.5: published by the broker when we vanish without DISCONNECT; null for none.</summary>
        public string WillTopic;
        public byte[] WillMessage;
        public int WillQos;
        public bool WillRetain;

        /// <summary>The largest packet sent or received, fixed header included; a larger incoming PUBLISH is skipped and counted.</summary>
        public int PacketCapacity = 512;
        /// <summary>QoS 1 messages published and not yet acknowledged (each holds PacketCapacity bytes).</summary>
        public int InflightMessages = 4;
        public int Subscriptions = 4;

        /// <summary>Waiting for the TCP handshake and CONNACK, each.</summary>
        public int ConnectTimeoutMs = 10000;
        /// <summary>How long a PINGREQ may go unanswered before the broker is taken for dead (4.4 of the spec leaves it to us).</summary>
        public int PingTimeoutMs = 10000;
        /// <summary>Back-off between connection attempts: from the first, doubling, up to the second.</summary>
        public int ReconnectMinMs = 1000;
        public int ReconnectMaxMs = 60000;
    }
}
