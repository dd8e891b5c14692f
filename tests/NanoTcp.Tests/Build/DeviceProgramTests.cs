using System;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NanoTcp.Boards.W5500;
using Xunit;

namespace NanoTcp.Tests.Build
{
    /// <summary>firmware/Device/Program.cs cannot run here; its threading rules are checked on its syntax, and
    /// the board profiles against the portable settings the host runs the driver with.</summary>
    public sealed class DeviceProgramTests
    {
        private static MethodDeclarationSyntax ProgramMain()
        {
            string path = Path.Combine(RepoLayout.Root, "firmware", "Device", "Program.cs");
            SyntaxNode root = CSharpSyntaxTree.ParseText(File.ReadAllText(path)).GetRoot();
            return root.DescendantNodes().OfType<MethodDeclarationSyntax>().Single(m => m.Identifier.Text == "Main");
        }

        private static int StartIndex(BlockSyntax body) =>
            body.Statements.IndexOf(body.Statements.Single(s => s.ToString() == "runner.Start();"));

        /// <summary>Issue 14 point 9: once runner.Start() has run, the poll thread owns the driver's SPI buffers;
        /// Main may touch the driver or the stack only inside try blocks entered with Monitor.Enter(runner.Lock).</summary>
        [Fact]
        public void AfterThePollThreadStartsTheDriverAndTheStackAreUsedOnlyUnderTheLock()
        {
            BlockSyntax body = ProgramMain().Body;
            int start = StartIndex(body);
            var unguarded = body.Statements.Skip(start + 1)
                .SelectMany(s => s.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>())
                .Where(id => id.Identifier.Text is "w5500" or "stack")
                .Where(id => !UnderTheLock(id))
                .Select(id => id.Parent.ToString())
                .ToList();
            Assert.True(unguarded.Count == 0, "used without the lock after runner.Start(): " + string.Join("; ", unguarded));
        }

        private static bool UnderTheLock(SyntaxNode node)
        {
            foreach (TryStatementSyntax attempt in node.Ancestors().OfType<TryStatementSyntax>())
            {
                if (attempt.Parent is not BlockSyntax block)
                    continue;
                int at = block.Statements.IndexOf(attempt);
                if (at > 0 && block.Statements[at - 1].ToString() == "Monitor.Enter(runner.Lock);")
                    return true;
            }
            return false;
        }

        /// <summary>Issue 14 point 8: INTn's falling edge wakes the poll thread (board.WakeOnInterrupt(runner.Wake)),
        /// wired before the thread starts.</summary>
        [Fact]
        public void TheInterruptPinWakesThePollThread()
        {
            BlockSyntax body = ProgramMain().Body;
            int start = StartIndex(body);
            int wake = body.Statements.ToList().FindIndex(s => s.ToString().Contains("board.WakeOnInterrupt(runner.Wake)"));
            Assert.True(wake >= 0, "Main does not wire INTn to runner.Wake");
            Assert.True(wake < start, "INTn is wired after the poll thread started");
        }

        /// <summary>The device's board profiles and the portable settings hosts and tests use say the same thing
        /// (which lines are wired, the SPI clock).</summary>
        [Theory]
        [InlineData("DevKitC")]
        [InlineData("EspressifHspi")]
        [InlineData("M5StackAtomPoe")]
        [InlineData("LilyGoTEthLiteS3")]
        public void BoardProfilesMatchTheirPortableSettings(string board)
        {
            Assembly check = Assembly.LoadFrom(Path.Combine(AppContext.BaseDirectory, "NanoTcp.DeviceCheck.dll"));
            object profile = check.GetType("NanoTcp.Boards.Esp32.BoardProfiles", throwOnError: true).GetProperty(board).GetValue(null);
            var settings = (W5500BoardSettings)typeof(W5500BoardSettings).GetProperty(board).GetValue(null);
            int Field(string name) => (int)profile.GetType().GetField(name).GetValue(profile);
            Assert.Equal(settings.InterruptWired, Field("Interrupt") >= 0);
            Assert.Equal(settings.ResetWired, Field("Reset") >= 0);
            Assert.Equal(settings.SpiClockHz, Field("SpiClockHz"));
            bool ioMux = (Field("Clock"), Field("Miso"), Field("Mosi")) is (14, 12, 13) or (18, 19, 23);
            bool esp32 = !board.Contains("S3");
            Assert.Equal(esp32 && ioMux ? W5500BoardSettings.IoMuxSpiClockHz : W5500BoardSettings.GpioMatrixSpiClockHz, settings.SpiClockHz);
        }
    }
}
