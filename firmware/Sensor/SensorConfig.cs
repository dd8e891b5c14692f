// What the sensor node is and where it reports. Topics are nanotcp/<DeviceId>/reading (published),
// nanotcp/<DeviceId>/cmd (subscribed) and nanotcp/<DeviceId>/status ("online"/"offline", retained; the
// offline one is the MQTT will, published by the broker when the node vanishes).
namespace NanoTcp.Sensor
{
    public sealed class SensorConfig
    {
        public string DeviceId = "sensor1";
        /// <summary>The MQTT broker: a dotted quad or a DNS name.</summary>
        public string BrokerHost;
        public int BrokerPort = 1883;
        public int PublishIntervalMs = 5000;
        /// <summary>QoS of the readings: 1 keeps them (up to the client's in-flight slots) while the broker is away.</summary>
        public int ReadingQos = 1;
        /// <summary>The NTP server; 0: the DHCP lease's (option 42).</summary>
        public uint NtpServer;
    }
}
