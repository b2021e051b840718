using Mapt.Map;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Map;

[TestClass]
public sealed class PortSetTests
{
    [TestMethod]
    [DataRow(6, 8, 0x34, 63, 252)]
    [DataRow(0, 8, 0, 1, 255)]      // a = 0, PSID 0: 0..255 without port 0
    [DataRow(0, 8, 1, 1, 256)]
    [DataRow(0, 16, 0, 0, 0)]       // only port 0: nothing usable
    [DataRow(0, 16, 1234, 1, 1)]
    [DataRow(16, 0, 0, 0, 65535)]   // not shared
    [DataRow(4, 12, 5, 15, 15)]     // m = 0
    public void Counts_MatchTheGmaFormula(int a, int k, int psid, int ranges, int ports)
    {
        var set = new PortSet(a, k, (ushort)psid);
        Assert.AreEqual(ranges, set.RangeCount);
        Assert.AreEqual(ports, set.PortCount);
        int counted = 0;
        foreach (PortRange r in set)
            counted += r.Count;
        if (set.IsRestricted)
            Assert.AreEqual(ports, counted);
    }

    [TestMethod]
    [DataRow(6, 8, 0x34)]
    [DataRow(0, 8, 0)]
    [DataRow(0, 6, 17)]
    [DataRow(3, 5, 9)]
    [DataRow(4, 12, 5)]
    [DataRow(0, 16, 1234)]
    public void Contains_AgreesWithTheRanges(int a, int k, int psid)
    {
        var set = new PortSet(a, k, (ushort)psid);
        var inRanges = new bool[65536];
        foreach (PortRange r in set)
            for (int p = r.First; p <= r.Last; p++)
                inRanges[p] = true;
        for (int p = 0; p < 65536; p++)
            Assert.AreEqual(inRanges[p], set.Contains((ushort)p), $"port {p}");
    }
}
