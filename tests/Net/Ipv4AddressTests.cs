using Mapt.Net;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Net;

[TestClass]
public sealed class Ipv4AddressTests
{
    [TestMethod]
    [DataRow("192.0.2.18", 0xc0000212u)]
    [DataRow("0.0.0.0", 0u)]
    [DataRow("255.255.255.255", 0xffffffffu)]
    [DataRow("10.2.3.4", 0x0a020304u)]
    public void TryParse_DottedQuad_RoundTrips(string text, uint value)
    {
        Assert.IsTrue(Ipv4Address.TryParse(text, out Ipv4Address a));
        Assert.AreEqual(value, a.Value);
        Assert.AreEqual(text, a.ToString());
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("1.2.3")]
    [DataRow("1.2.3.4.5")]
    [DataRow("256.0.0.1")]
    [DataRow("01.2.3.4")]
    [DataRow("1.2.3.4 ")]
    [DataRow("1..3.4")]
    [DataRow("a.b.c.d")]
    [DataRow("1.2.3.4/24")]
    [DataRow("1000.2.3.4")]
    public void TryParse_Invalid_ReturnsFalse(string text)
    {
        Assert.IsFalse(Ipv4Address.TryParse(text, out _), text);
    }
}
