using System;
using System.Collections.Generic;
using Mapt.Map;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Map;

[TestClass]
public sealed class PortRemapTests
{
    /// <summary>Every (a, k, PSID) with a + k &lt;= 8 small enough to enumerate all 65,536 ports, and the deployed shapes.</summary>
    private static IEnumerable<(int A, int K, int Psid)> Shapes()
    {
        for (int a = 0; a <= 8; a++)
            for (int k = 0; a + k <= 10; k++)
                foreach (int psid in new[] { 0, 1, (1 << k) - 1, (1 << k) / 2 })
                    if (psid < 1 << k || (k == 0 && psid == 0))
                        yield return (a, k, psid);
        yield return (6, 8, 0x34);
        yield return (4, 8, 0x12);
        yield return (6, 6, 5);
    }

    [TestMethod]
    public void IndexOfAndPortAt_AreInversesOverTheWholeSet()
    {
        foreach ((int a, int k, int psid) in Shapes())
        {
            var set = new PortSet(a, k, (ushort)psid);
            int index = 0;
            for (int port = 0; port <= 0xffff; port++)
            {
                int i = PortRemap.IndexOf(set, port);
                if (!set.Contains((ushort)port))
                {
                    Assert.AreEqual(-1, i, $"a={a} k={k} psid={psid} port {port} is not in the set");
                    continue;
                }
                // The set in ascending order: index i is the i-th port counted from the bottom.
                Assert.AreEqual(index, i, $"a={a} k={k} psid={psid} port {port}");
                Assert.AreEqual(port, PortRemap.PortAt(set, i));
                index++;
            }
            Assert.AreEqual(set.PortCount, index);
            Assert.AreEqual(-1, PortRemap.PortAt(set, set.PortCount));
        }
    }

    [TestMethod]
    public void Remap_IsABijectionFromTheVirtualRangeOntoTheSet_DisjointFromIt()
    {
        int remapped = 0;
        foreach ((int a, int k, int psid) in Shapes())
        {
            var set = new PortSet(a, k, (ushort)psid);
            PortRemap? remap = PortRemap.TryCreate(set, ReadOnlySpan<int>.Empty, out string? why);
            if (remap is null)
            {
                // No remap: the set is one block (a = 0), not shared, or too large to fit below its first range.
                bool needsNone = !set.IsRestricted || a == 0 || set.RangeCount == 0;
                Assert.AreEqual(needsNone, why is null, $"a={a} k={k}: {why}");
                if (!needsNone)
                    Assert.IsTrue(set.PortCount > (1 << (16 - a)) - 1, why);
                continue;
            }
            remapped++;
            Assert.AreEqual(set.PortCount, remap.Count);
            Assert.AreEqual((1 << (16 - a)) - 1, remap.VirtualLast, "top-aligned below the first range");
            Assert.IsTrue(remap.VirtualFirst >= 1);
            var seen = new HashSet<int>();
            for (int v = remap.VirtualFirst; v <= remap.VirtualLast; v++)
            {
                Assert.IsFalse(set.Contains((ushort)v), $"virtual port {v} is a real port of the set");
                int real = remap.ToReal(v);
                Assert.IsTrue(real > 0 && set.Contains((ushort)real), $"a={a} k={k} psid={psid}: {v} -> {real} outside the set");
                Assert.IsTrue(seen.Add(real), $"{real} twice");
                Assert.AreEqual(v, remap.ToVirtual(real));
                // Order kept: virtual i is the set's i-th port.
                Assert.AreEqual(PortRemap.PortAt(set, v - remap.VirtualFirst), real);
            }
            Assert.AreEqual(set.PortCount, seen.Count);
            // Everything else is refused both ways.
            for (int port = 0; port <= 0xffff; port++)
            {
                if (port < remap.VirtualFirst || port > remap.VirtualLast)
                    Assert.AreEqual(-1, remap.ToReal(port), $"ToReal({port})");
                if (!set.Contains((ushort)port))
                    Assert.AreEqual(-1, remap.ToVirtual(port), $"ToVirtual({port})");
            }
        }
        Assert.IsTrue(remapped > 20, $"only {remapped} shapes remapped");
    }

    [TestMethod]
    public void Rfc7599Example_252PortsOnto772To1023()
    {
        var set = new PortSet(6, 8, 0x34);
        PortRemap remap = PortRemap.TryCreate(set, ReadOnlySpan<int>.Empty, out _)!;
        Assert.AreEqual(772, remap.VirtualFirst);
        Assert.AreEqual(1023, remap.VirtualLast);
        Assert.AreEqual(1232, remap.ToReal(772));
        Assert.AreEqual(1235, remap.ToReal(775));
        Assert.AreEqual(2256, remap.ToReal(776));
        Assert.AreEqual(64723, remap.ToReal(1023));
        Assert.AreEqual(-1, remap.ToReal(1024));
        Assert.AreEqual(-1, remap.ToReal(1232), "a real port is not a virtual one");
    }

    [TestMethod]
    public void KeptPorts_StayThemselves_AndTheRestIsStillABijection()
    {
        var set = new PortSet(6, 8, 0x34);
        int[] keep = { 2256, 1232, 64723, 80 /* not in the set: ignored */ };
        PortRemap remap = PortRemap.TryCreate(set, keep, out _)!;
        Assert.AreEqual(3, remap.KeptCount);
        Assert.AreEqual(249, remap.Count);
        Assert.AreEqual(1023, remap.VirtualLast);
        CollectionAssert.AreEqual(new[] { 1232, 2256, 64723 }, remap.KeptPorts());
        var seen = new HashSet<int>();
        for (int v = remap.VirtualFirst; v <= remap.VirtualLast; v++)
        {
            int real = remap.ToReal(v);
            Assert.IsTrue(set.Contains((ushort)real));
            Assert.IsFalse(Array.IndexOf(keep, real) >= 0, $"{v} -> kept port {real}");
            Assert.IsTrue(seen.Add(real));
            Assert.AreEqual(v, remap.ToVirtual(real));
        }
        foreach (int k in new[] { 1232, 2256, 64723 })
        {
            Assert.AreEqual(k, remap.ToReal(k), "a kept port leaves as it is");
            Assert.AreEqual(k, remap.ToVirtual(k), "and comes in as it is");
            Assert.IsTrue(seen.Add(k));
        }
        Assert.AreEqual(set.PortCount, seen.Count, "virtual range + kept ports cover the set exactly");
        Assert.AreEqual(1233, remap.ToReal(remap.VirtualFirst));
        Assert.AreEqual(-1, remap.ToReal(80));
    }

    [TestMethod]
    public void OffsetZeroAndUnshared_NeedNoRemap_LargeSetsSayWhy()
    {
        Assert.IsNull(PortRemap.TryCreate(new PortSet(0, 8, 3), ReadOnlySpan<int>.Empty, out string? why));
        Assert.IsNull(why, "a = 0 is one block: one SNAT rule covers it");
        Assert.IsNull(PortRemap.TryCreate(new PortSet(6, 0, 0), ReadOnlySpan<int>.Empty, out why));
        Assert.IsNull(why);
        Assert.IsNull(PortRemap.TryCreate(new PortSet(6, 4, 3), ReadOnlySpan<int>.Empty, out why));
        StringAssert.Contains(why, "do not fit below its first range");
    }

    [TestMethod]
    public void CalcLookup_AnswersInRealPorts_EveryImageOfTheRemapFindsThisCe_NoVirtualPortDoes()
    {
        // What an abuse desk gets from the BR's logs is a real port; `mapt calc --lookup` maps
        // it with the rule alone, unaware of any CE's remap: every real port the remap can emit
        // belongs to this CE, and a virtual port (never on the wire) belongs to no CE.
        MapRule rule = MapValues.Rule("2001:db8::/40", "192.0.2.0/24", 16);
        var set = new PortSet(6, 8, 0x34);
        PortRemap remap = PortRemap.TryCreate(set, ReadOnlySpan<int>.Empty, out _)!;
        var ipv4 = Mapt.Net.Ipv4Address.TryParse("192.0.2.18", out var a) ? a : default;
        for (int v = remap.VirtualFirst; v <= remap.VirtualLast; v++)
        {
            Assert.IsTrue(ReverseLookup.TryLookup(rule, ipv4, (ushort)remap.ToReal(v), out var found, out MapError error), error.ToString());
            Assert.AreEqual(0x34, found.Psid);
            Assert.IsFalse(ReverseLookup.TryLookup(rule, ipv4, (ushort)v, out _, out error));
            Assert.AreEqual(MapError.PortNotInAnySet, error);
        }
    }

    [TestMethod]
    public void Keep_Parses_AndRefusesWhatIsNotProtoPort()
    {
        RemapKeep keep = RemapKeep.TryParse("udp:2256, tcp:1232,tcp:80,tcp:1232", out _)!;
        CollectionAssert.AreEqual(new[] { 80, 1232 }, keep.Tcp);
        CollectionAssert.AreEqual(new[] { 2256 }, keep.Udp);
        Assert.AreEqual("tcp:80,tcp:1232,udp:2256", keep.ToString());
        foreach (string bad in new[] { "1232", "sctp:5", "tcp:0", "tcp:65536", "tcp:x", "" })
            Assert.IsNull(RemapKeep.TryParse(bad, out string error), bad);
    }
}
