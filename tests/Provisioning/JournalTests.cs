using System.Collections.Generic;
using Mapt.Net;
using Mapt.Provisioning;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Provisioning;

[TestClass]
public sealed class JournalTests
{
    private static readonly Ipv6Address Gateway = Samples.Address6("fe80::1");

    private static Journal Sample() => new()
    {
        BootId = "3f2a9c1e-8d61-4a3e-9d4f-2d1e0b7c6a55",
        Pid = 4242,
        Wan = "wan0",
        MapDevice = "map-mapt",
        Translator = "nat46",
        MapContent = "2001:db8:12:3400::/56 2001:db8::/40,192.0.2.0/24,16",
        Entries = Samples.PlanOf(Samples.Shared(), new PlanSettings(WanInterface: "wan0", WanGateway: Gateway)).Undo(Seen()),
    };

    private static Observation Seen()
    {
        var seen = new Observation();
        seen.SysctlsBefore["net.ipv4.ip_forward"] = "0";
        seen.SysctlsBefore["net.ipv6.conf.all.forwarding"] = "0";
        seen.Routes[Ipv4Prefix.Masked(new Ipv4Address(0), 0)] = new RouteFinding(RouteFindingKind.Replaced,
            new PlannedRoute(Ipv4Prefix.Masked(new Ipv4Address(0), 0), "lan0", Samples.Address4("198.51.100.131"), 100, Type: PlannedRoute.Unicast));
        return seen;
    }

    [TestMethod]
    public void Format_ThenParse_GivesTheSameJournal()
    {
        Journal j = Sample();
        string text = j.Format();
        Journal back = Journal.Parse(text, out string? error);
        Assert.IsNull(error, error);
        Assert.AreEqual((2, "3f2a9c1e-8d61-4a3e-9d4f-2d1e0b7c6a55", 4242, "wan0", "map-mapt", "nat46"),
            (back.FormatVersion, back.BootId, back.Pid, back.Wan, back.MapDevice, back.Translator));
        Assert.AreEqual(j.MapContent, back.MapContent);
        CollectionAssert.AreEqual(j.Entries, back.Entries, text);
        StringAssert.StartsWith(text, "mapt-journal 2\nboot 3f2a9c1e-");
        StringAssert.Contains(text, "\nroute-restore default via 198.51.100.131 dev lan0 metric 100\nroute-delete default dev map-mapt mtu 1480\n");
        StringAssert.Contains(text, "\nsysctl-restore net.ipv6.conf.all.forwarding 0\n");
    }

    [TestMethod]
    public void UndoOrder_LastFirst_ConntrackLast()
    {
        List<UndoStep> order = Journal.UndoOrder(Sample().Entries);
        Assert.AreEqual("route-delete 2001:db8:ffff::/64 via fe80::1 dev wan0", order[0].Format());
        Assert.AreEqual("nat46-delete map-mapt", order[^2].Format());
        Assert.AreEqual("conntrack-flush 192.0.2.18", order[^1].Format());
        int delete = order.FindIndex(s => s.Format() == "route-delete default dev map-mapt mtu 1480");
        int restore = order.FindIndex(s => s is RestoreRoute);
        Assert.AreEqual(delete + 1, restore, "mapt's default goes, then the operator's comes back");
    }

    [TestMethod]
    public void Parse_CutShort_KeepsEveryWholeEntryAndSaysSo()
    {
        string text = Sample().Format();
        string cut = text.Substring(0, text.IndexOf("sysctl-restore", System.StringComparison.Ordinal));
        Journal j = Journal.Parse(cut, out string? error);
        Assert.AreEqual(3, j.Entries.Count);
        StringAssert.Contains(error, "cut short");
    }

    [TestMethod]
    [DataRow("not a journal\n", "line 1: not a mapt journal")]
    [DataRow("mapt-journal 2\nroute-9 x\nend\n", "line 2: unknown entry 'route-9'")]
    [DataRow("mapt-journal 2\nsysctl-restore kernel.core_pattern |/tmp/x\nend\n", "line 2: expected 'sysctl-restore KEY VALUE")]
    [DataRow("mapt-journal 2\nsysctl-restore net.ipv4.ip_forward 1;reboot\nend\n", "line 2: expected 'sysctl-restore KEY VALUE")]
    [DataRow("mapt-journal 2\nfilter-remove ipv4 filter:INPUT\nend\n", "line 2: 'filter:INPUT' is not TABLE:MAPT_CHAIN")]
    [DataRow("mapt-journal 2\nfilter-remove ipv4 broute:MAPT_X\nend\n", "line 2: 'broute:MAPT_X' is not TABLE:MAPT_CHAIN")]
    [DataRow("mapt-journal 2\nnat46-delete ../x\nend\n", "line 2: expected 'nat46-delete DEV'")]
    [DataRow("mapt-journal 2\nroute-delete 0.0.0.0/33 dev x\nend\n", "line 2: bad destination '0.0.0.0/33'")]
    [DataRow("mapt-journal 2\nroute-delete default via fe80::1 dev x\nend\n", "line 2: bad route field 'via fe80::1'")]
    [DataRow("mapt-journal 2\nroute-delete default\nend\n", "line 2: a unicast route without device or next hop")]
    public void Parse_NotWhatMaptWrites_RefusedNamingTheLine(string text, string message)
    {
        Journal j = Journal.Parse(text, out string? error);
        Assert.IsNotNull(error);
        StringAssert.StartsWith(error, message);
        Assert.AreEqual(0, j.Entries.Count, "nothing after the damage is acted on");
    }

    [TestMethod]
    public void Parse_NewerFormat_NoEntriesAndItsVersion()
    {
        Journal j = Journal.Parse("mapt-journal 3\nsomething new\nend\n", out string? error);
        Assert.AreEqual(3, j.FormatVersion);
        Assert.AreEqual(0, j.Entries.Count);
        StringAssert.Contains(error, "newer mapt (format 3");
    }

    [TestMethod]
    public void Parse_Version1_ReadAsTypedStepsChainsByName()
    {
        // What mapt 0.1 wrote on flash.
        string v1 = "mapt-journal 1\npid 77\nwan wan0\nmap-dev map-mapt\ntranslator nat46\nmap 2001:db8:12:3400::/56 x\n"
            + "Nat46Device map-mapt\nIptables\n *nat\n -D POSTROUTING -o map-mapt -j MAPT_POSTROUTING\n -F MAPT_POSTROUTING\n -X MAPT_POSTROUTING\n COMMIT\n *filter\n -X MAPT_FORWARD\n COMMIT\n"
            + "Sysctl net.ipv4.ip_forward 0\nRouteRestore 0.0.0.0/0 lan0 198.51.100.131 0 1\nRoute4 0.0.0.0/0 map-mapt\n"
            + "Route6 2001:db8:ffff::/64 wan0 fe80::1\nConntrack 192.0.2.18 psid=52/8\nend\n";
        Journal j = Journal.Parse(v1, out string? error);
        Assert.IsNull(error, error);
        Assert.AreEqual(1, j.FormatVersion);
        CollectionAssert.AreEqual(new[]
        {
            "nat46-delete map-mapt",
            "filter-remove ipv4 nat:MAPT_POSTROUTING filter:MAPT_FORWARD",
            "sysctl-restore net.ipv4.ip_forward 0",
            "route-restore default via 198.51.100.131 dev lan0",
            "route-delete default dev map-mapt",
            "route-delete 2001:db8:ffff::/64 via fe80::1 dev wan0",
            "conntrack-flush 192.0.2.18",
        }, Samples.Each(j.Entries, e => e.Format()));
    }

    [TestMethod]
    public void OnlyIn_ListsWhatTheNewPlanDropped()
    {
        Journal old = Sample();
        Plan other = Samples.PlanOf(Samples.Shared() with { Ipv4Address = Samples.Address4("192.0.2.19"), MapIpv6Address = Samples.Address6("2001:db8:13:3400:0:c000:213:34") },
            new PlanSettings(WanInterface: "wan0", WanGateway: Gateway));
        Journal replacement = old.With(other.Undo(Seen()), "other");
        List<string> gone = Samples.Each(Journal.OnlyIn(old, replacement), e => e.Format());
        CollectionAssert.AreEqual(new[] { "route-delete 2001:db8:12:3400:0:c000:212:34/128 dev map-mapt", "conntrack-flush 192.0.2.18" }, gone, string.Join("\n", gone));
    }

    [TestMethod]
    public void UndoStep_EachKind_FormatParseRoundTrip()
    {
        foreach (string line in new[]
        {
            "nat46-delete map-mapt", "tun-delete mapt0", "filter-remove ipv6 filter:MAPT_FORWARD", "sysctl-restore net.ipv4.ip_forward 0",
            "route-delete default6 via fe80::1 dev wan0", "route-restore default type 7", "route-restore 198.51.100.0/24 via 192.0.2.1 dev lan0 metric 5 mtu 1400",
            "conntrack-flush 203.0.113.9",
        })
        {
            UndoStep? step = UndoStep.Parse(line, out string error);
            Assert.IsNotNull(step, line + ": " + error);
            Assert.AreEqual(line, step.Format());
        }
    }
}
