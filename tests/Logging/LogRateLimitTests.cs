using System.Collections.Generic;
using Mapt.Logging;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Logging;

/// <summary>The token buckets on a virtual clock (the provider passes the monotonic time).</summary>
[TestClass]
public sealed class LogRateLimitTests
{
    private const long T0 = 1_000_000;

    private static int Admitted(LogRateLimit limit, int eventId, string? source, long nowMs, int lines)
    {
        int admitted = 0;
        for (int i = 0; i < lines; i++)
            if (limit.Admit(eventId, source, nowMs, out _))
                admitted++;
        return admitted;
    }

    [TestMethod]
    public void Burst_ThenOneLinePerRefill()
    {
        var limit = new LogRateLimit();
        Assert.AreEqual(LogRateLimit.Burst, Admitted(limit, 609, null, T0, 1000));
        Assert.AreEqual(0, Admitted(limit, 609, null, T0 + LogRateLimit.RefillMs - 1, 10), "no token before the refill");
        Assert.AreEqual(1, Admitted(limit, 609, null, T0 + LogRateLimit.RefillMs, 10));
        Assert.AreEqual(1, Admitted(limit, 609, null, T0 + 2 * LogRateLimit.RefillMs, 10));
        // Quiet for long enough, the whole burst is back, and no more than it.
        Assert.AreEqual(LogRateLimit.Burst, Admitted(limit, 609, null, T0 + 100 * LogRateLimit.RefillMs, 1000));
    }

    [TestMethod]
    public void EventIds_HaveBucketsOfTheirOwn()
    {
        var limit = new LogRateLimit();
        Assert.AreEqual(LogRateLimit.Burst, Admitted(limit, 609, null, T0, 100));
        Assert.AreEqual(LogRateLimit.Burst, Admitted(limit, 610, null, T0, 100));
    }

    [TestMethod]
    public void SuppressedCount_IsHandedBackWithTheNextLineThatPasses()
    {
        var limit = new LogRateLimit();
        Admitted(limit, 609, null, T0, 25);
        Assert.IsTrue(limit.Admit(609, null, T0 + LogRateLimit.RefillMs, out LogRateLimit.Suppression? summary));
        Assert.IsNotNull(summary);
        Assert.AreEqual(609, summary.Value.EventId);
        Assert.AreEqual(15, summary.Value.Count);
        Assert.AreEqual(T0, summary.Value.SinceMs, "counted from the first line suppressed");
        Assert.IsTrue(limit.Admit(609, null, T0 + 2 * LogRateLimit.RefillMs, out summary));
        Assert.IsNull(summary, "the count was handed back once");
    }

    [TestMethod]
    public void TakeDue_AfterAMinuteOfSuppression_OrEverythingAtTheStop()
    {
        var limit = new LogRateLimit();
        var due = new List<LogRateLimit.Suppression>();
        Admitted(limit, 609, null, T0, 20);
        Admitted(limit, 303, "fe80::66", T0 + 30_000, 20);

        limit.TakeDue(T0 + LogRateLimit.SummaryEveryMs - 1, all: false, due);
        Assert.AreEqual(0, due.Count, "not a minute yet");
        limit.TakeDue(T0 + LogRateLimit.SummaryEveryMs, all: false, due);
        Assert.AreEqual(1, due.Count);
        Assert.AreEqual(new LogRateLimit.Suppression(609, null, 10, T0), due[0]);

        due.Clear();
        limit.TakeDue(T0 + LogRateLimit.SummaryEveryMs, all: true, due);
        Assert.AreEqual(1, due.Count);
        Assert.AreEqual(new LogRateLimit.Suppression(303, "fe80::66", 10, T0 + 30_000), due[0]);
        due.Clear();
        limit.TakeDue(T0 + 10 * LogRateLimit.SummaryEveryMs, all: true, due);
        Assert.AreEqual(0, due.Count, "each count is written once");
    }

    [TestMethod]
    public void Senders_GetBucketsUpToTheLimit_ThenShareOne()
    {
        var limit = new LogRateLimit();
        for (int s = 0; s < LogRateLimit.SourcesPerEvent; s++)
            Assert.AreEqual(LogRateLimit.Burst, Admitted(limit, 304, "fe80::" + s, T0, 50), "sender " + s);
        // Any number of further senders share one bucket: spoofing buys nothing.
        int shared = 0;
        for (int s = 100; s < 1100; s++)
            shared += Admitted(limit, 304, "fe80::" + s.ToString("x"), T0, 1);
        Assert.AreEqual(LogRateLimit.Burst, shared);
        var due = new List<LogRateLimit.Suppression>();
        limit.TakeDue(T0, all: true, due);
        Assert.IsTrue(due.Contains(new LogRateLimit.Suppression(304, LogRateLimit.OtherSources, 1000 - LogRateLimit.Burst, T0)));
    }

    [TestMethod]
    public void SenderBucket_FullAgainAndOwingNothing_GoesToANewSender()
    {
        var limit = new LogRateLimit();
        for (int s = 0; s < LogRateLimit.SourcesPerEvent; s++)
            Admitted(limit, 304, "fe80::" + s, T0, 1);
        Assert.AreEqual(LogRateLimit.Burst, Admitted(limit, 304, "fe80::99", T0, 50), "no free bucket: the shared one");
        // A refill later the first senders' buckets are full again: new senders get them, each
        // with a burst of its own; once they are all busy again, the shared one, refilled by one.
        long later = T0 + LogRateLimit.RefillMs;
        for (int s = 0; s < LogRateLimit.SourcesPerEvent; s++)
            Assert.AreEqual(LogRateLimit.Burst, Admitted(limit, 304, "fe80::a" + s, later, 50), "new sender " + s);
        Assert.AreEqual(1, Admitted(limit, 304, "fe80::ee", later, 50));
    }
}
