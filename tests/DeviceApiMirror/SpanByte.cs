// Mirror of mscorlib 1.17.11 System.SpanByte (see mscorlib.txt). Host type-checking only.
using System;

namespace System
{
    public readonly ref struct SpanByte
    {
        public SpanByte(byte[] array) { throw new NotSupportedException(); }
        public SpanByte(byte[] array, int start, int length) { throw new NotSupportedException(); }
        public static SpanByte Empty { get { throw new NotSupportedException(); } }
        public bool IsEmpty { get { throw new NotSupportedException(); } }
        public int Length { get { throw new NotSupportedException(); } }
        public byte this[int index] { get { throw new NotSupportedException(); } set { throw new NotSupportedException(); } }
        public void CopyTo(SpanByte destination) { throw new NotSupportedException(); }
        public SpanByte Slice(int start) { throw new NotSupportedException(); }
        public SpanByte Slice(int start, int length) { throw new NotSupportedException(); }
        public byte[] ToArray() { throw new NotSupportedException(); }
        public static implicit operator SpanByte(byte[] array) { throw new NotSupportedException(); }
    }
}
