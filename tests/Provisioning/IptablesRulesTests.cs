using System.Collections.Generic;
using Mapt.Provisioning;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Provisioning;

[TestClass]
public sealed class IptablesRulesTests
{
    [TestMethod]
    public void Snat_SharedRoundRobin_EveryRangeOncePerProtocol_LastUnconditional()
    {
        List<string> rules = IptablesRules.Snat(Samples.Shared(), SnatStrategy.RoundRobin);
        Assert.AreEqual(3 * 63 + 1, rules.Count);
        foreach (string protocol in IptablesRules.PortProtocols)
        {
            var seen = new HashSet<string>();
            int at = System.Array.IndexOf(IptablesRules.PortProtocols, protocol) * 63;
            for (int i = 0; i < 63; i++)
            {
                string rule = rules[at + i];
                StringAssert.StartsWith(rule, "-p " + protocol + " ");
                seen.Add(rule.Substring(rule.LastIndexOf(':') + 1));
                if (i < 62)
                    StringAssert.Contains(rule, $"-m statistic --mode nth --every {63 - i} --packet 0 ");
                else
                    Assert.IsFalse(rule.Contains("statistic"), "the last rule of a protocol takes every remaining connection");
            }
            CollectionAssert.AreEquivalent(Expected(), new List<string>(seen));
        }
        Assert.AreEqual("-j SNAT --to-source 192.0.2.18", rules[^1]);
        Assert.AreEqual("-p tcp -m statistic --mode nth --every 63 --packet 0 -j SNAT --to-source 192.0.2.18:1232-1235", rules[0]);
    }

    private static List<string> Expected()
    {
        var list = new List<string>();
        foreach (PortSpan s in Samples.Ex1Ports())
            list.Add(s.ToString());
        return list;
    }

    [TestMethod]
    public void Snat_Random_ProbabilitiesMakeUniformSpread()
    {
        List<string> rules = IptablesRules.Snat(Samples.Shared(), SnatStrategy.Random);
        StringAssert.Contains(rules[0], "--mode random --probability 0.0158730159 ");
        StringAssert.Contains(rules[61], "--probability 0.5000000000 ");
    }

    [TestMethod]
    public void Snat_OneToOne_PlainSnat()
    {
        CollectionAssert.AreEqual(new[] { "-j SNAT --to-source 192.0.2.18" }, IptablesRules.Snat(Samples.OneToOne(), SnatStrategy.RoundRobin));
    }

    [DataRow(1500, null, 1440)]
    [DataRow(1492, null, 1432)]
    [DataRow(1500, 1400, 1400)]
    [TestMethod]
    public void Mss_WanMtuLess60UnlessConfigured(int mtu, int? clamp, int mss)
    {
        IptablesRuleset v4 = IptablesRules.Ipv4(Samples.Shared(), new PlanSettings(WanMtu: mtu, MssClamp: clamp));
        IptablesChain chain = v4.Chains[0];
        Assert.AreEqual(IptablesRules.MssChain, chain.Name);
        StringAssert.EndsWith(chain.Rules[0], "-j TCPMSS --set-mss " + mss);
    }

    [TestMethod]
    public void Jumps_ScopedToTheDevice_AtStatedPositions()
    {
        var settings = new PlanSettings(WanInterface: "eth1", MapDevice: "nat46x");
        IptablesRuleset v4 = IptablesRules.Ipv4(Samples.Shared(), settings);
        foreach (IptablesJump j in v4.Jumps)
        {
            Assert.IsTrue(j.RuleSpec.StartsWith("-o nat46x -j MAPT_") || j.RuleSpec.StartsWith("-i nat46x -j MAPT_"), j.RuleSpec);
            foreach (IptablesChain c in v4.Chains)
                Assert.IsTrue(c.Name.StartsWith("MAPT_"));
        }
        IptablesJump nat = v4.Jumps.Find(j => j.Table == "nat");
        Assert.AreEqual(("POSTROUTING", 1), (nat.Chain, nat.Position));
        IptablesRuleset v6 = IptablesRules.Ipv6(Samples.Shared(), settings);
        CollectionAssert.AreEqual(new[]
        {
            "-i nat46x -o eth1 -s 2001:db8:12:3400:0:c000:212:34/128 -j ACCEPT",
            "-i eth1 -o nat46x -d 2001:db8:12:3400:0:c000:212:34/128 -j ACCEPT",
        }, (System.Collections.ICollection)v6.Chains[0].Rules);
    }
}

internal static class ListExtensions
{
    public static T Find<T>(this IReadOnlyList<T> list, System.Predicate<T> match)
    {
        foreach (T item in list)
            if (match(item))
                return item;
        throw new AssertFailedException("not found");
    }
}
