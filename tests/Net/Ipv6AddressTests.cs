using Mapt.Net;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Net;

[TestClass]
public sealed class Ipv6AddressTests
{
    // RFC 5952 section 4 forms, and inputs in other legal spellings.
    [TestMethod]
    [DataRow("2001:db8::1", "2001:db8::1")]
    [DataRow("2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1")]
    [DataRow("::", "::")]
    [DataRow("::1", "::1")]
    [DataRow("1::", "1::")]
    [DataRow("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1")] // one zero group is not compressed (4.2.2)
    [DataRow("2001:0:0:1:0:0:0:1", "2001:0:0:1::1")] // the longest run (4.2.3)
    [DataRow("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1")] // the first of equal runs (4.2.3)
    [DataRow("2001:db8:12:3400:0:c000:212:34", "2001:db8:12:3400:0:c000:212:34")]
    [DataRow("2001:db8:122:344::192.0.2.33", "2001:db8:122:344::c000:221")]
    [DataRow("::ffff:192.0.2.1", "::ffff:c000:201")]
    [DataRow("1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0")]
    [DataRow("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")]
    public void TryParse_ValidText_FormatsPerRfc5952(string text, string expected)
    {
        Assert.IsTrue(Ipv6Address.TryParse(text, out Ipv6Address address), text);
        Assert.AreEqual(expected, address.ToString());
        Assert.IsTrue(Ipv6Address.TryParse(expected, out Ipv6Address again));
        Assert.AreEqual(address, again);
    }

    [TestMethod]
    [DataRow("")]
    [DataRow(":")]
    [DataRow(":::")]
    [DataRow("1:::2")]
    [DataRow("1::2::3")]
    [DataRow("1:2:3:4:5:6:7:8:9")]
    [DataRow("1:2:3:4:5:6:7")]
    [DataRow("1:2:3:4:5:6:7:8::")]
    [DataRow("12345::")]
    [DataRow("g::")]
    [DataRow("1:")]
    [DataRow(":1")]
    [DataRow("1.2.3.4")]
    [DataRow("::1.2.3")]
    [DataRow("::1.2.3.4:5")]
    [DataRow("fe80::1%eth0")]
    [DataRow("2001:db8::/32")]
    public void TryParse_InvalidText_ReturnsFalse(string text)
    {
        Assert.IsFalse(Ipv6Address.TryParse(text, out _), text);
    }

    [TestMethod]
    public void GetBits_SlicesFromTheMostSignificantBit()
    {
        Ipv6Address.TryParse("2001:db8:12:3400::", out Ipv6Address a);
        Assert.AreEqual(0x1234UL, a.GetBits(40, 16));
        Assert.AreEqual(0x2001UL, a.GetBits(0, 16));
        Assert.AreEqual(0UL, a.GetBits(64, 0));
        Assert.AreEqual(0x20010db800123400UL, a.GetBits(0, 64));
        Assert.AreEqual(1UL, a.GetBits(2, 1));
    }

    [TestMethod]
    public void WithBits_ReplacesOnlyTheField()
    {
        Ipv6Address.TryParse("2001:db8:ffff:ffff::", out Ipv6Address a);
        Ipv6Address b = a.WithBits(40, 16, 0x1234);
        Assert.AreEqual("2001:db8:ff12:34ff::", b.ToString());
        Assert.AreEqual("::ffff:ffff:ffff:ffff", default(Ipv6Address).WithBits(64, 64, ulong.MaxValue).ToString());
        Assert.AreEqual(a, a.WithBits(10, 0, 5));
    }

    [TestMethod]
    public void Bytes_RoundTripInNetworkOrder()
    {
        byte[] bytes = { 0x20, 0x01, 0x0d, 0xb8, 0, 0x12, 0x34, 0, 0, 0, 0xc0, 0, 0x02, 0x12, 0, 0x34 };
        Ipv6Address a = Ipv6Address.FromBytes(bytes);
        Assert.AreEqual("2001:db8:12:3400:0:c000:212:34", a.ToString());
        var back = new byte[16];
        a.WriteBytes(back);
        CollectionAssert.AreEqual(bytes, back);
    }
}
