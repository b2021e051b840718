using Mapt.Map;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static Mapt.Tests.Map.MapValues;

namespace Mapt.Tests.Map;

[TestClass]
public sealed class ReverseLookupTests
{
    [TestMethod]
    [DataRow("192.0.2.18", 1232)]
    [DataRow("192.0.2.18", 64723)]
    [DataRow("192.0.2.18", 9425)]
    public void TryLookup_Rfc7599Example1Ports_FindTheExample1Ce(string ipv4, int port)
    {
        MapRule rule = Rule("2001:db8::/40", "192.0.2.0/24", 16);
        Assert.IsTrue(ReverseLookup.TryLookup(rule, A4(ipv4), (ushort)port, out var found, out MapError error), error.ToString());
        Assert.AreEqual("2001:db8:12:3400::/56", found.EndUserPrefix.ToString());
        Assert.AreEqual("2001:db8:12:3400:0:c000:212:34", found.MapIpv6Address.ToString());
        Assert.AreEqual(0x34, found.Psid);
        Assert.AreEqual(0x1234UL, found.EaBits);
    }

    [TestMethod]
    public void TryLookup_NeighbourPort_IsAnotherCe()
    {
        MapRule rule = Rule("2001:db8::/40", "192.0.2.0/24", 16);
        Assert.IsTrue(ReverseLookup.TryLookup(rule, A4("192.0.2.18"), 1236, out var found, out _));
        Assert.AreEqual("2001:db8:12:3500::/56", found.EndUserPrefix.ToString());
        Assert.AreEqual(0x35, found.Psid);
    }

    [TestMethod]
    [DataRow("192.0.2.18", 80, MapError.PortNotInAnySet)]
    [DataRow("192.0.2.18", 0, MapError.PortNotInAnySet)]
    [DataRow("192.0.3.18", 1232, MapError.Ipv4OutsideRule)]
    public void TryLookup_NoOwner_GivesSpecificError(string ipv4, int port, MapError expected)
    {
        MapRule rule = Rule("2001:db8::/40", "192.0.2.0/24", 16);
        Assert.IsFalse(ReverseLookup.TryLookup(rule, A4(ipv4), (ushort)port, out _, out MapError error));
        Assert.AreEqual(expected, error);
    }

    [TestMethod]
    public void TryLookup_SeveralRules_LongestIpv4MatchOwns()
    {
        var rules = new[]
        {
            Rule("2001:db8::/40", "192.0.2.0/24", 16),
            Rule("2001:db8:100::/48", "192.0.2.128/25", 15),
        };
        Assert.IsTrue(ReverseLookup.TryLookup(rules, A4("192.0.2.200"), 1232, out var found, out _));
        Assert.AreSame(rules[1], found.Rule);
        Assert.IsTrue(ReverseLookup.TryLookup(rules, A4("192.0.2.18"), 1232, out found, out _));
        Assert.AreSame(rules[0], found.Rule);
        Assert.IsFalse(ReverseLookup.TryLookup(rules, A4("198.51.100.1"), 1232, out _, out MapError error));
        Assert.AreEqual(MapError.Ipv4OutsideRule, error);
    }

    [TestMethod]
    public void TryLookup_DelegatedPrefix_AnyAddressOfThePrefix()
    {
        MapRule rule = Rule("2001:db8::/40", "192.0.2.0/24", 4);
        Assert.IsTrue(ReverseLookup.TryLookup(rule, A4("192.0.2.170"), 80, out var found, out _));
        Assert.AreEqual("2001:db8:a0::/44", found.EndUserPrefix.ToString());
        Assert.AreEqual("2001:db8:a0::c000:2a0:0", found.MapIpv6Address.ToString());
    }
}
