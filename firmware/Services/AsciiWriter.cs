// Writes text into a byte[] without allocating: for the status page, whose numbers change every time.
namespace NanoTcp.Firmware.Services
{
    public sealed class AsciiWriter
    {
        private readonly byte[] _buffer;
        private int _length;

        public AsciiWriter(int capacity)
        {
            _buffer = new byte[capacity];
        }

        public byte[] Buffer { get { return _buffer; } }
        public int Length { get { return _length; } }

        public void Clear() { _length = 0; }

        public AsciiWriter Text(string text)
        {
            for (int i = 0; i < text.Length && _length < _buffer.Length; i++)
                _buffer[_length++] = (byte)text[i];
            return this;
        }

        public AsciiWriter Number(long value)
        {
            if (value < 0)
            {
                Byte('-');
                value = -value;
            }
            long divisor = 1;
            while (value / divisor >= 10)
                divisor *= 10;
            for (; divisor > 0; divisor /= 10)
                Byte((char)('0' + (int)(value / divisor % 10)));
            return this;
        }

        public AsciiWriter Address(uint address)
        {
            Number(address >> 24).Byte('.').Number((address >> 16) & 0xFF).Byte('.').Number((address >> 8) & 0xFF).Byte('.').Number(address & 0xFF);
            return this;
        }

        public AsciiWriter Mac(byte[] mac)
        {
            const string digits = "0123456789abcdef";
            for (int i = 0; i < 6; i++)
            {
                if (i > 0) Byte(':');
                Byte(digits[mac[i] >> 4]).Byte(digits[mac[i] & 0xF]);
            }
            return this;
        }

        /// <summary>A line "name: value" of the status page.</summary>
        public AsciiWriter Counter(string name, long value)
        {
            return Text(name).Text(": ").Number(value).Line();
        }

        public AsciiWriter Line()
        {
            return Byte('\r').Byte('\n');
        }

        public AsciiWriter Byte(char c)
        {
            if (_length < _buffer.Length)
                _buffer[_length++] = (byte)c;
            return this;
        }
    }
}
