using System.Collections.Generic;
using Mapt.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Logging;

[TestClass]
public sealed class LogQueryTests
{
    [TestMethod]
    [DataRow("2026-11-26", "2026-11-26T00:00:00.000Z")]
    [DataRow("2026-11-26T14:00", "2026-11-26T14:00:00.000Z")]
    [DataRow("2026-11-26T14:00Z", "2026-11-26T14:00:00.000Z")]
    [DataRow("2026-11-26 14:00:05", "2026-11-26T14:00:05.000Z")]
    [DataRow("2026-11-26T14:00:05Z", "2026-11-26T14:00:05.000Z")]
    [DataRow("2026-11-26T14:00:05.123Z", "2026-11-26T14:00:05.123Z")]
    public void TryNormalizeTime_AcceptedForms_BecomeTheLineForm(string text, string expected)
    {
        Assert.IsTrue(LogQuery.TryNormalizeTime(text, out string normalized));
        Assert.AreEqual(expected, normalized);
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("yesterday")]
    [DataRow("2026-11-2")]
    [DataRow("2026-11-26T14")]
    [DataRow("2026/11/26")]
    [DataRow("2026-11-26T14:00:05.12")]
    public void TryNormalizeTime_OtherText_IsRefused(string text)
    {
        Assert.IsFalse(LogQuery.TryNormalizeTime(text, out _));
    }

    [TestMethod]
    [DataRow("0", 0)]
    [DataRow("-0", 0)]
    [DataRow("-1", -1)]
    [DataRow("-12", -12)]
    public void TryParseBoot_ZeroOrNegative_Parses(string text, int expected)
    {
        Assert.IsTrue(LogQuery.TryParseBoot(text, out int boot));
        Assert.AreEqual(expected, boot);
    }

    [TestMethod]
    [DataRow("1")]
    [DataRow("")]
    [DataRow("-")]
    [DataRow("-1x")]
    [DataRow("--1")]
    [DataRow("-9999999")]
    public void TryParseBoot_Other_IsRefused(string text)
    {
        Assert.IsFalse(LogQuery.TryParseBoot(text, out _));
    }

    private static FlashLogContents ThreeBoots()
    {
        var contents = new FlashLogContents();
        void Add(string time, string boot, LogLevel level, int id) =>
            contents.Lines.Add(new FlashLine(time, "1.000000", boot, level, id, "Mapt.Test", "m"));
        Add("2026-11-26T10:00:00.000Z", "aaaa", LogLevel.Information, 800);
        Add("2026-11-26T10:00:01.000Z", "aaaa", LogLevel.Error, 601);
        Add("2026-11-26T11:00:00.000Z", "bbbb", LogLevel.Information, 800);
        Add("2026-11-26T11:00:01.000Z", "bbbb", LogLevel.Critical, 9000);
        Add("2026-11-26T12:00:00.000Z", "cccc", LogLevel.Information, 800);
        Add("2026-11-26T12:00:01.000Z", "cccc", LogLevel.Debug, 601);
        return contents;
    }

    [TestMethod]
    [DataRow(0, "cccc")]
    [DataRow(-1, "bbbb")]
    [DataRow(-2, "aaaa")]
    public void TrySelect_Boot_IsCountedBackFromTheNewest(int boot, string id)
    {
        var lines = new List<FlashLine>();
        Assert.IsTrue(new LogQuery { Boot = boot }.TrySelect(ThreeBoots(), lines));
        Assert.AreEqual(2, lines.Count);
        Assert.IsTrue(lines.TrueForAll(l => l.Boot == id));
    }

    [TestMethod]
    public void TrySelect_BootBeyondTheRing_IsFalse()
    {
        Assert.IsFalse(new LogQuery { Boot = -3 }.TrySelect(ThreeBoots(), new List<FlashLine>()));
    }

    [TestMethod]
    public void TrySelect_AllWithLevelAndSince_Filters()
    {
        var lines = new List<FlashLine>();
        Assert.IsTrue(new LogQuery { AllBoots = true, MinLevel = LogLevel.Error, Since = "2026-11-26T10:30:00.000Z" }.TrySelect(ThreeBoots(), lines));
        Assert.AreEqual(1, lines.Count);
        Assert.AreEqual(9000, lines[0].EventId);
    }

    [TestMethod]
    public void LastExit_CrashLineLast_IsCrashWithTheSignal()
    {
        var contents = ThreeBoots();
        contents.Lines.RemoveRange(4, 2);
        contents.Lines[3] = new FlashLine("2026-11-26T11:00:01.000Z", "1.0", "bbbb", LogLevel.Critical, 9000, "Mapt.Crash", "fatal signal 11 (SIGSEGV) at 0x10 code 1; process ends");
        PreviousExit exit = contents.LastExit();
        Assert.AreEqual("crash", exit.Kind);
        Assert.AreEqual("bbbb", exit.Boot);
        StringAssert.Contains(exit.ToString(), "fatal signal 11 (SIGSEGV)");
    }

    [TestMethod]
    public void LastExit_NoStopOrCrashLine_IsUnknown()
    {
        Assert.AreEqual("unknown", ThreeBoots().LastExit().Kind);
        Assert.AreEqual("none", new FlashLogContents().LastExit().Kind);
    }
}
