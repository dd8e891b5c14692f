using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace NanoTcp.Tests.Portability
{
    /// <summary>Shows the gate can fail: one small bad snippet per rule, compiled in memory, each flagged.</summary>
    public sealed class BadSnippetTests
    {
        private static readonly Lazy<ApiCatalog> s_api = new(() =>
            ApiCatalog.TryLoad(RepoLayout.ApiDirectory, out _));

        public static TheoryData<string, string, Rule, string> Snippets => new()
        {
            { "member missing from mscorlib", "public static class C { public static int M(int a) => System.Math.Max(a, 1); }", Rule.MissingApi, "System.Math" },
            { "lock binds to Monitor.Enter(Object, ref Boolean)", "public static class C { static object s = new object(); public static void M() { lock (s) { } } }", Rule.MissingApi, "Monitor::Enter(System.Object,System.Boolean&)" },
            { "volatile needs IsVolatile", "public class C { public volatile int F; }", Rule.MissingApi, "IsVolatile" },
            { "string interpolation with a number", "public static class C { public static string M(int a) => $\"a={a}\"; }", Rule.MissingApi, "DefaultInterpolatedStringHandler" },
            { "constructor of a host-only base class", "public static class C { public static object M() => new System.Threading.EventWaitHandle(false, System.Threading.EventResetMode.AutoReset); }", Rule.MissingApi, "EventWaitHandle" },
            { "host-only base member no listed subclass has", "public static class C { public static void M(System.Threading.AutoResetEvent e) { var h = e.SafeWaitHandle; } }", Rule.MissingApi, "SafeWaitHandle" },
            { "generic type definition", "public class Box<T> { public T Value; }", Rule.Generic, "generic type definition" },
            { "generic method definition", "public static class C { public static T Id<T>(T x) => x; }", Rule.Generic, "generic method definition" },
            { "generic instantiation", "public static class C { public static object M() => new System.Collections.Generic.List<int>(); }", Rule.Generic, "generic instantiation" },
            { "generic method instantiation", "public static class C { static void G<T>() { } public static void M() => G<int>(); }", Rule.Generic, "generic method instantiation" },
            { "multidimensional array", "public static class C { public static object M() => new int[2, 3]; }", Rule.MultidimensionalArray, "System.Int32[,]" },
            { "pointer type", "public unsafe class C { public int* P; }", Rule.Pointer, "System.Int32*" },
            { "function pointer type", "public unsafe class C { public delegate*<void> P; }", Rule.FunctionPointer, "function pointer" },
            { "localloc (stackalloc)", "public static unsafe class C { public static int M() { byte* p = stackalloc byte[16]; return p[0]; } }", Rule.ForbiddenOpcode, "localloc" },
            { "calli", "public static unsafe class C { public static void M(delegate*<void> f) => f(); }", Rule.ForbiddenOpcode, "calli" },
            { "mkrefany", "public static class C { public static void M() { int x = 1; System.TypedReference r = __makeref(x); } }", Rule.ForbiddenOpcode, "mkrefany" },
            { "refanyval", "public static class C { public static int M(System.TypedReference r) => __refvalue(r, int); }", Rule.ForbiddenOpcode, "refanyval" },
            { "arglist", "public static class C { public static void M(__arglist) { var a = new System.ArgIterator(__arglist); } }", Rule.ForbiddenOpcode, "arglist" },
            { "type with 256 methods", "public static class C { " + string.Concat(Enumerable.Range(0, 256).Select(i => $"public static void M{i}() {{ }} ")) + "}", Rule.TypeTooLarge, "256 methods" },
            { "more than 60 KB of IL", "public static class C { " + string.Concat(Enumerable.Range(0, 40).Select(i => $"public static int M{i}(int a) {{ {Repeat("a ^= 123456789; ", 220)} return a; }} ")) + "}", Rule.AssemblyTooLarge, "method-body IL" },
            { "type with 256 static fields", "public static class C { " + string.Concat(Enumerable.Range(0, 256).Select(i => $"public static int F{i}; ")) + "}", Rule.CountOverflow, "256 static fields" },
            { "type with 256 instance fields", "public class C { " + string.Concat(Enumerable.Range(0, 256).Select(i => $"public int F{i}; ")) + "}", Rule.CountOverflow, "256 instance fields" },
            { "method with 256 arguments counting this", "public class C { public void M(" + string.Join(", ", Enumerable.Range(0, 255).Select(i => $"int p{i}")) + ") { } }", Rule.CountOverflow, "256 arguments" },
            { "method with 256 locals", "public static class C { public static int M() { " + string.Concat(Enumerable.Range(0, 256).Select(i => $"int v{i} = {i}; ")) + "return " + string.Join(" + ", Enumerable.Range(0, 256).Select(i => $"v{i}")) + "; } }", Rule.CountOverflow, "locals" },
            { "method with 256 exception clauses", "public static class C { public static int M(int a) { " + string.Concat(Enumerable.Range(0, 256).Select(i => $"try {{ a += {i}; }} catch (System.Exception) {{ a--; }} ")) + "return a; } }", Rule.CountOverflow, "256 exception clauses" },
            { "switch with 256 targets", "public static class C { public static int M(int a) { switch (a) { " + string.Concat(Enumerable.Range(0, 256).Select(i => $"case {i}: return {i * 3 + 1}; ")) + "default: return 0; } } }", Rule.CountOverflow, "switch with 256 targets" },
            { "string table into the interpreter's own strings", string.Concat(Enumerable.Range(0, 12).Select(t => $"public class C{t} {{ " + string.Concat(Enumerable.Range(0, 200).Select(i => $"public int Field_with_a_rather_long_name_{t}_{i}; ")) + "} ")), Rule.StringTableOverflow, "0xFFFF-860" },
            { "static constructor reads another type's static", "public static class A { public static int X = System.Environment.TickCount; } public static class B { public static int Y = A.X + 1; }", Rule.StaticConstructorOrder, "reads A's statics" },
            { "array initialiser of an enum", "public enum E : byte { P, Q, R } public static class C { public static E[] M() => new E[] { E.P, E.Q, E.R, E.Q, E.P, E.R, E.Q, E.P, E.R, E.R }; }", Rule.ArrayInitializer, "E[]" },
            { "more than 60 KB of user strings", "public static class C { public static string S = \"" + new string('x', 31 * 1024) + "\"; }", Rule.AssemblyTooLarge, "user strings" },
        };

        [SkippableTheory]
        [MemberData(nameof(Snippets))]
        public void GateFlagsBadSnippet(string name, string source, Rule rule, string detail)
        {
            AssemblyReport report = Check(CompileCSharp(source));
            Assert.True(report.Violations.Any(v => v.Rule == rule && (v.Detail.Contains(detail) || v.Site.Contains(detail))),
                $"{name}: expected {rule} mentioning '{detail}', got:\n{report.Format()}");
        }

        [SkippableTheory]
        [InlineData("jmp")]
        [InlineData("cpblk")]
        [InlineData("initblk")]
        [InlineData("ckfinite")]
        [InlineData("readonly.")]
        public void GateFlagsOpcodesCSharpNeverEmits(string opcode)
        {
            AssemblyReport report = Check(EmitWithOpcode(opcode));
            Assert.Contains(report.Violations, v => v.Rule == Rule.ForbiddenOpcode && v.Detail == opcode);
        }

        [SkippableFact]
        public void CleanSnippetPasses()
        {
            const string source = @"
                public struct View { public byte[] Buffer; public int Offset; public int Length;
                    public int Read16(int at) => (Buffer[Offset + at] << 8) | Buffer[Offset + at + 1]; }
                public sealed class Counter : System.Exception {
                    private int _n; private readonly object _lock = new object();
                    public void Add() { System.Threading.Monitor.Enter(_lock); try { _n++; } finally { System.Threading.Monitor.Exit(_lock); } }
                    public string Text() => string.Concat(""n="", _n.ToString());
                    public static void Signal(System.Threading.AutoResetEvent e) { e.Set(); e.Reset(); } // EventWaitHandle::Set on the host
                    public static void Copy(byte[] a, byte[] b) { System.Array.Copy(a, 0, b, 0, a.Length); var t = new byte[] { 1, 2, 3 }; } }";
            AssemblyReport report = Check(CompileCSharp(source));
            Assert.True(report.Passed, report.Format());
            Assert.True(report.IlBytes > 0 && report.TypeCount >= 2, report.Summary());
        }

        private static AssemblyReport Check(byte[] image)
        {
            ApiCatalog api = s_api.Value;
            if (api == null)
            {
                Assert.False(RepoLayout.UnderCi, "the nanoFramework API lists are missing under CI=true");
                Skip.If(true, "portability gate could not run: no API lists at " + RepoLayout.ApiDirectory);
            }
            var gate = new PortabilityGate(api, new[] { "Snippet" });
            return gate.Check(new MemoryStream(image));
        }

        private static string Repeat(string text, int count) => new StringBuilder().Insert(0, text, count).ToString();

        private static byte[] CompileCSharp(string source)
        {
            var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")).Split(Path.PathSeparator)
                .Select(p => MetadataReference.CreateFromFile(p));
            var compilation = CSharpCompilation.Create("Snippet",
                new[] { CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest)) },
                references,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true,
                    optimizationLevel: OptimizationLevel.Debug));
            using var stream = new MemoryStream();
            var result = compilation.Emit(stream);
            Assert.True(result.Success, string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
            return stream.ToArray();
        }

        /// <summary>An assembly with one method that uses an opcode the C# compiler never emits.</summary>
        private static byte[] EmitWithOpcode(string opcode)
        {
            var assembly = new PersistedAssemblyBuilder(new AssemblyName("Snippet"), typeof(object).Assembly);
            ModuleBuilder module = assembly.DefineDynamicModule("Snippet");
            TypeBuilder type = module.DefineType("C", TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed);
            var parameters = new[] { typeof(IntPtr), typeof(IntPtr), typeof(uint) };
            MethodBuilder target = type.DefineMethod("Target", MethodAttributes.Public | MethodAttributes.Static, typeof(void), parameters);
            target.GetILGenerator().Emit(OpCodes.Ret);
            MethodBuilder method = type.DefineMethod("M", MethodAttributes.Public | MethodAttributes.Static, typeof(void), parameters);
            ILGenerator il = method.GetILGenerator();
            if (opcode == "jmp")
            {
                il.Emit(OpCodes.Jmp, target);
            }
            else if (opcode == "ckfinite")
            {
                il.Emit(OpCodes.Ldc_R8, 1.0);
                il.Emit(OpCodes.Ckfinite);
                il.Emit(OpCodes.Pop);
                il.Emit(OpCodes.Ret);
            }
            else if (opcode == "readonly.")
            {
                il.Emit(OpCodes.Ldnull);
                il.Emit(OpCodes.Ldc_I4_0);
                il.Emit(OpCodes.Readonly);
                il.Emit(OpCodes.Ldelema, typeof(int));
                il.Emit(OpCodes.Pop);
                il.Emit(OpCodes.Ret);
            }
            else
            {
                il.Emit(OpCodes.Ldarg_0);
                il.Emit(opcode == "cpblk" ? OpCodes.Ldarg_1 : OpCodes.Ldc_I4_0);
                il.Emit(OpCodes.Ldarg_2);
                il.Emit(opcode == "cpblk" ? OpCodes.Cpblk : OpCodes.Initblk);
                il.Emit(OpCodes.Ret);
            }
            type.CreateType();
            using var stream = new MemoryStream();
            assembly.Save(stream);
            return stream.ToArray();
        }
    }
}
