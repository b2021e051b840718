using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Mapt.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Logging;

/// <summary>The ring on a real directory, in process (the published binary is tested in LoggingBinaryTests).</summary>
[TestClass]
public sealed class FlashRingTests
{
    // Lines of the daemon's own (LogLineKind.Daemon): the log ring, warnings synced at once.
    private const int Info = 611, Warn = 609, Error = 610;

    private string _dir = "";

    [TestInitialize]
    public void Init() => _dir = Directory.CreateTempSubdirectory("mapt-logging-").FullName;

    [TestCleanup]
    public void Cleanup() => Directory.Delete(_dir, recursive: true);

    // The ring itself, without the rate limit (LogRateLimitTests, FloodTests): these tests log one event many times.
    private LoggingOptions Options(int segmentBytes = 16 * 1024, int count = 3, LogCapture? capture = null) => new()
    {
        FlashDir = _dir,
        ConsoleLevel = LogLevel.None,
        SegmentBytes = segmentBytes,
        SegmentCount = count,
        BatchBytes = 4096,
        Capture = capture,
        RateLimited = false,
    };

    private long RingBytes() => Directory.GetFiles(_dir).Sum(f => new FileInfo(f).Length);

    [TestMethod]
    public void Flood_OneMillionLines_RingStaysWithinItsBound()
    {
        LoggingOptions options = Options(segmentBytes: 64 * 1024, count: 4);
        long bound = (long)options.SegmentBytes * options.SegmentCount;
        using MaptLoggerFactory factory = MaptLogging.CreateFactory(options);
        ILogger log = factory.CreateLogger("Mapt.Test.Flood");
        long largest = 0;
        for (int i = 0; i < 1_000_000; i++)
        {
            log.LogInformation(Info, "flood line {Number} of the test, padded to a realistic length of a daemon message", i);
            if (i % 50_000 == 0)
            {
                largest = Math.Max(largest, RingBytes());
                Assert.IsTrue(Directory.GetFiles(_dir, "log.*").Length <= options.SegmentCount);
            }
        }
        factory.Provider.Flush();
        largest = Math.Max(largest, RingBytes());
        Assert.IsTrue(largest <= bound, $"ring held {largest} bytes, bound {bound}");
        Assert.IsTrue(largest > bound * 3 / 4, $"ring held only {largest} bytes: is it writing at all?");
        Assert.AreEqual(options.SegmentCount, Directory.GetFiles(_dir, "log.*").Length);

        // The newest lines survive, in order, with nothing unreadable.
        FlashLogContents contents = FlashLogContents.Read(_dir);
        Assert.AreEqual(0, contents.SkippedLines);
        StringAssert.Contains(contents.Lines[^1].Message, "flood line 999999 ");
        Assert.IsTrue(factory.Provider.Flash!.Rotations > 1000, factory.Provider.Flash.Rotations.ToString());
        // Wear: far fewer writes than lines, and no fdatasync for information lines.
        Assert.IsTrue(factory.Provider.Flash.Writes < 1_000_000 / 20, factory.Provider.Flash.Writes.ToString());
        Assert.IsTrue(factory.Provider.Flash.Syncs < 10, factory.Provider.Flash.Syncs.ToString());
    }

    [TestMethod]
    public void Warning_IsWrittenAndSyncedAtOnce_InformationIsBatched()
    {
        using MaptLoggerFactory factory = MaptLogging.CreateFactory(Options());
        ILogger log = factory.CreateLogger("Mapt.Test");
        long syncs = factory.Provider.Flash!.Syncs;
        log.LogInformation(Info, "batched information");
        Assert.IsFalse(ReadAllSegments().Contains("batched information"), "information lines wait for the batch");
        Assert.AreEqual(syncs, factory.Provider.Flash.Syncs);

        log.LogWarning(Warn, "urgent warning");
        string text = ReadAllSegments();
        StringAssert.Contains(text, "batched information");
        StringAssert.Contains(text, "urgent warning");
        Assert.AreEqual(syncs + 1, factory.Provider.Flash.Syncs);

        log.LogInformation(Info, "flushed by the timer");
        factory.Provider.Flush();
        StringAssert.Contains(ReadAllSegments(), "flushed by the timer");
        Assert.AreEqual(syncs + 2, factory.Provider.Flash.Syncs);
    }

    private string ReadAllSegments() =>
        string.Concat(Directory.GetFiles(_dir).OrderBy(f => f).Select(f => File.ReadAllText(f)));

    [TestMethod]
    public void SegmentTruncatedMidLine_ReadsBackCleanly_AndTheNextStartSealsIt()
    {
        using (MaptLoggerFactory first = MaptLogging.CreateFactory(Options()))
        {
            ILogger log = first.CreateLogger("Mapt.Test");
            for (int i = 0; i < 20; i++)
                log.LogWarning(Warn, "line {Number}", i);
        }
        // The clean-stop line is a run line: the run ring's last one.
        string segment = Path.Combine(_dir, "run.0");
        byte[] bytes = File.ReadAllBytes(segment);
        // Power lost in the middle of the last line (the clean-stop line): cut it in half.
        int lastStart = Array.LastIndexOf(bytes, (byte)'\n', bytes.Length - 2) + 1;
        int cut = lastStart + (bytes.Length - lastStart) / 2;
        File.WriteAllBytes(segment, bytes.AsSpan(0, cut).ToArray());

        FlashLogContents contents = FlashLogContents.Read(_dir);
        Assert.AreEqual(1, contents.SkippedLines);
        Assert.AreEqual("line 19", contents.Lines[^1].Message);
        Assert.AreEqual(21, contents.Lines.Count, "boot marker and 20 lines");

        var capture = new LogCapture();
        using (MaptLoggerFactory second = MaptLogging.CreateFactory(Options(capture: capture)))
            second.CreateLogger("Mapt.Test").LogWarning(Warn, "after the power loss");
        StringAssert.Contains(capture.Lines.First(l => l.Contains(" 800 ")), "previous run unknown");
        Assert.IsTrue(capture.Lines.Any(l => l.Contains(" 804 ")), string.Join("\n", capture.Lines));

        contents = FlashLogContents.Read(_dir);
        Assert.AreEqual(0, contents.SkippedLines, "the torn line was cut off");
        Assert.AreEqual(21, contents.Lines.Count(l => l.Boot == contents.Boots()[0]));
        Assert.AreEqual(2, contents.Boots().Count);
        Assert.IsTrue(contents.Lines.Any(l => l.Message == "after the power loss"));
        Assert.AreEqual(LoggingEventIds.CleanStop, contents.Lines[^1].EventId);
    }

    [TestMethod]
    public void ZerosAfterPowerLoss_AreNotLines()
    {
        using (MaptLoggerFactory first = MaptLogging.CreateFactory(Options()))
            first.CreateLogger("Mapt.Test").LogWarning(Warn, "before");
        using (var f = new FileStream(Path.Combine(_dir, "log.0"), FileMode.Append))
            f.Write(new byte[512]);
        FlashLogContents contents = FlashLogContents.Read(_dir);
        Assert.AreEqual(0, contents.SkippedLines);
        Assert.AreEqual(3, contents.Lines.Count);

        using (MaptLoggerFactory second = MaptLogging.CreateFactory(Options()))
            second.CreateLogger("Mapt.Test").LogWarning(Warn, "after");
        contents = FlashLogContents.Read(_dir);
        Assert.AreEqual(0, contents.SkippedLines);
        Assert.AreEqual("after", contents.Lines[^2].Message);
        Assert.IsFalse(File.ReadAllBytes(Path.Combine(_dir, "log.0")).Contains((byte)0), "the zeros were cut off");
    }

    [TestMethod]
    public void Restart_AppendsToTheNewestSegment_AndNamesThePreviousExit()
    {
        var capture = new LogCapture();
        using (MaptLogging.CreateFactory(Options())) { }
        // A run that never stops cleanly (SIGKILL, power loss): the provider is abandoned.
        MaptLoggerFactory abandoned = MaptLogging.CreateFactory(Options());
        abandoned.CreateLogger("Mapt.Test").LogError(Error, "last words");
        using (MaptLogging.CreateFactory(Options(capture: capture))) { }
        using (MaptLogging.CreateFactory(Options())) { }

        FlashLogContents contents = FlashLogContents.Read(_dir);
        Assert.AreEqual(4, contents.Boots().Count);
        CollectionAssert.AreEquivalent(new[] { "log.0", "run.0" }, Directory.GetFiles(_dir).Select(Path.GetFileName).ToArray(), "small runs share one segment per ring");
        List<FlashLine> markers = contents.Lines.Where(l => l.EventId == LoggingEventIds.BootMarker).ToList();
        Assert.AreEqual(4, markers.Count);
        StringAssert.Contains(markers[0].Message, "previous run none");
        StringAssert.Contains(markers[1].Message, "previous run clean");
        StringAssert.Contains(markers[2].Message, "previous run unknown");
        StringAssert.Contains(markers[3].Message, "previous run clean");
        Assert.AreEqual(markers[2].Message, capture.Parsed().First(l => l.EventId == 800).Message);
    }

    [TestMethod]
    public void SmallerRing_RemovesTheSlotsItNoLongerUses()
    {
        using (MaptLoggerFactory big = MaptLogging.CreateFactory(Options(count: 6)))
        {
            ILogger log = big.CreateLogger("Mapt.Test");
            for (int i = 0; i < 2000; i++)
                log.LogInformation(Info, "filler line {Number} to go round the ring", i);
        }
        Assert.AreEqual(6, Directory.GetFiles(_dir, "log.*").Length);
        using (MaptLogging.CreateFactory(Options(count: 3))) { }
        string[] files = Directory.GetFiles(_dir, "log.*").Select(Path.GetFileName).OrderBy(n => n).ToArray()!;
        CollectionAssert.AreEqual(new[] { "log.0", "log.1", "log.2" }, files);
        Assert.IsTrue(FlashLogContents.Read(_dir).Lines.Count > 0);
    }

    [TestMethod]
    public void Capture_SeesLinesBelowBothSinkLevels()
    {
        var capture = new LogCapture();
        LoggingOptions options = Options(capture: capture);
        options.FlashLevel = LogLevel.Warning;
        using (MaptLoggerFactory factory = MaptLogging.CreateFactory(options))
            factory.CreateLogger("Mapt.Test").LogDebug(Info, "debug detail");
        Assert.IsTrue(capture.Parsed().Any(l => l.Level == LogLevel.Debug && l.Message == "debug detail" && l.Category == "Mapt.Test"));
        Assert.IsFalse(ReadAllSegments().Contains("debug detail"), "below the flash level");
    }

    [TestMethod]
    public void Exception_IsOnTheSameLine()
    {
        var capture = new LogCapture();
        using (MaptLoggerFactory factory = MaptLogging.CreateFactory(Options(capture: capture)))
            factory.CreateLogger("Mapt.Test").LogError(Error, new InvalidOperationException("bad\nthing"), "apply failed");
        FlashLine line = capture.Parsed().Single(l => l.EventId == Error);
        Assert.AreEqual("apply failed | exception: bad\\nthing", line.Message);
    }

    [TestMethod]
    public void MissingDirectory_IsCreated()
    {
        string nested = Path.Combine(_dir, "log");
        LoggingOptions options = Options();
        options.FlashDir = nested;
        using (MaptLogging.CreateFactory(options)) { }
        Assert.IsTrue(File.Exists(Path.Combine(nested, "log.0")));
    }

    [TestMethod]
    [DataRow(1, 65536, 4096, 4, 8192)]
    [DataRow(65, 65536, 4096, 4, 8192)]
    [DataRow(4, 1024, 256, 4, 8192)]
    [DataRow(4, 65536, 40000, 4, 8192)]
    [DataRow(4, 65536, 4096, 1, 8192)]
    [DataRow(4, 65536, 4096, 4, 2048)]
    public void Options_OutOfRange_AreRefused(int count, int segmentBytes, int batchBytes, int runCount, int runBytes)
    {
        var options = new LoggingOptions
        {
            FlashDir = _dir, SegmentCount = count, SegmentBytes = segmentBytes, BatchBytes = batchBytes,
            RunSegmentCount = runCount, RunSegmentBytes = runBytes,
        };
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => MaptLogging.CreateFactory(options));
    }

    [TestMethod]
    public void FlushEvery_OnTheEventLoop_WritesBatchedLinesWithoutBeingAsked()
    {
        LoggingOptions options = Options();
        options.FlushIntervalMs = 20;
        using MaptLoggerFactory factory = MaptLogging.CreateFactory(options);
        using var loop = new Mapt.Platform.EventLoop(factory.CreateLogger("Mapt.Platform"));
        MaptLogging.FlushEvery(loop, factory);
        factory.CreateLogger("Mapt.Test").LogInformation(Info, "waiting for the timer");
        Assert.IsFalse(ReadAllSegments().Contains("waiting for the timer"));
        var until = DateTime.UtcNow.AddSeconds(5);
        while (!ReadAllSegments().Contains("waiting for the timer") && DateTime.UtcNow < until)
            loop.RunOnce(50);
        StringAssert.Contains(ReadAllSegments(), "waiting for the timer");
        long syncs = factory.Provider.Flash!.Syncs;
        for (int i = 0; i < 5; i++)
            loop.RunOnce(30);
        Assert.AreEqual(syncs, factory.Provider.Flash.Syncs, "no fdatasync when nothing was logged");
    }
}
