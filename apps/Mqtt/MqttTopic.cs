// A topic name or topic filter (OASIS MQTT 3.1.1 section 4.7), encoded to UTF-8 once when it is
// created so that publishing and matching allocate nothing.
namespace NanoTcp.Mqtt
{
    public sealed class MqttTopic
    {
        private readonly byte[] _bytes;

        /// <summary>Throws ArgumentException for an empty topic, one over 65535 bytes, or one with U+0000 (4.7.3).</summary>
        public MqttTopic(string text)
        {
            if (text == null || text.Length == 0)
                throw new System.ArgumentException("an MQTT topic is at least one character (4.7.3)");
            _bytes = Utf8.GetBytes(text);
            if (_bytes.Length > 65535)
                throw new System.ArgumentException("an MQTT topic is at most 65535 bytes (1.5.3)");
            for (int i = 0; i < _bytes.Length; i++)
            {
                if (_bytes[i] == 0)
                    throw new System.ArgumentException("an MQTT topic holds no U+0000 (1.5.3)");
                if (_bytes[i] == (byte)'+' || _bytes[i] == (byte)'#')
                    IsFilter = true;
            }
            Text = text;
        }

        public string Text { get; private set; }
        /// <summary>Holds a wildcard (+ or #): a subscription filter, not a name one can publish to (3.3.2.1).</summary>
        public bool IsFilter { get; private set; }
        public int Length { get { return _bytes.Length; } }

        internal byte[] Bytes { get { return _bytes; } }

        /// <summary>Whether the topic name in buffer[offset, offset + length) is matched by this name or filter
        /// (4.7.1: "+" one level, "#" the rest; a filter starting with a wildcard does not match "$" topics, 4.7.2).</summary>
        public bool Matches(byte[] buffer, int offset, int length)
        {
            int f = 0, t = 0, end = offset + length;
            if (length > 0 && buffer[offset] == (byte)'$' && _bytes.Length > 0 && (_bytes[0] == (byte)'+' || _bytes[0] == (byte)'#'))
                return false;
            while (f < _bytes.Length)
            {
                byte c = _bytes[f];
                if (c == (byte)'#')
                    return true; // matches the parent level too ("a/#" matches "a")
                if (c == (byte)'+')
                {
                    while (offset + t < end && buffer[offset + t] != (byte)'/')
                        t++;
                    f++;
                    continue;
                }
                if (offset + t >= end)
                    // "a/#" against "a": the filter has "/#" left
                    return c == (byte)'/' && f + 2 == _bytes.Length && _bytes[f + 1] == (byte)'#';
                if (buffer[offset + t] != c)
                    return false;
                f++;
                t++;
            }
            return offset + t == end;
        }
    }
}
