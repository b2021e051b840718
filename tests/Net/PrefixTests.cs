using Mapt.Net;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Net;

[TestClass]
public sealed class PrefixTests
{
    [TestMethod]
    [DataRow("192.0.2.0/24", NetParseError.None)]
    [DataRow("192.0.2.18/32", NetParseError.None)]
    [DataRow("0.0.0.0/0", NetParseError.None)]
    [DataRow("192.0.2.1/24", NetParseError.BitsPastLength)]
    [DataRow("192.0.2.0", NetParseError.MissingLength)]
    [DataRow("192.0.2.0/33", NetParseError.LengthOutOfRange)]
    [DataRow("192.0.2.0/x", NetParseError.BadLength)]
    [DataRow("192.0.2.0/", NetParseError.BadLength)]
    [DataRow("192.0.2.0/024", NetParseError.BadLength)]
    [DataRow("192.0.2/24", NetParseError.BadIpv4Address)]
    [DataRow("", NetParseError.Empty)]
    public void Ipv4Prefix_TryParse_GivesSpecificError(string text, NetParseError expected)
    {
        bool ok = Ipv4Prefix.TryParse(text, out Ipv4Prefix prefix, out NetParseError error);
        Assert.AreEqual(expected, error);
        Assert.AreEqual(expected == NetParseError.None, ok);
        if (ok)
            Assert.AreEqual(text, prefix.ToString());
    }

    [TestMethod]
    [DataRow("2001:db8::/32", NetParseError.None)]
    [DataRow("2001:db8:12:3400::/56", NetParseError.None)]
    [DataRow("::/0", NetParseError.None)]
    [DataRow("2001:db8:12:3401::/56", NetParseError.BitsPastLength)]
    [DataRow("2001:db8::1/127", NetParseError.BitsPastLength)]
    [DataRow("2001:db8::", NetParseError.MissingLength)]
    [DataRow("2001:db8::/129", NetParseError.LengthOutOfRange)]
    [DataRow("2001:db8::/-1", NetParseError.BadLength)]
    [DataRow("2001:db8:::/32", NetParseError.BadIpv6Address)]
    [DataRow("192.0.2.0/24", NetParseError.BadIpv6Address)]
    public void Ipv6Prefix_TryParse_GivesSpecificError(string text, NetParseError expected)
    {
        bool ok = Ipv6Prefix.TryParse(text, out Ipv6Prefix prefix, out NetParseError error);
        Assert.AreEqual(expected, error);
        Assert.AreEqual(expected == NetParseError.None, ok);
        if (ok)
            Assert.AreEqual(text, prefix.ToString());
    }

    [TestMethod]
    public void Masked_FromTheWire_ClearsBitsPastTheLength()
    {
        // RFC 7598 section 4.1: bits past prefix4-len / prefix6-len are ignored by the receiver.
        Ipv4Address.TryParse("192.0.2.77", out Ipv4Address v4);
        Assert.AreEqual("192.0.2.64/26", Ipv4Prefix.Masked(v4, 26).ToString());
        Assert.AreEqual("0.0.0.0/0", Ipv4Prefix.Masked(v4, 0).ToString());
        byte[] wire = { 0x20, 0x01, 0x0d, 0xb8, 0x01, 0xff };
        Assert.AreEqual("2001:db8:100::/40", Ipv6Prefix.FromWire(wire, 40).ToString());
        Assert.AreEqual("2001:db8:1fe::/47", Ipv6Prefix.FromWire(wire, 47).ToString());
    }

    [TestMethod]
    public void Contains_ChecksOnlyThePrefixBits()
    {
        Ipv6Prefix.TryParse("2001:db8::/40", out Ipv6Prefix rule, out _);
        Ipv6Prefix.TryParse("2001:db8:12:3400::/56", out Ipv6Prefix user, out _);
        Ipv6Prefix.TryParse("2001:db8:100::/40", out Ipv6Prefix other, out _);
        Ipv6Prefix.TryParse("2001:db8::/32", out Ipv6Prefix shorter, out _);
        Assert.IsTrue(rule.Contains(user));
        Assert.IsFalse(rule.Contains(other));
        Assert.IsFalse(rule.Contains(shorter), "a shorter prefix is not inside a longer one");
        Assert.IsTrue(shorter.Contains(rule));
        Ipv4Prefix.TryParse("192.0.2.0/24", out Ipv4Prefix v4, out _);
        Ipv4Address.TryParse("192.0.2.255", out Ipv4Address inside);
        Ipv4Address.TryParse("192.0.3.0", out Ipv4Address outside);
        Assert.IsTrue(v4.Contains(inside));
        Assert.IsFalse(v4.Contains(outside));
    }
}
