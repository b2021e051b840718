using System.Collections.Generic;
using Mapt.Provisioning;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Provisioning;

[TestClass]
public sealed class IptablesRulesTests
{
    [TestMethod]
    public void Snat_FlatRoundRobin_EveryRangeOncePerProtocol_LastUnconditional()
    {
        List<string> rules = IptablesRules.Snat(Samples.Shared(), SnatStrategy.FlatRoundRobin, new List<IptablesChain>());
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

    /// <summary>
    /// The kernel's nth match (xt_statistic): each rule has its own counter, counting the packets
    /// that reach it, and matches when the counter comes round to 0 (every E-th packet).
    /// </summary>
    private sealed class NthWalk
    {
        private readonly Dictionary<string, List<string>> _chains = new();
        private readonly Dictionary<(string, int), int> _counters = new();

        public NthWalk(List<string> main, List<IptablesChain> tree)
        {
            _chains[IptablesRules.NatChain] = main;
            foreach (IptablesChain c in tree)
                _chains[c.Name] = new List<string>(c.Rules);
        }

        /// <summary>One new connection of <paramref name="protocol"/>: the SNAT range it gets and the rules it walked.</summary>
        public (string Range, int Walked) Connect(string protocol)
        {
            string chain = IptablesRules.NatChain;
            int walked = 0;
            while (true)
            {
                List<string> rules = _chains[chain];
                string? next = null;
                for (int i = 0; i < rules.Count && next is null; i++)
                {
                    string r = rules[i];
                    walked++;
                    if (r.StartsWith("-p ") && !r.StartsWith("-p " + protocol + " "))
                        continue;
                    int every = r.IndexOf("--every ", System.StringComparison.Ordinal);
                    if (every >= 0)
                    {
                        int e = int.Parse(r.Substring(every + 8).Split(' ')[0]);
                        int count = _counters.TryGetValue((chain, i), out int c) ? c : 0;
                        count = count == e - 1 ? 0 : count + 1;
                        _counters[(chain, i)] = count;
                        if (count != 0)
                            continue;
                    }
                    next = r.Substring(r.IndexOf("-j ", System.StringComparison.Ordinal) + 3);
                }
                if (next is null)
                    throw new AssertFailedException("no rule of " + chain + " took the connection");
                if (next.StartsWith("SNAT --to-source "))
                    return (next.Substring(next.LastIndexOf(':') + 1), walked);
                chain = next;
            }
        }
    }

    [TestMethod]
    [DataRow(63)]
    [DataRow(62)]
    [DataRow(7)]
    [DataRow(2)]
    [DataRow(1023)]
    public void Snat_RoundRobinTree_EveryRangeTheSameShare_LogWalk(int ranges)
    {
        var spans = new List<PortSpan>();
        for (int i = 0; i < ranges; i++)
            spans.Add(new PortSpan(1024 + 16 * i, 1024 + 16 * i + 15));
        var tree = new List<IptablesChain>();
        List<string> main = IptablesRules.Snat(Samples.Shared() with { PortSet = spans }, SnatStrategy.RoundRobin, tree);
        var walk = new NthWalk(main, tree);
        foreach (string protocol in IptablesRules.PortProtocols)
        {
            var share = new Dictionary<string, int>();
            int worst = 0;
            for (int n = 0; n < 5 * ranges; n++)
            {
                (string range, int walked) = walk.Connect(protocol);
                share[range] = share.TryGetValue(range, out int k) ? k + 1 : 1;
                worst = System.Math.Max(worst, walked);
            }
            Assert.AreEqual(ranges, share.Count, protocol + ": every range takes connections");
            foreach (KeyValuePair<string, int> kv in share)
                Assert.AreEqual(5, kv.Value, protocol + " range " + kv.Key + ": the same share as the others");
            Assert.IsTrue(worst <= IptablesRules.WorstWalk(ranges, SnatStrategy.RoundRobin), protocol + ": walked " + worst);
        }
        int flat = IptablesRules.WorstWalk(ranges, SnatStrategy.FlatRoundRobin);
        if (ranges >= 63)
            Assert.IsTrue(IptablesRules.WorstWalk(ranges, SnatStrategy.RoundRobin) * 3 < flat, "the tree walks a fraction of the flat list");
        int rules = 0;
        foreach (IptablesChain c in tree)
            rules += c.Rules.Count;
        Assert.AreEqual(3 * (IptablesRules.RuleCount(ranges, SnatStrategy.RoundRobin) - 1), rules);
    }

    [TestMethod]
    public void Snat_OneBlock_OneRulePerProtocol()
    {
        var tree = new List<IptablesChain>();
        List<string> rules = IptablesRules.Snat(Samples.Shared() with { PortSet = new[] { new PortSpan(1, 65535) } }, SnatStrategy.RoundRobin, tree);
        CollectionAssert.AreEqual(new[]
        {
            "-p tcp -j SNAT --to-source 192.0.2.18:1-65535", "-p udp -j SNAT --to-source 192.0.2.18:1-65535",
            "-p icmp -j SNAT --to-source 192.0.2.18:1-65535", "-j SNAT --to-source 192.0.2.18",
        }, rules);
        Assert.AreEqual(0, tree.Count);
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
        List<string> rules = IptablesRules.Snat(Samples.Shared(), SnatStrategy.Random, new List<IptablesChain>());
        StringAssert.Contains(rules[0], "--mode random --probability 0.0158730159 ");
        StringAssert.Contains(rules[61], "--probability 0.5000000000 ");
    }

    [TestMethod]
    public void Snat_OneToOne_PlainSnat()
    {
        CollectionAssert.AreEqual(new[] { "-j SNAT --to-source 192.0.2.18" }, IptablesRules.Snat(Samples.OneToOne(), SnatStrategy.RoundRobin, new List<IptablesChain>()));
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
            "-s 2001:db8:12:3400:0:c000:212:34/128 -i nat46x -o eth1 -j ACCEPT",
            "-d 2001:db8:12:3400:0:c000:212:34/128 -i eth1 -o nat46x -j ACCEPT",
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
