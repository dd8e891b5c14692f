// Mirror of nanoFramework.System.Device.Gpio 1.1.62 (see System.Device.Gpio.txt). Host type-checking only.
using System;

namespace System.Device.Gpio
{
    public enum PinMode { Input, Output, InputPullDown, InputPullUp, OutputOpenDrain, OutputOpenDrainPullUp, OutputOpenSource, OutputOpenSourcePullDown }

    public readonly struct PinValue
    {
        public static PinValue High { get { throw new NotSupportedException(); } }
        public static PinValue Low { get { throw new NotSupportedException(); } }
        public static bool operator ==(PinValue a, PinValue b) { throw new NotSupportedException(); }
        public static bool operator !=(PinValue a, PinValue b) { throw new NotSupportedException(); }
        public static implicit operator PinValue(bool value) { throw new NotSupportedException(); }
        public static implicit operator PinValue(int value) { throw new NotSupportedException(); }
        public static explicit operator byte(PinValue value) { throw new NotSupportedException(); }
    }

    public enum PinEventTypes { None = 0, Rising = 1, Falling = 2 }

    public class PinValueChangedEventArgs : nanoFramework.Runtime.Events.BaseEvent
    {
        public PinValueChangedEventArgs(PinEventTypes changeType, int pinNumber) { throw new NotSupportedException(); }
        public PinEventTypes ChangeType { get { throw new NotSupportedException(); } }
        public int PinNumber { get { throw new NotSupportedException(); } }
    }

    public delegate void PinValueChangedEventHandler(object sender, PinValueChangedEventArgs e);

    public class GpioPin : IDisposable
    {
        internal GpioPin() { }
        public event PinValueChangedEventHandler ValueChanged { add { throw new NotSupportedException(); } remove { throw new NotSupportedException(); } }
        public int PinNumber { get { throw new NotSupportedException(); } }
        public PinValue Read() { throw new NotSupportedException(); }
        public void Write(PinValue value) { throw new NotSupportedException(); }
        public void Toggle() { throw new NotSupportedException(); }
        public void SetPinMode(PinMode mode) { throw new NotSupportedException(); }
        public void Dispose() { throw new NotSupportedException(); }
    }

    public class GpioController : IDisposable
    {
        public GpioController() { throw new NotSupportedException(); }
        public GpioPin OpenPin(int pinNumber) { throw new NotSupportedException(); }
        public GpioPin OpenPin(int pinNumber, PinMode mode) { throw new NotSupportedException(); }
        public void ClosePin(int pinNumber) { throw new NotSupportedException(); }
        public bool IsPinOpen(int pinNumber) { throw new NotSupportedException(); }
        public PinValue Read(int pinNumber) { throw new NotSupportedException(); }
        public void Write(int pinNumber, PinValue value) { throw new NotSupportedException(); }
        public void SetPinMode(int pinNumber, PinMode mode) { throw new NotSupportedException(); }
        public void Dispose() { throw new NotSupportedException(); }
    }
}

namespace nanoFramework.Runtime.Events
{
    public class BaseEvent
    {
        public ushort Source;
        public byte Message;
    }
}
