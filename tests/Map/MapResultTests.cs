using System.Collections.Generic;
using Mapt.Map;
using Mapt.Net;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static Mapt.Tests.Map.MapValues;

namespace Mapt.Tests.Map;

[TestClass]
public sealed class MapResultTests
{
    // RFC 7599 Appendix A, Example 1 (and Example 5, the same CE through o = 0 and an explicit PSID).
    [TestMethod]
    [DataRow("2001:db8::/40", "192.0.2.0/24", 16, 6, 0, 0)]
    [DataRow("2001:db8:12:3400::/56", "192.0.2.18/32", 0, 6, 8, 0x34)]
    public void TryCompute_Rfc7599Example1And5_GiveTheSameCe(string ipv6, string ipv4, int eaLen, int offset, int psidLen, int psid)
    {
        MapResult r = Compute(Rule(ipv6, ipv4, eaLen, offset, psidLen, psid), "2001:db8:12:3400::/56");
        Assert.AreEqual("192.0.2.18", r.Ipv4Address.ToString());
        Assert.AreEqual(32, r.Ipv4PrefixLength);
        Assert.AreEqual(8, r.PsidLength);
        Assert.AreEqual(0x34, r.Psid);
        Assert.AreEqual(0x3400, r.PsidWire);
        Assert.AreEqual("2001:db8:12:3400:0:c000:212:34", r.MapIpv6Address.ToString());
        Assert.AreEqual(256, r.SharingRatio);
        Assert.AreEqual(63 * 4, r.PortCount);
        Assert.AreEqual(63, r.PortSet.RangeCount);
        Assert.AreEqual(new PortRange(1232, 1235), r.PortSet.GetRange(0));
        Assert.AreEqual(new PortRange(2256, 2259), r.PortSet.GetRange(1));
        Assert.AreEqual(new PortRange(64720, 64723), r.PortSet.GetRange(62));
        Assert.IsTrue(r.IsPortInSet(1232));
        Assert.IsTrue(r.IsPortInSet(64723));
        Assert.IsFalse(r.IsPortInSet(1236));
        Assert.IsFalse(r.IsPortInSet(208)); // 0x34 << 2 with A = 0: a system port
    }

    [TestMethod]
    public void TryCompute_Example1_EaBitsAre0x1234()
    {
        MapResult r = Compute(Rule("2001:db8::/40", "192.0.2.0/24", 16), "2001:db8:12:3400::/56");
        Assert.AreEqual(0x1234UL, r.EaBits);
    }

    [TestMethod]
    public void TryCompute_OneToOne_NoPortRestriction()
    {
        // RFC 7599 Example 4 (the rule and CE address agree on 192.0.2.1).
        MapResult r = Compute(Rule("2001:db8:12:3400::/56", "192.0.2.1/32", 0), "2001:db8:12:3400::/56");
        Assert.AreEqual("192.0.2.1", r.Ipv4Address.ToString());
        Assert.AreEqual("2001:db8:12:3400:0:c000:201:0", r.MapIpv6Address.ToString());
        Assert.AreEqual(0, r.PsidLength);
        Assert.AreEqual(1, r.SharingRatio);
        Assert.AreEqual(65535, r.PortCount);
        Assert.AreEqual(0, r.PortSet.RangeCount);
        Assert.IsTrue(r.IsPortInSet(80));
        Assert.IsFalse(r.IsPortInSet(0));
    }

    [TestMethod]
    public void TryCompute_OPlusREquals32_FullAddressFromEaBits()
    {
        MapResult r = Compute(Rule("2001:db8::/48", "192.0.2.0/24", 8), "2001:db8:0:5900::/56");
        Assert.AreEqual("192.0.2.89", r.Ipv4Address.ToString());
        Assert.AreEqual(32, r.Ipv4PrefixLength);
        Assert.AreEqual(0, r.PsidLength);
        Assert.AreEqual("2001:db8:0:5900:0:c000:259:0", r.MapIpv6Address.ToString());
    }

    [TestMethod]
    public void TryCompute_OPlusRBelow32_DelegatesAnIpv4Prefix()
    {
        // r = 24, o = 4: each CE gets a /28; the interface ID carries the prefix padded with zeros.
        MapResult r = Compute(Rule("2001:db8::/40", "192.0.2.0/24", 4), "2001:db8:a0::/44");
        Assert.AreEqual(28, r.Ipv4PrefixLength);
        Assert.AreEqual("192.0.2.160/28", r.Ipv4Prefix.ToString());
        Assert.AreEqual("2001:db8:a0::c000:2a0:0", r.MapIpv6Address.ToString());
        Assert.AreEqual(1, r.SharingRatio);
    }

    [TestMethod]
    public void TryCompute_LongerEndUserPrefix_SubnetIdIsZeroInTheMapAddress()
    {
        // A /60 delegated where n + o = 56: the extra 4 bits are the CE's subnets, not the MAP address's.
        MapResult r = Compute(Rule("2001:db8::/40", "192.0.2.0/24", 16), "2001:db8:12:3470::/60");
        Assert.AreEqual("2001:db8:12:3400:0:c000:212:34", r.MapIpv6Address.ToString());
    }

    [TestMethod]
    [DataRow("2001:db8:12::/48", MapError.EndUserPrefixTooShort)]
    [DataRow("2001:db9:12:3400::/56", MapError.EndUserPrefixOutsideRule)]
    [DataRow("2001:db9::/32", MapError.EndUserPrefixOutsideRule)]
    [DataRow("2001:db8::/32", MapError.EndUserPrefixTooShort)]
    public void TryCompute_BadEndUserPrefix_GivesSpecificError(string endUser, MapError expected)
    {
        Assert.IsFalse(MapResult.TryCompute(Rule("2001:db8::/40", "192.0.2.0/24", 16), P6(endUser), out _, out MapError error));
        Assert.AreEqual(expected, error);
    }

    [TestMethod]
    public void TrySelect_LongestMatchWins_FmrsKeptAsAList()
    {
        var rules = new List<MapRule>
        {
            Rule("2001:db8::/32", "198.51.100.0/24", 24, offset: 0, fmr: true),
            Rule("2001:db8::/40", "192.0.2.0/24", 16, fmr: true),
            Rule("2001:db8:100::/40", "203.0.113.0/24", 16),
            Rule("2001:db8:12::/48", "192.0.2.0/28", 12, fmr: true),
        };
        var set = new MapRuleSet(rules, null);
        Assert.IsTrue(set.TrySelectBasicMappingRule(P6("2001:db8:12:3400::/56"), out MapRule? bmr, out _));
        Assert.AreSame(rules[3], bmr);
        Assert.IsTrue(set.TrySelectBasicMappingRule(P6("2001:db8:0:3400::/56"), out bmr, out _));
        Assert.AreSame(rules[1], bmr);
        Assert.IsTrue(set.TrySelectBasicMappingRule(P6("2001:db8:100:3400::/56"), out bmr, out _));
        Assert.AreSame(rules[2], bmr);
        Assert.IsFalse(set.TrySelectBasicMappingRule(P6("2001:db9::/56"), out bmr, out MapError error));
        Assert.AreEqual(MapError.NoMatchingRule, error);
        Assert.IsNull(bmr);

        Assert.AreEqual(3, set.ForwardingMappingRules.Count);
        Assert.IsTrue(set.TryFindFmr(A4("192.0.2.5"), out MapRule? fmr));
        Assert.AreSame(rules[3], fmr, "the longest IPv4 match among FMRs");
        Assert.IsTrue(set.TryFindFmr(A4("192.0.2.18"), out fmr));
        Assert.AreSame(rules[1], fmr);
        Assert.IsFalse(set.TryFindFmr(A4("203.0.113.1"), out _), "a rule without F is not used for mesh");
    }

    [TestMethod]
    public void TryMapDestination_Rfc7599Example3_FmrElseDmr()
    {
        Assert.IsTrue(Dmr.TryCreate(P6("2001:db8:ffff::/64"), out Dmr dmr, out _));
        var set = new MapRuleSet(new[] { Rule("2001:db8::/40", "192.0.2.0/24", 16, fmr: true) }, dmr);
        // Example 3: the CE sends to 10.2.3.4 through the DMR.
        Assert.IsTrue(set.TryMapDestination(A4("10.2.3.4"), 80, out Ipv6Address dst, out _));
        Assert.AreEqual("2001:db8:ffff:0:a:203:400:0", dst.ToString());
        // Mesh: to another CE of the same FMR.
        Assert.IsTrue(set.TryMapDestination(A4("192.0.2.18"), 1232, out dst, out _));
        Assert.AreEqual("2001:db8:12:3400:0:c000:212:34", dst.ToString());
        Assert.IsFalse(set.TryMapDestination(A4("192.0.2.18"), 80, out _, out MapError error));
        Assert.AreEqual(MapError.PortNotInAnySet, error);
    }

    [TestMethod]
    public void TryMapSource_Rfc7599Example2_BrSourceAndMeshSource()
    {
        Assert.IsTrue(Dmr.TryCreate(P6("2001:db8:ffff::/64"), out Dmr dmr, out _));
        var set = new MapRuleSet(new[] { Rule("2001:db8::/40", "192.0.2.0/24", 16, fmr: true) }, dmr);
        // Example 2: the BR sends 10.2.3.4 as 2001:db8:ffff:0:a:203:400::.
        Assert.IsTrue(set.TryMapSource(A6("2001:db8:ffff:0:a:203:400:0"), out Ipv4Address v4, out ushort psid, out bool fromFmr, out _));
        Assert.AreEqual("10.2.3.4", v4.ToString());
        Assert.IsFalse(fromFmr);
        Assert.AreEqual(0, psid);
        // Mesh: another CE of the FMR.
        Assert.IsTrue(set.TryMapSource(A6("2001:db8:12:3400:0:c000:212:34"), out v4, out psid, out fromFmr, out _));
        Assert.AreEqual("192.0.2.18", v4.ToString());
        Assert.AreEqual(0x34, psid);
        Assert.IsTrue(fromFmr);
        Assert.IsFalse(set.TryMapSource(A6("2001:db9::1"), out _, out _, out _, out MapError error));
        Assert.AreEqual(MapError.Ipv6OutsideRule, error);
    }

    [TestMethod]
    public void TryMapIpv6ToIpv4_WrongInterfaceId_IsRefused()
    {
        MapRule rule = Rule("2001:db8::/40", "192.0.2.0/24", 16);
        Assert.IsTrue(rule.TryMapIpv6ToIpv4(A6("2001:db8:12:3400:0:c000:212:34"), out Ipv4Address v4, out ushort psid, out _));
        Assert.AreEqual("192.0.2.18", v4.ToString());
        Assert.AreEqual(0x34, psid);
        Assert.IsFalse(rule.TryMapIpv6ToIpv4(A6("2001:db8:12:3400:0:c000:213:34"), out _, out _, out MapError error));
        Assert.AreEqual(MapError.InterfaceIdMismatch, error);
        Assert.IsFalse(rule.TryMapIpv6ToIpv4(A6("2001:db9:12:3400:0:c000:212:34"), out _, out _, out error));
        Assert.AreEqual(MapError.Ipv6OutsideRule, error);
    }

    [TestMethod]
    public void TryGetEaBits_ExplicitPsid_OnlyItsPortsBelongToTheCe()
    {
        MapRule rule = Rule("2001:db8:12:3400::/56", "192.0.2.18/32", 0, 6, 8, 0x34);
        Assert.IsTrue(rule.TryMapIpv4ToIpv6(A4("192.0.2.18"), 1232, out Ipv6Address a, out _));
        Assert.AreEqual("2001:db8:12:3400:0:c000:212:34", a.ToString());
        Assert.IsFalse(rule.TryMapIpv4ToIpv6(A4("192.0.2.18"), 1236, out _, out MapError error));
        Assert.AreEqual(MapError.PortNotInExplicitPsid, error);
        Assert.IsFalse(rule.TryMapIpv4ToIpv6(A4("192.0.2.19"), 1232, out _, out error));
        Assert.AreEqual(MapError.Ipv4OutsideRule, error);
    }
}
