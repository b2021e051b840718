using System.Collections.Generic;
using Mapt.Map;
using Mapt.Status;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Status;

[TestClass]
public sealed class PortOccupancyTests
{
    private static readonly PortSet Set = new(6, 8, 0x34);

    [TestMethod]
    public void Ranges_RealPortsCounted_FullestRangeFound()
    {
        var ports = new List<(int, int)> { (17, 2256), (17, 2257), (17, 2258), (17, 1232), (17, 2256) /* another destination */, (6, 1233), (17, 999) /* not in the set */ };
        PortOccupancy o = PortOccupancy.Of(Set, null, ports);
        PortOccupancy.ProtocolUse udp = o.Uses[1];
        Assert.AreEqual("UDP", udp.Name);
        Assert.AreEqual(4, udp.InUse);
        Assert.AreEqual(252, udp.Size);
        Assert.AreEqual("2256-2259 3/4", udp.FullestRange);
        Assert.AreEqual(1, o.Uses[0].InUse);
        Assert.AreEqual(0, o.Uses[2].InUse);
    }

    [TestMethod]
    public void Remap_VirtualPortsShownAsTheRealOnes()
    {
        SnatRemap remap = SnatRemap.TryCreate(Set, RemapKeep.None, out _)!;
        var ports = new List<(int, int)>();
        for (int v = 772; v < 772 + 240; v++)
            ports.Add((17, v));
        ports.Add((17, 1232)); // a real port is not a virtual one: not counted
        PortOccupancy o = PortOccupancy.Of(Set, remap, ports);
        Assert.AreEqual(240, o.Uses[1].InUse);
        Assert.AreEqual(95, o.Fullest.Percent);
        Assert.IsTrue(o.Fullest.Percent > PortOccupancy.WarnPercent);
        Assert.AreEqual("1232-1235 4/4", o.Uses[1].FullestRange, "virtual 772-775 are the set's first range");
    }

    [TestMethod]
    public void NextMeasure_IdleBacksOffToFiveMinutes_BusyOrUnmeasuredEvery30s()
    {
        int ms = PortOccupancy.EveryMs;
        var idle = new System.Collections.Generic.List<int>();
        for (int i = 0; i < 6; i++)
            idle.Add(ms = PortOccupancy.NextMeasureMs(10, ms));
        CollectionAssert.AreEqual(new[] { 60_000, 120_000, 240_000, 300_000, 300_000, 300_000 }, idle);
        Assert.AreEqual(30_000, PortOccupancy.NextMeasureMs(50, ms), "half the ports in use: back to every 30 s");
        Assert.AreEqual(30_000, PortOccupancy.NextMeasureMs(95, ms));
        Assert.AreEqual(30_000, PortOccupancy.NextMeasureMs(null, ms), "not Up or no conntrack: checked again in 30 s");
        Assert.AreEqual(60_000, PortOccupancy.NextMeasureMs(0, 5_000), "a shorter first period backs off from 30 s");
    }
}
