using Mapt.Map;
using Mapt.Net;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static Mapt.Tests.Map.MapValues;

namespace Mapt.Tests.Map;

[TestClass]
public sealed class MapRuleTests
{
    [TestMethod]
    [DataRow("2001:db8::/40", "192.0.2.0/24", 49, 6, 0, 0, MapError.EaBitsLengthTooLong)]
    [DataRow("2001:db8::/32", "192.0.2.0/24", 33, 6, 0, 0, MapError.RuleIpv6PrefixPlusEaBitsTooLong)]
    [DataRow("2001:db8::/32", "192.0.2.0/24", 25, 0, 0, 0, MapError.EaBitsLeavePsidTooLong)]
    [DataRow("2001:db8::/40", "192.0.2.0/24", 16, 9, 0, 0, MapError.PsidOffsetPlusLengthTooLong)]
    [DataRow("2001:db8::/40", "192.0.2.0/24", 16, 6, 6, 1, MapError.PsidLengthConflictsWithEaBits)]
    [DataRow("2001:db8::/40", "192.0.2.0/24", 4, 6, 4, 1, MapError.PsidWithIpv4Prefix)]
    [DataRow("2001:db8::/56", "192.0.2.0/24", 0, 6, 0, 0, MapError.NoEaBitsNeedsFullIpv4Address)]
    [DataRow("2001:db8::/40", "192.0.2.0/24", 16, 6, 8, 0x34, MapError.None)] // Kea's shared portparams: k agrees with q
    [DataRow("2001:db8:12:3400::/56", "192.0.2.18/32", 0, 6, 8, 0x34, MapError.None)] // RFC 7599 Example 5
    [DataRow("2001:db8:12:3400::/56", "192.0.2.1/32", 0, 6, 0, 0, MapError.None)] // RFC 7599 Example 4
    [DataRow("2001:db8::/40", "192.0.2.0/24", 24, 0, 0, 0, MapError.None)] // a + k = 16
    [DataRow("2001:db8::/40", "192.0.2.0/24", 4, 6, 0, 0, MapError.None)] // a delegated /28
    public void TryCreate_ChecksHowTheFieldsCombine(string ipv6, string ipv4, int eaLen, int offset, int psidLen, int psid, MapError expected)
    {
        Assert.IsTrue(PortParameters.TryCreate(offset, psidLen, psid, out PortParameters pp, out MapError ppError), ppError.ToString());
        bool ok = MapRule.TryCreate(P6(ipv6), P4(ipv4), eaLen, pp, false, out MapRule? rule, out MapError error);
        Assert.AreEqual(expected, error);
        Assert.AreEqual(expected == MapError.None, ok);
        Assert.AreEqual(ok, rule is not null);
    }

    [TestMethod]
    [DataRow(17, 0, 0, MapError.PsidOffsetOutOfRange)]
    [DataRow(6, 17, 0, MapError.PsidLengthOutOfRange)]
    [DataRow(7, 10, 0, MapError.PsidOffsetPlusLengthTooLong)]
    [DataRow(6, 8, 256, MapError.PsidTooLarge)]
    [DataRow(6, 8, 0x3400, MapError.PsidTooLarge)] // the wire form given where the right-aligned one belongs
    [DataRow(6, 0, 1, MapError.PsidTooLarge)]
    [DataRow(0, 16, 65535, MapError.None)]
    [DataRow(16, 0, 0, MapError.None)]
    public void PortParameters_TryCreate_GivesSpecificError(int offset, int length, int psid, MapError expected)
    {
        Assert.AreEqual(expected == MapError.None, PortParameters.TryCreate(offset, length, psid, out _, out MapError error));
        Assert.AreEqual(expected, error);
    }

    [TestMethod]
    public void PortParameters_WireAndRightAlignedForms_AreNamedAndConverted()
    {
        // S46_PORTPARAMS carries PSID 0x34 of k = 8 as 0x3400 (RFC 7598 section 4.5).
        Assert.IsTrue(PortParameters.TryFromWire(6, 8, 0x3400, out PortParameters pp, out _));
        Assert.AreEqual(0x34, pp.Psid);
        Assert.AreEqual(0x3400, pp.PsidWire);
        // Bits past k on the wire are not part of the PSID.
        Assert.IsTrue(PortParameters.TryFromWire(6, 8, 0x34ff, out pp, out _));
        Assert.AreEqual(0x34, pp.Psid);
        Assert.IsTrue(PortParameters.TryFromWire(0, 16, 0xabcd, out pp, out _));
        Assert.AreEqual(0xabcd, pp.Psid);
        Assert.AreEqual(0xabcd, pp.PsidWire);
        Assert.IsTrue(PortParameters.TryFromWire(6, 0, 0xffff, out pp, out _));
        Assert.AreEqual(0, pp.Psid);
        Assert.IsFalse(pp.HasExplicitPsid);
        Assert.IsFalse(PortParameters.TryFromWire(10, 8, 0, out _, out MapError error));
        Assert.AreEqual(MapError.PsidOffsetPlusLengthTooLong, error);
    }

    [TestMethod]
    public void DerivedValues_FollowRfc7597Section5()
    {
        MapRule shared = Rule("2001:db8::/40", "192.0.2.0/24", 16);
        Assert.AreEqual(8, shared.Ipv4SuffixLength);
        Assert.AreEqual(8, shared.PsidLength);
        Assert.AreEqual(6, shared.PsidOffset);
        Assert.IsFalse(shared.HasExplicitPsid);
        Assert.AreEqual(56, shared.EndUserPrefixMinLength);

        MapRule delegated = Rule("2001:db8::/40", "192.0.2.0/24", 4);
        Assert.IsTrue(delegated.DelegatesIpv4Prefix);
        Assert.AreEqual(28, delegated.CeIpv4PrefixLength);
        Assert.AreEqual(0, delegated.PsidLength);

        MapRule explicitPsid = Rule("2001:db8:12:3400::/56", "192.0.2.18/32", 0, 6, 8, 0x34);
        Assert.IsTrue(explicitPsid.HasExplicitPsid);
        Assert.AreEqual(8, explicitPsid.PsidLength);
    }
}
