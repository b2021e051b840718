using System.Linq;
using Mapt.Map;
using Mapt.Provisioning;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Provisioning;

/// <summary>snat = remap (issue 15): one SNAT rule per protocol into the virtual range, only with mapt's translator.</summary>
[TestClass]
public sealed class RemapPlanTests
{
    [TestMethod]
    public void Remap_OneRulePerProtocolIntoTheVirtualRange_NoTree()
    {
        Plan plan = Samples.PlanOf(Samples.Shared(), new PlanSettings(Translator: TranslatorKind.Tun, Snat: SnatMode.Remap));
        Assert.IsNotNull(plan.Remap);
        IptablesChain nat = plan.Ipv4.Chains.Single(c => c.Name == IptablesRules.NatChain);
        CollectionAssert.AreEqual(new[]
        {
            "-p tcp -j SNAT --to-source 192.0.2.18:772-1023",
            "-p udp -j SNAT --to-source 192.0.2.18:772-1023",
            "-p icmp -j SNAT --to-source 192.0.2.18:772-1023",
            "-j SNAT --to-source 192.0.2.18",
        }, nat.Rules.ToArray());
        Assert.IsFalse(plan.Ipv4.Chains.Any(c => c.Name.StartsWith("MAPT_SNAT_")), "no per-range tree");
        StringAssert.Contains(plan.Summary(), "SNAT remap: tcp 772-1023");
        // The translator's mapping is the plan's: the rule's range is exactly what it maps.
        Assert.AreEqual(1232, plan.Remap!.Tcp.ToReal(772));
    }

    [TestMethod]
    public void RemapKeep_KeptPortsLeaveTheRange()
    {
        var keep = RemapKeep.TryParse("tcp:1232,udp:2256,udp:2257", out _);
        Plan plan = Samples.PlanOf(Samples.Shared(), new PlanSettings(Translator: TranslatorKind.Tun, Snat: SnatMode.Remap, RemapKeep: keep));
        IptablesChain nat = plan.Ipv4.Chains.Single(c => c.Name == IptablesRules.NatChain);
        CollectionAssert.AreEqual(new[]
        {
            "-p tcp -j SNAT --to-source 192.0.2.18:773-1023",
            "-p udp -j SNAT --to-source 192.0.2.18:774-1023",
            "-p icmp -j SNAT --to-source 192.0.2.18:772-1023",
            "-j SNAT --to-source 192.0.2.18",
        }, nat.Rules.ToArray());
    }

    [TestMethod]
    [DataRow(TranslatorKind.Nat46)]
    [DataRow(TranslatorKind.None)]
    public void Remap_WithoutMaptsTranslator_Refused(TranslatorKind kind)
    {
        Assert.IsFalse(Plan.TryCreate(Samples.Shared(), new PlanSettings(Translator: kind, Snat: SnatMode.Remap), out _, out string error));
        StringAssert.Contains(error, "--translator tun");
    }

    [TestMethod]
    public void Ranges_IsTheDefault_AndTheModeChangesTheRules()
    {
        Plan ranges = Samples.PlanOf(Samples.Shared(), new PlanSettings(Translator: TranslatorKind.Tun));
        Plan remap = Samples.PlanOf(Samples.Shared(), new PlanSettings(Translator: TranslatorKind.Tun, Snat: SnatMode.Remap));
        Assert.IsNull(ranges.Remap);
        Assert.IsTrue(ranges.Ipv4.Chains.Any(c => c.Name == "MAPT_SNAT_TCP_0"));
        // Adoption compares the installed chains with the plan rule for rule: a changed mode is a difference.
        Assert.AreNotEqual(ranges.IptablesSetup, remap.IptablesSetup);
    }

    [TestMethod]
    public void OneToOne_NeedsNoRemap()
    {
        Plan plan = Samples.PlanOf(Samples.OneToOne(), new PlanSettings(Translator: TranslatorKind.Tun, Snat: SnatMode.Remap));
        Assert.IsNull(plan.Remap);
    }
}
