using System.Collections.Generic;
using System.Text.Json;
using Mapt.Netlink;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static Mapt.Tests.Netlink.RtnlAddressTests;

namespace Mapt.Tests.Netlink;

[TestClass]
public sealed class RtnlMonitorTests
{
    [TestMethod]
    public void Drain_PeerLinkDownThenUp_CarrierChangesSeenWithinDeadline()
    {
        using var lab = new NetlinkLab();
        using RtnlMonitor monitor = lab.OpenMonitor();
        var seen = new List<LinkInfo>();
        monitor.LinkChanged = (link, removed) => { if (link.Index == lab.WanIndex && !removed) seen.Add(link); };

        // Carrier changes pass through the kernel's linkwatch, which may hold them up to 1 s
        // after the previous one (the veth came up just now): 3 s leaves 2 s for us.
        lab.Peer.Sh("ip link set peer0 down");
        Assert.IsTrue(NetlinkLab.PumpUntil(monitor, () => seen.Exists(l => !l.HasCarrier), 3000), "carrier loss not seen within 3 s");
        LinkInfo down = seen.Find(l => !l.HasCarrier)!;
        Assert.IsTrue(down.IsUp, "admin state is still up");
        Assert.AreEqual("wan0", down.Name);

        seen.Clear();
        lab.Peer.Sh("ip link set peer0 up");
        Assert.IsTrue(NetlinkLab.PumpUntil(monitor, () => seen.Exists(l => l.HasCarrier && l.IsRunning), 3000), "carrier return not seen within 3 s");
        Assert.AreEqual(0, monitor.Overruns);
    }

    [TestMethod]
    public void Drain_NothingQueued_ReturnsZeroWithoutBlocking()
    {
        using var lab = new NetlinkLab();
        using RtnlMonitor monitor = lab.OpenMonitor();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.AreEqual(0, monitor.Drain());
        Assert.IsTrue(clock.ElapsedMilliseconds < 500, "Drain blocked");
        Assert.IsTrue(monitor.Fd > 2);
    }

    [TestMethod]
    public void Drain_RenameAndMtuChange_SeenWithNewValues()
    {
        using var lab = new NetlinkLab();
        using RtnlMonitor monitor = lab.OpenMonitor();
        var seen = new List<LinkInfo>();
        monitor.LinkChanged = (link, removed) => { if (link.Index == lab.WanIndex) seen.Add(link); };
        lab.Ce.Sh("ip link set wan0 down && ip link set wan0 name wan9 && ip link set wan9 mtu 1400 && ip link set wan9 up");
        Assert.IsTrue(NetlinkLab.PumpUntil(monitor, () => seen.Exists(l => l.Name == "wan9" && l.Mtu == 1400 && l.IsUp)));
        Assert.IsTrue(seen.Exists(l => !l.IsUp), "the admin-down step was not reported");
        Assert.AreEqual("wan9", lab.Client.GetLink(lab.WanIndex).Name);
    }

    [TestMethod]
    public void Drain_AddressAddedAndRemoved_BothFamiliesSeen()
    {
        using var lab = new NetlinkLab();
        using RtnlMonitor monitor = lab.OpenMonitor();
        var events = new List<(string Address, bool Removed, AddressFlags Flags)>();
        monitor.AddressChanged = (a, removed) => events.Add((AddressText(a.Address), removed, a.Flags));

        lab.Ce.Sh("ip addr add 192.0.2.5/24 dev wan0 && ip addr add 2001:db8::5/64 dev wan0");
        Assert.IsTrue(NetlinkLab.PumpUntil(monitor, () => events.Exists(e => e.Address == "192.0.2.5" && !e.Removed)
            && events.Exists(e => e.Address == "2001:db8::5" && !e.Removed)));
        // Added without nodad, so the first word about it is "tentative" (RFC 4862 section 5.4).
        Assert.AreNotEqual(AddressFlags.None, events.Find(e => e.Address == "2001:db8::5").Flags & AddressFlags.Tentative);

        lab.Ce.Sh("ip addr del 192.0.2.5/24 dev wan0 && ip addr del 2001:db8::5/64 dev wan0");
        Assert.IsTrue(NetlinkLab.PumpUntil(monitor, () => events.Exists(e => e.Address == "192.0.2.5" && e.Removed)
            && events.Exists(e => e.Address == "2001:db8::5" && e.Removed)));
    }

    [TestMethod]
    public void Drain_RouteDeletedBehindClientsBack_Seen()
    {
        using var lab = new NetlinkLab();
        lab.Ce.Sh("ip addr add 192.0.2.10/24 dev wan0 && ip addr add 2001:db8:1::10/64 dev wan0 nodad");
        using RtnlMonitor monitor = lab.OpenMonitor();
        var v4 = new RouteInfo { Destination = Parse("198.51.100.0"), DestinationLength = 24, Gateway = Parse("192.0.2.1"), Table = 100 };
        var v6 = new RouteInfo { Destination = Parse("2001:db8:9::"), DestinationLength = 48, OutputInterface = lab.WanIndex };
        lab.Client.AddRoute(v4);
        lab.Client.AddRoute(v6);
        var removed = new List<RouteInfo>();
        monitor.RouteChanged = (r, gone) => { if (gone) removed.Add(r); };

        lab.Ce.Sh("ip route del 198.51.100.0/24 table 100 && ip -6 route del 2001:db8:9::/48");
        Assert.IsTrue(NetlinkLab.PumpUntil(monitor, () => removed.Count >= 2), "deletions not seen within 2 s");
        Assert.IsTrue(removed.Exists(r => r.Destination == v4.Destination && r.DestinationLength == 24 && r.Table == 100));
        Assert.IsTrue(removed.Exists(r => r.Destination == v6.Destination && r.OutputInterface == lab.WanIndex));
    }

    [TestMethod]
    public void Drain_ReceiveBufferOverrun_RedumpsAndFinalStateMatchesIp()
    {
        using var lab = new NetlinkLab();
        using RtnlMonitor monitor = lab.OpenMonitor();
        monitor.SetReceiveBufferSize(1024); // the kernel's minimum, a few events
        int smallBuffer = monitor.ReceiveBufferSize;

        // The model the daemon would keep: IPv4 main-table /32 routes of 203.0.113.0/24.
        var model = new HashSet<string>();
        int resyncs = 0;
        monitor.Resynced = snapshot =>
        {
            resyncs++;
            model.Clear();
            foreach (RouteInfo r in snapshot.Routes)
                if (Relevant(r))
                    model.Add(AddressText(r.Destination));
        };
        monitor.RouteChanged = (r, removed) =>
        {
            if (!Relevant(r))
                return;
            if (removed)
                model.Remove(AddressText(r.Destination));
            else
                model.Add(AddressText(r.Destination));
        };

        // A burst with nobody draining: 200 routes added, every even one removed again.
        var batch = new System.Text.StringBuilder();
        for (int i = 1; i <= 200; i++)
            batch.Append("route add 203.0.113.").Append(i).Append(" dev wan0\n");
        for (int i = 2; i <= 200; i += 2)
            batch.Append("route del 203.0.113.").Append(i).Append(" dev wan0\n");
        System.IO.File.WriteAllText("/tmp/" + lab.Ce.Name + ".batch", batch.ToString());
        try
        {
            lab.Ce.Sh("ip -batch /tmp/" + lab.Ce.Name + ".batch");
        }
        finally
        {
            System.IO.File.Delete("/tmp/" + lab.Ce.Name + ".batch");
        }
        // Then a last change after the burst, which must arrive as a plain event.
        monitor.Drain();
        lab.Ce.Sh("ip route del 203.0.113.1 dev wan0");
        Assert.IsTrue(NetlinkLab.PumpUntil(monitor, () => !model.Contains("203.0.113.1") && model.Count > 0));

        Assert.IsTrue(monitor.Overruns >= 1, "the burst did not overrun the socket");
        Assert.AreEqual(monitor.Overruns, resyncs);
        Assert.IsTrue(monitor.ReceiveBufferSize > smallBuffer, "the receive buffer was not grown");
        var oracle = new HashSet<string>();
        foreach (JsonElement o in lab.Json("-4 route show table main").EnumerateArray())
        {
            string dst = o.GetProperty("dst").GetString()!;
            if (dst.StartsWith("203.0.113."))
                oracle.Add(dst);
        }
        Assert.AreEqual(99, oracle.Count);
        CollectionAssert.AreEquivalent(new List<string>(oracle), new List<string>(model));
    }

    private static bool Relevant(RouteInfo r) =>
        r.Family == Mapt.Netlink.AddressFamily.Inet && r.Table == RouteTable.Main && r.DestinationLength == 32
        && (r.Destination.V4Value >> 8) == 0xCB0071; // 203.0.113.0/24
}
