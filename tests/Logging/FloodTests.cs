using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Mapt.Dhcpv6;
using Mapt.Logging;
using Mapt.Wan;
using Microsoft.Extensions.Logging;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Logging;

/// <summary>
/// Issue 13 point 1 in process, on real files: a flood of lines cannot evict the lines that
/// explain a run, lines caused by the network are never synced one by one, and one event
/// cannot write more than its rate limit. The published binary under a DHCPv6 flood is
/// tested in tests/Lab/FloodLabTests.cs.
/// </summary>
[TestClass]
public sealed class FloodTests
{
    // The product's own lines, so the kinds are the real ones: 601 the start and 600 a state
    // change (run lines), 305 a refused MAP-T container (a network line, with its sender),
    // 609 a route restored (the daemon's own warning), 611 a state dump (its information).
    private static void Starting(ILogger logger) => WanLog.Starting(logger, "0.1.0", "wan0", "map0", "none", "/flash", "/run");
    private static void StateEntered(ILogger logger, string from, string to) => WanLog.StateEntered(logger, from, to, "test");
    private static void Refused(ILogger logger, string source, string reason) => Dhcpv6Log.MaptRejected(logger, source, reason);
    private static void Filler(ILogger logger, int number) => WanLog.Dump(logger, "filler line " + number);

    private string _dir = "";

    [TestInitialize]
    public void Init() => _dir = Directory.CreateTempSubdirectory("mapt-flood-").FullName;

    [TestCleanup]
    public void Cleanup() => Directory.Delete(_dir, recursive: true);

    private LoggingOptions Options(bool rateLimited = true, LogCapture? capture = null) => new()
    {
        FlashDir = _dir,
        ConsoleLevel = LogLevel.None,
        SegmentBytes = 16 * 1024,
        SegmentCount = 3,
        Capture = capture,
        RateLimited = rateLimited,
    };

    [TestMethod]
    public void HundredThousandLines_UnlimitedEvenByTheRateLimit_TheRunLinesOfEveryBootSurvive()
    {
        var boots = new List<string>();
        for (int run = 0; run < 3; run++)
        {
            using MaptLoggerFactory factory = MaptLogging.CreateFactory(Options(rateLimited: false));
            boots.Add(factory.Provider.BootId);
            ILogger wan = factory.CreateLogger("Mapt.Wan");
            Starting(wan);
            StateEntered(wan, "WaitingForLink", "Soliciting");
            // The worst case: the limit off, the log ring (3 x 16 KiB) goes round ~200 times.
            ILogger dhcp = factory.CreateLogger("Mapt.Dhcpv6");
            for (int i = 0; i < 100_000 / 3; i++)
                Filler(dhcp, i);
            StateEntered(wan, "Soliciting", "Up");
            Assert.IsTrue(factory.Provider.Flash!.Rotations > 50, factory.Provider.Flash.Rotations.ToString());
        }

        FlashLogContents contents = FlashLogContents.Read(_dir);
        CollectionAssert.AreEqual(boots, contents.Boots(), "every boot is still in the log, in order");
        foreach (string boot in boots)
        {
            List<FlashLine> run = contents.Lines.Where(l => l.Boot == boot && LogLineKinds.Of(l.EventId) == LogLineKind.Run).ToList();
            CollectionAssert.AreEqual(new[] { 800, 601, 600, 600, 802 }, run.Select(l => l.EventId).ToArray(), $"boot {boot}");
        }
        // The newest boot reads in the order it was written: run lines where they were logged.
        List<FlashLine> newest = contents.Lines.Where(l => l.Boot == boots[^1]).ToList();
        Assert.AreEqual(800, newest[0].EventId);
        Assert.AreEqual(802, newest[^1].EventId);
        Assert.AreEqual("wan: Soliciting -> Up: test", newest[^2].Message);
        Assert.AreEqual("wan: state dump (SIGUSR2): filler line 33332", newest[^3].Message);
        Assert.IsTrue(Directory.GetFiles(_dir, "run.*").Sum(f => new FileInfo(f).Length) <= 4 * 8 * 1024);
    }

    [TestMethod]
    public void NetworkWarnings_AreBatched_DaemonWarningsAndRunLinesAreSyncedAtOnce()
    {
        using MaptLoggerFactory factory = MaptLogging.CreateFactory(Options(rateLimited: false));
        FlashRing log = factory.Provider.Flash!, runs = factory.Provider.Runs!;
        ILogger logger = factory.CreateLogger("Mapt.Test");
        long logSyncs = log.Syncs, runSyncs = runs.Syncs;

        for (int i = 0; i < 200; i++)
            Refused(logger, "fe80::66", "ea-len 49 at offset " + i);
        Assert.AreEqual(logSyncs, log.Syncs, "a network line is never synced on its own");
        Assert.IsTrue(log.Writes > 0, "200 lines fill batches: written, not synced");

        WanLog.RouteRestored(logger, "default dev map0");
        Assert.AreEqual(logSyncs + 1, log.Syncs, "the daemon's own warning is synced at once");

        StateEntered(logger, "Up", "Renewing");
        Assert.AreEqual(runSyncs + 1, runs.Syncs, "a run line is synced at once");
        StringAssert.Contains(File.ReadAllText(Path.Combine(_dir, "run.0")), "wan: Up -> Renewing");

        // The timer flush syncs the batched network lines: one fdatasync, not 200.
        Refused(logger, "fe80::66", "one more");
        factory.Provider.Flush();
        Assert.AreEqual(logSyncs + 2, log.Syncs);
    }

    [TestMethod]
    public void SixThousandWarningsOfOneEvent_BurstThenOneSummaryBeforeTheCleanStop()
    {
        var capture = new LogCapture();
        using (MaptLoggerFactory factory = MaptLogging.CreateFactory(Options(capture: capture)))
        {
            ILogger logger = factory.CreateLogger("Mapt.Wan");
            long syncs = factory.Provider.Flash!.Syncs;
            for (int i = 0; i < 6000; i++)
                WanLog.RouteRestored(logger, "default dev map0");
            Assert.AreEqual(syncs + LogRateLimit.Burst, factory.Provider.Flash.Syncs, "only the lines written are synced");
        }
        List<FlashLine> lines = capture.Parsed();
        Assert.AreEqual(LogRateLimit.Burst, lines.Count(l => l.EventId == 609));
        FlashLine summary = lines.Single(l => l.EventId == LoggingEventIds.LinesSuppressed);
        StringAssert.StartsWith(summary.Message, $"suppressed {6000 - LogRateLimit.Burst} similar line(s) of event 609 in the last ");
        Assert.AreEqual(LoggingEventIds.CleanStop, lines[^1].EventId, "the stop stays the last line (previous exit: clean)");

        FlashLogContents contents = FlashLogContents.Read(_dir);
        Assert.AreEqual(LogRateLimit.Burst, contents.Lines.Count(l => l.EventId == 609));
        Assert.AreEqual("clean", contents.LastExit().Kind);
    }

    [TestMethod]
    public void NetworkLines_AreLimitedPerSender_SpoofedSendersShareOneBucket()
    {
        var capture = new LogCapture();
        using (MaptLoggerFactory factory = MaptLogging.CreateFactory(Options(capture: capture)))
        {
            ILogger logger = factory.CreateLogger("Mapt.Dhcpv6");
            // The server and an attacker: neither silences the other.
            for (int i = 0; i < 100; i++)
            {
                Refused(logger, "fe80::1", "from the server");
                Refused(logger, "fe80::66", "from the attacker");
            }
            // 100 more senders, one line each (spoofed addresses): the buckets left, then one shared one.
            for (int i = 0; i < 100; i++)
                Refused(logger, "fe80::" + (0x100 + i).ToString("x"), "spoofed");
        }
        int ownBuckets = LogRateLimit.SourcesPerEvent - 2, shared = 100 - ownBuckets;
        List<FlashLine> lines = capture.Parsed();
        Assert.AreEqual(LogRateLimit.Burst, lines.Count(l => l.Message.Contains(": from the server;")));
        Assert.AreEqual(LogRateLimit.Burst, lines.Count(l => l.Message.Contains(": from the attacker;")));
        Assert.AreEqual(ownBuckets + LogRateLimit.Burst, lines.Count(l => l.Message.Contains(": spoofed;")));
        List<string> summaries = lines.Where(l => l.EventId == LoggingEventIds.LinesSuppressed).Select(l => l.Message).ToList();
        Assert.IsTrue(summaries.Any(m => m.StartsWith("suppressed 90 similar line(s) of event 305 from fe80::1 in the last ")), string.Join("\n", summaries));
        Assert.IsTrue(summaries.Any(m => m.StartsWith("suppressed 90 similar line(s) of event 305 from fe80::66 in the last ")), string.Join("\n", summaries));
        Assert.IsTrue(summaries.Any(m => m.StartsWith($"suppressed {shared - LogRateLimit.Burst} similar line(s) of event 305 from other sources in the last ")), string.Join("\n", summaries));
    }

    [TestMethod]
    public void RunLines_AreNeverRateLimited()
    {
        var capture = new LogCapture();
        using (MaptLoggerFactory factory = MaptLogging.CreateFactory(Options(capture: capture)))
        {
            ILogger logger = factory.CreateLogger("Mapt.Wan");
            for (int i = 0; i < 100; i++)
                StateEntered(logger, "Up", "Renewing " + i);
        }
        Assert.AreEqual(100, FlashLogContents.Read(_dir).Lines.Count(l => l.EventId == 600));
        Assert.IsFalse(capture.Parsed().Any(l => l.EventId == LoggingEventIds.LinesSuppressed));
    }

    [TestMethod]
    public void BothRings_ReadBackInTheOrderTheLinesWereWritten_AcrossBoots()
    {
        var capture = new LogCapture();
        for (int run = 0; run < 3; run++)
        {
            using MaptLoggerFactory factory = MaptLogging.CreateFactory(Options(capture: capture));
            ILogger logger = factory.CreateLogger("Mapt.Wan");
            Starting(logger);
            for (int i = 0; i < 30; i++)
            {
                if (i % 7 == 0)
                    StateEntered(logger, "state" + i, "state" + (i + 1));
                else if (i % 5 == 0)
                    WanLog.RouteRestored(logger, "route " + run + "/" + i);
                else
                    Filler(logger, run * 100 + i);
            }
        }
        List<string> written = capture.Lines;
        List<string> read = FlashLogContents.Read(_dir).Lines.Select(l => l.ToString()).ToList();
        CollectionAssert.AreEqual(written, read);
    }
}
