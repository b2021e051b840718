using Mapt.Map;
using Mapt.Net;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static Mapt.Tests.Map.MapValues;

namespace Mapt.Tests.Map;

[TestClass]
public sealed class DmrTests
{
    [TestMethod]
    [DataRow("2001:db8::/33")]
    [DataRow("2001:db8::/72")]
    [DataRow("2001:db8::/128")]
    [DataRow("2001:db8::/104")] // errata 4865: nothing past /96
    [DataRow("2000::/16")]
    public void TryCreate_LengthNotInRfc6052_IsRefused(string prefix)
    {
        Assert.IsFalse(Dmr.TryCreate(P6(prefix), out _, out MapError error));
        Assert.AreEqual(MapError.DmrLengthNotAllowed, error);
    }

    [TestMethod]
    [DataRow("2001:db8::/32")]
    [DataRow("2001:db8:100::/40")]
    [DataRow("2001:db8:122::/48")]
    [DataRow("2001:db8:122:300::/56")]
    [DataRow("2001:db8:122:344::/64")]
    [DataRow("2001:db8:122:344::/96")]
    public void EmbedExtract_RoundTripsEveryLength(string prefix)
    {
        Assert.IsTrue(Dmr.TryCreate(P6(prefix), out Dmr dmr, out _));
        var random = new System.Random(prefix.Length);
        for (int i = 0; i < 1000; i++)
        {
            var v4 = new Ipv4Address((uint)random.NextInt64(0, 1L << 32));
            Ipv6Address embedded = dmr.Embed(v4);
            Assert.IsTrue(dmr.Prefix.Contains(embedded));
            if (dmr.Prefix.Length != 96)
                Assert.AreEqual(0UL, embedded.GetBits(64, 8), "u-octet");
            Assert.IsTrue(dmr.TryExtract(embedded, out Ipv4Address back, out _));
            Assert.AreEqual(v4, back);
        }
    }

    [TestMethod]
    public void TryExtract_NonZeroUOctetOrOutside_IsRefused()
    {
        Assert.IsTrue(Dmr.TryCreate(P6("2001:db8:ffff::/64"), out Dmr dmr, out _));
        Assert.IsFalse(dmr.TryExtract(A6("2001:db8:ffff:0:10a:203:400:0"), out _, out MapError error));
        Assert.AreEqual(MapError.UOctetNotZero, error);
        Assert.IsFalse(dmr.TryExtract(A6("2001:db8:fffe:0:a:203:400:0"), out _, out error));
        Assert.AreEqual(MapError.Ipv6OutsideRule, error);
    }
}
