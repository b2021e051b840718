using System;
using System.Linq;
using System.Text;
using Mapt.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Logging;

[TestClass]
public sealed class FlashLineTests
{
    private static readonly DateTime At = new(2026, 11, 26, 14, 0, 5, 123, DateTimeKind.Utc);

    private static string Format(string message, LogLevel level = LogLevel.Information, string category = "Mapt.Wan", int id = 601)
    {
        byte[] buffer = new byte[FlashLine.MaxBytes];
        int n = FlashLine.Format(buffer, At, 1_234_567_890, "1a2b3c4d", level, id, category, message);
        return Encoding.UTF8.GetString(buffer, 0, n);
    }

    [TestMethod]
    public void Format_PlainMessage_HasTheFlashLayout()
    {
        Assert.AreEqual("2026-11-26T14:00:05.123Z 1234.567890 1a2b3c4d info 601 Mapt.Wan link up on wan0\n", Format("link up on wan0"));
    }

    [TestMethod]
    [DataRow(LogLevel.Trace, "trace")]
    [DataRow(LogLevel.Debug, "debug")]
    [DataRow(LogLevel.Information, "info")]
    [DataRow(LogLevel.Warning, "warn")]
    [DataRow(LogLevel.Error, "error")]
    [DataRow(LogLevel.Critical, "crit")]
    public void Format_ThenParse_RoundTripsEveryLevel(LogLevel level, string word)
    {
        string line = Format("x y  z", level);
        StringAssert.Contains(line, " " + word + " 601 ");
        Assert.IsTrue(FlashLine.TryParse(Encoding.UTF8.GetBytes(line.TrimEnd('\n')), out FlashLine? parsed));
        Assert.AreEqual(level, parsed!.Level);
        Assert.AreEqual("2026-11-26T14:00:05.123Z", parsed.Time);
        Assert.AreEqual("1234.567890", parsed.Mono);
        Assert.AreEqual("1a2b3c4d", parsed.Boot);
        Assert.AreEqual(601, parsed.EventId);
        Assert.AreEqual("Mapt.Wan", parsed.Category);
        Assert.AreEqual("x y  z", parsed.Message);
        Assert.AreEqual(line.TrimEnd('\n'), parsed.ToString());
    }

    [TestMethod]
    public void Format_ControlCharacters_StayOnOneLine()
    {
        string line = Format("first\nsecond\r\tthird\u0001");
        Assert.AreEqual(1, line.Split('\n').Length - 1, line);
        StringAssert.EndsWith(line, "first\\nsecond\\r\\tthird\\?\n");
    }

    [TestMethod]
    public void Format_C1Controls_AreEscapedLikeC0_OtherNonAsciiKept()
    {
        // U+009B is CSI: on an 8-bit terminal "\u009b2J" clears the screen. U+0085 is NEL.
        // U+00A0 (no-break space, the first character after C1) and U+00E9 are kept.
        string line = Format("a\u0080b\u009b2Jc\u0085d\u009fe\u00a0f\u00e9\u007fg");
        StringAssert.EndsWith(line, "a\\?b\\?2Jc\\?d\\?e\u00a0f\u00e9\\?g\n");
        Assert.IsFalse(line.Any(c => c is >= '\u0080' and <= '\u009f'), line);
        Assert.IsTrue(FlashLine.TryParse(Encoding.UTF8.GetBytes(line.TrimEnd('\n')), out _));
    }

    [TestMethod]
    public void Format_LongMessageOfC1Controls_IsCutWithinTheLimit()
    {
        string line = Format(new string('\u009b', 2000));
        byte[] bytes = Encoding.UTF8.GetBytes(line);
        Assert.IsTrue(bytes.Length <= FlashLine.MaxBytes, bytes.Length.ToString());
        StringAssert.EndsWith(line, "\\?...\n");
        Assert.IsFalse(line.Contains('\u009b'));
    }

    [TestMethod]
    public void ToString_ControlsThatReachedTheFileAnyway_AreEscapedForTheTerminal()
    {
        // Written by a version that did not escape C1, or a tampered file: mapt log still shows them escaped.
        byte[] raw = Encoding.UTF8.GetBytes("2026-11-26T14:00:05.123Z 1234.567890 1a2b3c4d info 601 Mapt.Wan evil \u009b31m red");
        Assert.IsTrue(FlashLine.TryParse(raw, out FlashLine? parsed));
        Assert.AreEqual("2026-11-26T14:00:05.123Z 1234.567890 1a2b3c4d info 601 Mapt.Wan evil \\?31m red", parsed!.ToString());
        StringAssert.Contains(parsed.ToJson(), "evil \\u009b31m red");
    }

    [TestMethod]
    public void Format_SpaceInCategory_KeepsTheFieldsApart()
    {
        string line = Format("m", category: "My Category");
        StringAssert.Contains(line, " My_Category m\n");
    }

    [TestMethod]
    public void Format_LongMultibyteMessage_IsCutAtACharacterWithinTheLimit()
    {
        string message = new string('é', 2000);
        string line = Format(message);
        byte[] bytes = Encoding.UTF8.GetBytes(line);
        Assert.IsTrue(bytes.Length <= FlashLine.MaxBytes, bytes.Length.ToString());
        StringAssert.EndsWith(line, "é...\n");
        // Strict decoding throws on a cut UTF-8 sequence.
        new UTF8Encoding(false, true).GetString(bytes);
    }

    [TestMethod]
    public void Format_MessageJustFitting_IsNotCut()
    {
        string prefix = Format("");
        string message = new string('a', FlashLine.MaxBytes - prefix.Length);
        string line = Format(message);
        Assert.AreEqual(FlashLine.MaxBytes, Encoding.UTF8.GetByteCount(line));
        StringAssert.EndsWith(line, "aaa\n");
    }

    // The native shim (native-shim/crash.c) writes this layout from a signal handler.
    [TestMethod]
    public void TryParse_CrashLineOfTheShim_IsALine()
    {
        string shim = "2026-11-26T14:48:56.838Z 1198.428061 e18c7a41 crit 9000 Mapt.Crash fatal signal 11 (SIGSEGV) at 0x10 code 1; process ends, re-raising with the default action";
        Assert.IsTrue(FlashLine.TryParse(Encoding.UTF8.GetBytes(shim), out FlashLine? parsed));
        Assert.AreEqual(LogLevel.Critical, parsed!.Level);
        Assert.AreEqual(LoggingEventIds.Crash, parsed.EventId);
        Assert.AreEqual("e18c7a41", parsed.Boot);
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("# mapt log segment 7")]
    [DataRow("2026-11-26T14:00:05.123Z 1234.567890 1a2b3c4d info 601 Mapt.Wa")]
    [DataRow("2026-11-26T14:00:05.123Z 1234.567890 1a2b3c4d info")]
    [DataRow("2026-11-26T14:00:0")]
    [DataRow("2026-11-26 14:00:05.123Z 1234.567890 1a2b3c4d info 601 Mapt.Wan m")]
    [DataRow("2026-11-26T14:00:05.123Z 1234 1a2b3c4d info 601 Mapt.Wan m")]
    [DataRow("2026-11-26T14:00:05.123Z 1234.567890 1a2b3c4d loud 601 Mapt.Wan m")]
    [DataRow("2026-11-26T14:00:05.123Z 1234.567890 1a2b3c4d info 6x1 Mapt.Wan m")]
    [DataRow("2026-11-26T14:00:05.123Z 1234.567890 1a2b3c4d info 601 Mapt.Wan m\0\0\0")]
    public void TryParse_NotAWholeLine_IsRefused(string text)
    {
        Assert.IsFalse(FlashLine.TryParse(Encoding.UTF8.GetBytes(text), out FlashLine? parsed));
        Assert.IsNull(parsed);
    }

    [TestMethod]
    public void ToJson_EscapesQuotesBackslashesAndControls()
    {
        var line = new FlashLine("2026-11-26T14:00:05.123Z", "1.000001", "b", LogLevel.Warning, 7, "C", "say \"hi\" \\ \u0001");
        string json = line.ToJson();
        Assert.AreEqual("{\"time\":\"2026-11-26T14:00:05.123Z\",\"mono\":1.000001,\"boot\":\"b\",\"level\":\"warn\",\"id\":7,\"category\":\"C\",\"message\":\"say \\\"hi\\\" \\\\ \\u0001\"}", json);
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        Assert.AreEqual("say \"hi\" \\ \u0001", doc.RootElement.GetProperty("message").GetString());
    }
}
