// Assertions for scenarios that run under xunit and under nanoFramework.TestFramework alike: plain
// overloads (no generics), a failure is an exception naming what differed.
using System;

namespace NanoTcp.Scenarios
{
    public sealed class ScenarioFailedException : Exception
    {
        public ScenarioFailedException(string message) : base(message) { }
    }

    public static class Check
    {
        public static void Fail(string what)
        {
            throw new ScenarioFailedException(what);
        }

        public static void True(bool condition, string what)
        {
            if (!condition) Fail(what);
        }

        public static void False(bool condition, string what)
        {
            if (condition) Fail(what);
        }

        public static void Equal(int expected, int actual, string what)
        {
            if (expected != actual) Fail(string.Concat(what, ": expected ", expected.ToString(), ", got ", actual.ToString()));
        }

        public static void Equal(uint expected, uint actual, string what)
        {
            if (expected != actual) Fail(string.Concat(what, ": expected ", expected.ToString(), ", got ", actual.ToString()));
        }

        public static void Equal(long expected, long actual, string what)
        {
            if (expected != actual) Fail(string.Concat(what, ": expected ", expected.ToString(), ", got ", actual.ToString()));
        }

        public static void Equal(bool expected, bool actual, string what)
        {
            if (expected != actual) Fail(string.Concat(what, ": expected ", expected ? "true" : "false", ", got ", actual ? "true" : "false"));
        }

        public static void Equal(string expected, string actual, string what)
        {
            if (!string.Equals(expected, actual)) Fail(string.Concat(what, ": expected ", expected, ", got ", actual));
        }

        public static void Null(object value, string what)
        {
            if (value != null) Fail(string.Concat(what, ": expected null"));
        }

        public static void NotNull(object value, string what)
        {
            if (value == null) Fail(string.Concat(what, ": expected a value, got null"));
        }
    }
}
