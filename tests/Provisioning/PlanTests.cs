using System.Collections.Generic;
using Mapt.Provisioning;
using Mapt.Text;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Provisioning;

[TestClass]
public sealed class PlanTests
{
    private static List<PlanStepKind> Kinds(IReadOnlyList<PlanStep> steps) => Samples.Each(steps, s => s.Kind);

    [TestMethod]
    public void Setup_TranslatorThenFilterThenRoutes_TeardownReversed()
    {
        Plan plan = Samples.PlanOf(Samples.Shared(Samples.Fmr1));
        CollectionAssert.AreEqual(new[]
        {
            PlanStepKind.Nat46, PlanStepKind.Nat46, PlanStepKind.Nat46, PlanStepKind.Link, PlanStepKind.Iptables,
            PlanStepKind.Ip6tables, PlanStepKind.Sysctl, PlanStepKind.Sysctl, PlanStepKind.Route, PlanStepKind.Route,
        }, Kinds(plan.Setup));
        CollectionAssert.AreEqual(new[]
        {
            PlanStepKind.Route, PlanStepKind.Route, PlanStepKind.Sysctl, PlanStepKind.Sysctl, PlanStepKind.Ip6tables,
            PlanStepKind.Iptables, PlanStepKind.Link, PlanStepKind.Nat46,
        }, Kinds(plan.Teardown));
        PlanStep link = plan.Setup[3];
        Assert.AreEqual((1480, true, "map-mapt"), (link.Mtu, link.Up, link.Device));
    }

    [TestMethod]
    public void ToText_ShowsSummaryJumpPositionsAndExactTexts()
    {
        Plan plan = Samples.PlanOf(Samples.Shared());
        string text = plan.ToText();
        StringAssert.StartsWith(text, "# mapt plan: IPv4 192.0.2.18 shared, 63 port ranges (252 ports) 1232-1235 .. 64720-64723; MAP IPv6 2001:db8:12:3400:0:c000:212:34");
        StringAssert.Contains(text, "(jumps: mangle FORWARD -o map-mapt appended; mangle FORWARD -i map-mapt appended; mangle OUTPUT -o map-mapt appended; nat POSTROUTING -o map-mapt inserted at 1;");
        StringAssert.Contains(text, plan.IptablesSetup);
        StringAssert.Contains(text, plan.Ip6tablesTeardown);
        StringAssert.Contains(text, "== teardown");
    }

    [TestMethod]
    public void WriteJson_StepsAndJumps()
    {
        Plan plan = Samples.PlanOf(Samples.OneToOne());
        var json = new JsonWriter();
        plan.WriteJson(json);
        string text = json.ToString();
        StringAssert.StartsWith(text, "{\"ipv4Address\":\"192.0.2.18\",\"shared\":false,\"portRanges\":[],");
        StringAssert.Contains(text, "{\"family\":\"ipv4\",\"table\":\"nat\",\"chain\":\"POSTROUTING\",\"position\":1,\"rule\":\"-o map-mapt -j MAPT_POSTROUTING\"}");
        StringAssert.Contains(text, "\"kind\":\"link\",\"text\":\"ip link set dev map-mapt mtu 1480 up\",\"device\":\"map-mapt\",\"mtu\":1480");
        using var doc = System.Text.Json.JsonDocument.Parse(text);
        Assert.AreEqual(9, doc.RootElement.GetProperty("setup").GetArrayLength());
    }
}
