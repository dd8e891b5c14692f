// Mirror of nanoFramework.TestFramework 3.0.80 (see nanoFramework.TestFramework.txt): what the device test
// project uses. Host type-checking only.
using System;

namespace nanoFramework.TestFramework
{
    [AttributeUsage(AttributeTargets.Class)]
    public class TestClassAttribute : Attribute
    {
    }

    [AttributeUsage(AttributeTargets.Method)]
    public class TestMethodAttribute : Attribute
    {
    }
}
