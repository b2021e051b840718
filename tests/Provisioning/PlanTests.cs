using System.Collections.Generic;
using Mapt.Net;
using Mapt.Provisioning;
using Mapt.Text;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Provisioning;

[TestClass]
public sealed class PlanTests
{
    private static readonly Ipv6Address Gateway = Samples.Address6("fe80::1");

    private static List<string> Kinds(IReadOnlyList<PlanStep> steps) => Samples.Each(steps, s => s.Kind);

    private static List<string> Lines(IReadOnlyList<UndoStep> steps) => Samples.Each(steps, s => s.Format());

    [TestMethod]
    public void Setup_TranslatorThenFilterThenRoutes_DmrRouteLastWhenTheGatewayIsKnown()
    {
        Plan plan = Samples.PlanOf(Samples.Shared(Samples.Fmr1), new PlanSettings(WanInterface: "wan0", WanGateway: Gateway));
        CollectionAssert.AreEqual(new[] { "nat46", "link", "iptables", "ip6tables", "sysctl", "sysctl", "route", "route", "route" }, Kinds(plan.Setup));
        var link = (LinkStep)plan.Setup[1];
        Assert.AreEqual((1480, "map-mapt"), (link.Mtu, link.Device));
        var dmr = (RouteStep)plan.Setup[^1];
        Assert.AreEqual(RouteMode.AddIfAbsent, dmr.Mode);
        Assert.AreEqual("2001:db8:ffff::/64 via fe80::1 dev wan0", dmr.Route.Describe());
        Assert.AreEqual("default dev map-mapt mtu 1480", ((RouteStep)plan.Setup[6]).Route.Describe());
        Assert.AreEqual(3, ((Nat46DeviceStep)plan.Setup[0]).Writes.Count);
    }

    [TestMethod]
    [DataRow(TranslatorKind.Tun, "tun", "tun-delete map-mapt")]
    [DataRow(TranslatorKind.None, "link", null)]
    public void Setup_OtherTranslators_TheirDeviceStepAndItsUndo(TranslatorKind kind, string first, string? undo)
    {
        Plan plan = Samples.PlanOf(Samples.Shared(), new PlanSettings(Translator: kind));
        Assert.AreEqual(first, plan.Setup[0].Kind);
        Assert.IsFalse(plan.Setup.Count > 1 && plan.Setup[1] is LinkStep, "one device step");
        List<string> lines = Lines(plan.Undo(Observation.Unobserved));
        if (undo is null)
            Assert.IsFalse(lines.Exists(l => l.Contains("map-mapt") && !l.StartsWith("route")), "someone else's device is left alone: " + string.Join("; ", lines));
        else
            Assert.AreEqual(undo, lines[0]);
    }

    [TestMethod]
    public void Undo_FreshSystem_DeviceFilterSysctlsRoutesConntrack()
    {
        Plan plan = Samples.PlanOf(Samples.Shared(), new PlanSettings(WanInterface: "wan0", WanGateway: Gateway));
        var seen = new Observation();
        seen.SysctlsBefore["net.ipv4.ip_forward"] = "0";
        seen.SysctlsBefore["net.ipv6.conf.all.forwarding"] = "1";
        List<string> lines = Lines(plan.Undo(seen));
        StringAssert.StartsWith(lines[1], "filter-remove ipv4 mangle:MAPT_MSS nat:MAPT_POSTROUTING filter:MAPT_FORWARD filter:MAPT_INPUT nat:MAPT_SNAT_TCP_0 ");
        // 63 ranges: a tree of 31 chains per protocol (63 -> 31 -> 15 -> 7 -> 3 ranges).
        Assert.AreEqual(4 + 3 * 31, lines[1].Split(' ').Length - 2, lines[1]);
        lines.RemoveAt(1);
        CollectionAssert.AreEqual(new[]
        {
            "nat46-delete map-mapt",
            "filter-remove ipv6 filter:MAPT_FORWARD",
            "sysctl-restore net.ipv4.ip_forward 0",
            "route-delete default dev map-mapt mtu 1480",
            "route-delete 2001:db8:12:3400:0:c000:212:34/128 dev map-mapt",
            "route-delete 2001:db8:ffff::/64 via fe80::1 dev wan0",
            "conntrack-flush 192.0.2.18",
        }, lines, string.Join("\n", lines));
    }

    [TestMethod]
    public void Undo_RoutesFound_ReplacedRestoredIdenticalKeptForeignUsed()
    {
        Plan plan = Samples.PlanOf(Samples.Shared(), new PlanSettings(WanInterface: "wan0", WanGateway: Gateway));
        var uplink = new PlannedRoute(Ipv4Prefix.Masked(new Ipv4Address(0), 0), "lan0", Samples.Address4("198.51.100.131"));
        var seen = new Observation();
        seen.Routes[uplink.Destination] = new RouteFinding(RouteFindingKind.Replaced, uplink);
        seen.Routes[Ipv6Prefix.Masked(Samples.Address6("2001:db8:12:3400:0:c000:212:34"), 128)] = new RouteFinding(RouteFindingKind.Identical, null);
        var isp = new PlannedRoute(Samples.Dmr64, "wan0", Samples.Address6("fe80::99"));
        seen.Routes[Samples.Dmr64] = new RouteFinding(RouteFindingKind.Foreign, isp);
        List<string> lines = Lines(plan.Undo(seen)).FindAll(l => l.StartsWith("route"));
        // The journal runs backwards: mapt's route is deleted first, then the operator's put back.
        CollectionAssert.AreEqual(new[] { "route-restore default via 198.51.100.131 dev lan0", "route-delete default dev map-mapt mtu 1480" }, lines);
        Assert.IsTrue(Plan.Skips((RouteStep)plan.Setup[^1], seen.RouteAt(Samples.Dmr64)), "another owner's route to the DMR is used, not replaced");
        Assert.IsTrue(Plan.Skips((RouteStep)plan.Setup[^2], new RouteFinding(RouteFindingKind.Identical, null)));
        Assert.IsFalse(Plan.Skips((RouteStep)plan.Setup[^3], seen.RouteAt(uplink.Destination)), "a Replace step replaces");
    }

    [TestMethod]
    public void ToText_ShowsSummaryJumpPositionsExactTextsAndTheJournalsUndo()
    {
        Plan plan = Samples.PlanOf(Samples.Shared());
        string text = plan.ToText();
        StringAssert.StartsWith(text, "# mapt plan: IPv4 192.0.2.18 shared, 63 port ranges (252 ports) 1232-1235 .. 64720-64723; MAP IPv6 2001:db8:12:3400:0:c000:212:34");
        StringAssert.Contains(text, "(jumps: mangle FORWARD -o map-mapt appended; mangle FORWARD -i map-mapt appended; mangle OUTPUT -o map-mapt appended; nat POSTROUTING -o map-mapt inserted at 1;");
        StringAssert.Contains(text, plan.IptablesSetup);
        StringAssert.Contains(text, "give --wan-gateway to see it");
        StringAssert.Contains(text, "== teardown");
        // Teardown order: last journal entry first, conntrack last.
        int routeDelete = text.IndexOf("route-delete 2001:db8:12:3400:0:c000:212:34/128", System.StringComparison.Ordinal);
        int nat46 = text.IndexOf("1. ", text.IndexOf("== teardown", System.StringComparison.Ordinal), System.StringComparison.Ordinal);
        Assert.IsTrue(routeDelete > 0 && nat46 > 0 && text.IndexOf("conntrack-flush 192.0.2.18", System.StringComparison.Ordinal) > text.IndexOf("nat46-delete map-mapt", System.StringComparison.Ordinal));
        StringAssert.Contains(text, "sysctl-restore net.ipv4.ip_forward <value before setup>");
    }

    [TestMethod]
    public void WriteJson_StepsJumpsAndTeardown()
    {
        Plan plan = Samples.PlanOf(Samples.OneToOne(), new PlanSettings(WanGateway: Gateway));
        var json = new JsonWriter();
        plan.WriteJson(json);
        string text = json.ToString();
        StringAssert.StartsWith(text, "{\"ipv4Address\":\"192.0.2.18\",\"shared\":false,\"portRanges\":[],");
        StringAssert.Contains(text, "{\"family\":\"ipv4\",\"table\":\"nat\",\"chain\":\"POSTROUTING\",\"position\":1,\"rule\":\"-o map-mapt -j MAPT_POSTROUTING\"}");
        StringAssert.Contains(text, "\"kind\":\"link\",\"text\":\"ip link set dev map-mapt mtu 1480 up\",\"device\":\"map-mapt\",\"mtu\":1480");
        StringAssert.Contains(text, "\"destination\":\"2001:db8:ffff::/64\",\"device\":\"wan\",\"via\":\"fe80::1\",\"mode\":\"add-if-absent\"");
        using var doc = System.Text.Json.JsonDocument.Parse(text);
        Assert.AreEqual(9, doc.RootElement.GetProperty("setup").GetArrayLength());
        Assert.AreEqual("conntrack-flush 192.0.2.18", doc.RootElement.GetProperty("teardown")[doc.RootElement.GetProperty("teardown").GetArrayLength() - 1].GetString());
    }

    [TestMethod]
    public void TryCreate_PsidOffsetOf11_RefusedForItsRuleCount()
    {
        // a = 11: 2047 ranges of 2^(16-11-k) ports.
        var spans = new List<PortSpan>();
        for (int a = 1; a < 2048; a++)
            spans.Add(new PortSpan(a << 5, (a << 5) + 1));
        PlanInput input = Samples.Shared() with { PortSet = spans, Bmr = Samples.Bmr with { PsidOffset = 11, PsidLength = 4 } };
        Assert.IsFalse(Plan.TryCreate(input, new PlanSettings(), out _, out string error));
        StringAssert.Contains(error, "2047 ranges (PSID offset 11)");
        StringAssert.Contains(error, "at most 1023");
    }
}
