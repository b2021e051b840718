using System.Collections.Generic;
using System.Linq;
using Mapt.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Logging;

/// <summary>How the log ring and the run ring read back as one log (pure; FloodTests does it on files).</summary>
[TestClass]
public sealed class FlashLogContentsTests
{
    private static List<string> Boots(params string[] ids) => ids.ToList();

    [TestMethod]
    // Both rings agree where they overlap; what only one holds goes where that ring says.
    [DataRow("b1 b2 b3", "b3 b4", "b1 b2 b3 b4")]
    [DataRow("b2", "b1 b2", "b1 b2")]
    [DataRow("b1 b3", "b2 b3", "b1 b2 b3")]
    [DataRow("b3 b5", "b4 b5 b6", "b3 b4 b5 b6")]
    [DataRow("", "b1 b2", "b1 b2")]
    [DataRow("b1 b2", "", "b1 b2")]
    // Nothing in common: a boot with no run line left is older than the run ring's boots.
    [DataRow("b1", "b2", "b1 b2")]
    public void MergeBoots_KeepsTheOrderBothRingsAgreeOn(string log, string runs, string expected)
    {
        static List<string> Split(string text) => text.Split(' ', System.StringSplitOptions.RemoveEmptyEntries).ToList();
        CollectionAssert.AreEqual(Split(expected), FlashLogContents.MergeBoots(Split(log), Split(runs)));
    }

    private static FlashLine Line(string boot, string mono, int id) =>
        new("2026-11-26T10:00:00.000Z", mono, boot, LogLevel.Information, id, "Mapt.Test", boot + "@" + mono);

    [TestMethod]
    public void Merge_OrdersByBootThenMono_NotByText()
    {
        // Monotonic time restarts at every kernel boot: b2's lines have a smaller MONO than b1's.
        var log = new List<FlashLine> { Line("b1", "900.000001", 611), Line("b1", "1000.5", 611), Line("b2", "5.000000", 611), Line("b2", "7.25", 9000) };
        var runs = new List<FlashLine> { Line("b1", "899.999999", 800), Line("b1", "1000.400000", 600), Line("b1", "1000.6", 802), Line("b2", "4.9", 800), Line("b2", "6.0", 600) };
        var merged = new List<FlashLine>();
        FlashLogContents.Merge(log, runs, merged);
        CollectionAssert.AreEqual(
            new[] { "b1@899.999999", "b1@900.000001", "b1@1000.400000", "b1@1000.5", "b1@1000.6", "b2@4.9", "b2@5.000000", "b2@6.0", "b2@7.25" },
            merged.Select(l => l.Message).ToArray());

        var contents = new FlashLogContents();
        contents.Lines.AddRange(merged);
        Assert.AreEqual("crash", contents.LastExit().Kind, "the crash line in the log ring is the newest boot's last line");
    }

    [TestMethod]
    [DataRow("12.345678", 12_345_678L)]
    [DataRow("0.000001", 1L)]
    [DataRow("1198.4", 1_198_400_000L)]
    [DataRow("3.1234567", 3_123_456L)]
    public void MonoMicros_ParsesTheField(string mono, long micros)
    {
        Assert.AreEqual(micros, Line("b", mono, 1).MonoMicros());
    }
}
