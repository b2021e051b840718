using Mapt.Provisioning;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static Mapt.Tests.Map.MapValues;

namespace Mapt.Tests.Provisioning;

[TestClass]
public sealed class Nat46TextTests
{
    // Each form is written to the real module and read back in tests/Firmware/Nat46ModelTests.
    [DataRow("2001:db8:ffff::", "2001:db8:ffff::")]
    [DataRow("2001:db8:12:3400:0:c000:212:34", "2001:db8:12:3400:0:c000:212:34")]
    [DataRow("::c000:212", "::c000:212")]
    [DataRow("::", "::")]
    [DataRow("2001:db8::5efe:0:0", "2001:db8::5efe:0.0.0.0")]
    [DataRow("2001:db8::5efe:c000:201", "2001:db8::5efe:192.0.2.1")]
    [DataRow("2001:db8:0:1:200:5efe:c000:201", "2001:db8:0:1:200:5efe:192.0.2.1")]
    [DataRow("::ffff:c000:200", "::ffff:192.0.2.0")]
    [DataRow("0:1::5efe:0:0", "0:1::5efe:0.0.0.0")]
    [TestMethod]
    public void Ipv6_AsTheKernelPrintsIt(string address, string printed) =>
        Assert.AreEqual(printed, Nat46Text.Ipv6(A6(address)));
}
