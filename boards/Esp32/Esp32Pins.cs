// GPIO adapters for the chip's reset (output) and interrupt (input, active low) lines.
using System.Device.Gpio;
using NanoTcp.Boards;

namespace NanoTcp.Boards.Esp32
{
    /// <summary>A GPIO driven as an output.</summary>
    public sealed class Esp32OutputPin : IOutputPin
    {
        private readonly GpioPin _pin;

        public Esp32OutputPin(GpioController controller, int pinNumber)
        {
            _pin = controller.OpenPin(pinNumber, PinMode.Output);
        }

        public void Write(bool high)
        {
            _pin.Write(high ? PinValue.High : PinValue.Low);
        }
    }

    /// <summary>A GPIO read as an input with the internal pull-up (W5500 INTn is open-drain, active low), that
    /// also reports its falling edge (GpioPin.ValueChanged).</summary>
    public sealed class Esp32InputPin : IInputPin
    {
        private readonly GpioPin _pin;

        /// <summary>Called on each falling edge, on nanoFramework's GPIO event thread: keep it short.</summary>
        public PinEdge Fell;

        public Esp32InputPin(GpioController controller, int pinNumber)
        {
            _pin = controller.OpenPin(pinNumber, PinMode.InputPullUp);
            _pin.ValueChanged += OnValueChanged;
        }

        public bool IsHigh
        {
            get { return (byte)_pin.Read() != 0; } // PinValue's byte: == PinValue.High would build one and call Equals
        }

        private void OnValueChanged(object sender, PinValueChangedEventArgs e)
        {
            PinEdge fell = Fell;
            if (fell != null && e.ChangeType == PinEventTypes.Falling)
                fell();
        }
    }
}
