using System;
using System.Collections.Generic;
using Mapt.Map;
using Mapt.Net;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Map;

/// <summary>Properties over randomly drawn valid rules (fixed seeds: a failure names its seed and rule).</summary>
[TestClass]
public sealed class MapPropertyTests
{
    private static MapRule DrawRule(Random random)
    {
        while (true)
        {
            int n = random.Next(16, 61);
            int o = random.Next(0, Math.Min(48, 64 - n) + 1);
            int r = o == 0 ? 32 : random.Next(0, 33);
            int a = random.Next(0, 17);
            PortParameters? pp = null;
            if (random.Next(3) > 0 && PortParameters.TryCreate(a, 0, 0, out PortParameters p, out _))
                pp = p;
            var v6 = new Ipv6Address(0x20010db800000000UL | (ulong)random.NextInt64() >> 32, 0);
            var v4 = new Ipv4Address((uint)random.NextInt64(0, 1L << 32));
            if (MapRule.TryCreate(Ipv6Prefix.Masked(v6, n), Ipv4Prefix.Masked(v4, r), o, pp, false, out MapRule? rule, out _))
                return rule!;
        }
    }

    private static ulong RandomBits(Random random, int count) => count == 0 ? 0 : (ulong)random.NextInt64() & ((1UL << count) - 1);

    public static IEnumerable<object[]> Seeds()
    {
        for (int seed = 1; seed <= 40; seed++)
            yield return new object[] { seed };
    }

    [TestMethod]
    [DynamicData(nameof(Seeds))]
    public void ForwardAndReverse_AreInverse(int seed)
    {
        var random = new Random(seed);
        MapRule rule = DrawRule(random);
        for (int i = 0; i < 200; i++)
        {
            ulong ea = RandomBits(random, rule.EaBitsLength);
            // A delegated prefix of n + o bits or longer (the extra bits are the CE's own subnets).
            int length = random.Next(rule.EndUserPrefixMinLength, 65);
            Ipv6Address address = rule.EndUserPrefix(ea).Address.WithBits(rule.EndUserPrefixMinLength, length - rule.EndUserPrefixMinLength,
                RandomBits(random, length - rule.EndUserPrefixMinLength));
            Ipv6Prefix endUser = Ipv6Prefix.Masked(address, length);
            string where = $"seed {seed} rule {rule} prefix {endUser}";
            Assert.IsTrue(MapResult.TryCompute(rule, endUser, out var result, out MapError error), where + ": " + error);
            Assert.AreEqual(ea, result.EaBits, where);
            if (result.PortCount == 0)
                continue;
            ushort port = AnyPortOf(result.PortSet, random);
            Assert.IsTrue(result.IsPortInSet(port), where);
            Ipv4Address ipv4 = rule.DelegatesIpv4Prefix
                ? new Ipv4Address(result.Ipv4Address.Value | (uint)RandomBits(random, 32 - result.Ipv4PrefixLength))
                : result.Ipv4Address;
            Assert.IsTrue(ReverseLookup.TryLookup(rule, ipv4, port, out var owner, out error), $"{where} {ipv4}:{port}: {error}");
            Assert.AreEqual(ea, owner.EaBits, $"{where} {ipv4}:{port}");
            Assert.IsTrue(owner.EndUserPrefix.Contains(endUser), where);
            Assert.AreEqual(result.MapIpv6Address, owner.MapIpv6Address, where);
            Assert.AreEqual(result.Psid, owner.Psid, where);
            // And the translator's direction: the MAP address back to IPv4 + PSID.
            Assert.IsTrue(rule.TryMapIpv6ToIpv4(result.MapIpv6Address, out Ipv4Address back, out ushort psid, out error), where + ": " + error);
            Assert.AreEqual(result.Ipv4Address, back, where);
            Assert.AreEqual(result.Psid, psid, where);
        }
    }

    private static ushort AnyPortOf(PortSet set, Random random)
    {
        if (!set.IsRestricted)
            return (ushort)random.Next(1, 65536);
        PortRange range = set.GetRange(random.Next(set.RangeCount));
        return (ushort)random.Next(range.First, range.Last + 1);
    }

    public static IEnumerable<object[]> OffsetsAndLengths()
    {
        var random = new Random(7);
        for (int i = 0; i < 40; i++)
        {
            int k = random.Next(1, 11);
            int a = random.Next(0, 17 - k);
            yield return new object[] { a, k };
        }
        yield return new object[] { 0, 10 };
        yield return new object[] { 6, 10 };
        yield return new object[] { 15, 1 };
        yield return new object[] { 0, 1 };
    }

    [TestMethod]
    [DynamicData(nameof(OffsetsAndLengths))]
    public void PortSets_OfAllPsids_AreDisjointAndCoverTheUsablePorts(int a, int k)
    {
        var owner = new int[65536];
        Array.Fill(owner, -1);
        for (int psid = 0; psid < 1 << k; psid++)
        {
            var set = new PortSet(a, k, (ushort)psid);
            int counted = 0;
            foreach (PortRange range in set)
            {
                for (int port = range.First; port <= range.Last; port++)
                {
                    Assert.AreEqual(-1, owner[port], $"a={a} k={k}: port {port} owned by PSIDs {owner[port]} and {psid}");
                    owner[port] = psid;
                    Assert.IsTrue(set.Contains((ushort)port));
                }
                counted += range.Count;
            }
            Assert.AreEqual(set.PortCount, counted, $"a={a} k={k} psid={psid}");
        }
        int lowest = a > 0 ? 1 << (16 - a) : 1;
        for (int port = 0; port < 65536; port++)
            Assert.AreEqual(port >= lowest, owner[port] >= 0, $"a={a} k={k}: port {port}");
    }

    [TestMethod]
    [DynamicData(nameof(Seeds))]
    public void DomainCheck_RandomSmallRules_AreSound(int seed)
    {
        var random = new Random(seed * 31);
        MapRule rule;
        do
            rule = DrawRule(random);
        while (rule.EaBitsLength > 12);
        DomainCheckReport report = DomainCheck.Run(rule);
        Assert.IsTrue(report.Ok, $"seed {seed} rule {rule}: {report.Violation}");
        Assert.AreEqual(report.CeCount, report.CheckedCes);
        Assert.AreEqual(1UL << rule.EaBitsLength, report.CeCount);
    }
}
