using System.Linq;
using System.Text.RegularExpressions;
using Mapt.Logging;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Logging;

/// <summary>The table of which event is a run line, a network line or the daemon's own (src/Logging/LogLineKind.cs).</summary>
[TestClass]
public sealed class LogLineKindTests
{
    [TestMethod]
    // Issue 13: the boot marker, the start (601, 300), every state change, every apply and its
    // failure, the teardown, the journal, the clean stop; and the crash line.
    [DataRow(800)][DataRow(601)][DataRow(300)][DataRow(600)][DataRow(606)][DataRow(607)][DataRow(608)]
    [DataRow(602)][DataRow(603)][DataRow(604)][DataRow(605)][DataRow(802)][DataRow(616)][DataRow(9000)]
    public void LinesThatExplainARun_AreRunLines(int id)
    {
        Assert.AreEqual(LogLineKind.Run, LogLineKinds.Of(id));
    }

    [TestMethod]
    public void EveryClassifiedId_IsAnEventOfTheCatalog_AndNetworkLinesNameTheirSender()
    {
        var catalog = EventIdCatalogTests.Catalog().ToDictionary(e => e.Id);
        int run = 0, network = 0;
        for (int id = 1; id < 1000; id++)
        {
            LogLineKind kind = LogLineKinds.Of(id);
            if (kind == LogLineKind.Daemon)
                continue;
            // Ranges in the table may span unused ids; every id in use must be a real event.
            if (!catalog.TryGetValue(id, out EventIdCatalogTests.Event? e))
                continue;
            if (kind == LogLineKind.Run)
            {
                run++;
                continue;
            }
            network++;
            Assert.AreEqual("Dhcpv6", e.File.Split('/')[1], $"event {id}: only the DHCPv6 client's lines come from the network today");
            var fields = Regex.Matches(e.Message, @"\{(\w+)\}").Select(m => m.Groups[1].Value).ToList();
            bool sender = fields.Any(f => LogLineKinds.SourceFields.Contains(f));
            bool addressLike = fields.Any(f => f is "From" or "Peer" or "Address");
            Assert.IsFalse(addressLike && !sender, $"event {id} names its sender in a field the rate limit does not key on: {e.Message}");
        }
        Assert.IsTrue(run >= 15, $"only {run} run lines in the catalog: ids renumbered?");
        Assert.AreEqual(5, network, "network lines: 303, 304, 305, 312, 316");
        Assert.IsTrue(catalog.ContainsKey(LoggingEventIds.LinesSuppressed), "the summary line (820)");
    }
}
