using Mapt.Map;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static Mapt.Tests.Map.MapValues;

namespace Mapt.Tests.Map;

[TestClass]
public sealed class DomainCheckTests
{
    [TestMethod]
    public void Run_Rfc7599Example1Rule_IsSound()
    {
        DomainCheckReport r = DomainCheck.Run(Rule("2001:db8::/40", "192.0.2.0/24", 16));
        Assert.IsTrue(r.Ok, r.Violation);
        Assert.AreEqual(65536UL, r.CeCount);
        Assert.AreEqual(65536UL, r.CheckedCes);
        Assert.AreEqual(256UL, r.Ipv4AddressCount);
        Assert.AreEqual(256UL, r.CesPerIpv4Address);
        Assert.AreEqual(252, r.PortsPerCeMin);
        Assert.AreEqual(252, r.PortsPerCeMax);
        Assert.AreEqual(64512, r.UsablePortsPerIpv4Address);
        Assert.AreEqual(0UL, r.CesWithoutPorts);
    }

    [TestMethod]
    public void Run_OffsetZero_PsidZeroLosesPortZero()
    {
        DomainCheckReport r = DomainCheck.Run(Rule("2001:db8::/48", "192.0.2.0/24", 16, offset: 0));
        Assert.IsTrue(r.Ok, r.Violation);
        Assert.AreEqual(255, r.PortsPerCeMin);
        Assert.AreEqual(256, r.PortsPerCeMax);
        Assert.AreEqual(65535, r.UsablePortsPerIpv4Address);
    }

    [TestMethod]
    public void Run_OneOwnerPerPort_PsidZeroHasNoPorts()
    {
        // a = 0, k = 16: each CE owns one port; PSID 0 would own only port 0.
        DomainCheckReport r = DomainCheck.Run(Rule("2001:db8::/40", "192.0.2.0/24", 24, offset: 0));
        Assert.IsTrue(r.Ok, r.Violation);
        Assert.AreEqual(256UL, r.CesWithoutPorts);
        Assert.AreEqual(0, r.PortsPerCeMin);
        Assert.AreEqual(1, r.PortsPerCeMax);
    }

    [TestMethod]
    [DataRow("2001:db8::/40", "192.0.2.0/24", 4, 16UL, 256UL)]   // delegated /28s
    [DataRow("2001:db8::/48", "192.0.2.0/24", 8, 256UL, 256UL)]  // 1:1
    [DataRow("2001:db8:12:3400::/56", "192.0.2.1/32", 0, 1UL, 1UL)] // Example 4
    public void Run_UnsharedRules_TileTheRulePrefix(string ipv6, string ipv4, int eaLen, ulong ces, ulong addresses)
    {
        DomainCheckReport r = DomainCheck.Run(Rule(ipv6, ipv4, eaLen));
        Assert.IsTrue(r.Ok, r.Violation);
        Assert.AreEqual(ces, r.CeCount);
        Assert.AreEqual(ces, r.CheckedCes);
        Assert.AreEqual(addresses, r.Ipv4AddressCount);
        Assert.AreEqual(65535, r.PortsPerCeMax);
    }

    [TestMethod]
    public void Run_ExplicitPsid_OneCeWithItsSet()
    {
        DomainCheckReport r = DomainCheck.Run(Rule("2001:db8:12:3400::/56", "192.0.2.18/32", 0, 6, 8, 0x34));
        Assert.IsTrue(r.Ok, r.Violation);
        Assert.AreEqual(1UL, r.CeCount);
        Assert.AreEqual(252, r.PortsPerCeMin);
    }

    // The bitmap is what finds overlaps and holes: prove it does.
    [TestMethod]
    public void PortBitmap_Overlap_IsRefusedAndNothingMarked()
    {
        var bitmap = new PortBitmap();
        Assert.IsTrue(bitmap.TryMark(1232, 1235));
        Assert.IsFalse(bitmap.TryMark(1235, 1238));
        Assert.IsFalse(bitmap.IsMarked(1236), "a refused range marks nothing");
        Assert.IsTrue(bitmap.TryMark(1236, 1500));
        Assert.IsFalse(bitmap.TryMark(1400, 1400));
        Assert.IsTrue(bitmap.TryMark(60, 200)); // across words
        Assert.IsFalse(bitmap.TryMark(190, 1300));
        Assert.IsFalse(bitmap.IsMarked(201));
    }

    [TestMethod]
    public void PortBitmap_IsExactly_FindsHoleAndExtra()
    {
        var bitmap = new PortBitmap();
        Assert.IsTrue(bitmap.TryMark(1024, 65535));
        Assert.IsTrue(bitmap.IsExactly(1024, out _));
        Assert.IsFalse(bitmap.IsExactly(1, out int wrong));
        Assert.AreEqual(1, wrong);
        Assert.IsTrue(bitmap.TryMark(7, 7));
        Assert.IsFalse(bitmap.IsExactly(1024, out wrong));
        Assert.AreEqual(7, wrong);
        bitmap.Clear();
        Assert.IsTrue(bitmap.TryMark(1024, 40000));
        Assert.IsTrue(bitmap.TryMark(40002, 65535));
        Assert.IsFalse(bitmap.IsExactly(1024, out wrong));
        Assert.AreEqual(40001, wrong);
    }
}
