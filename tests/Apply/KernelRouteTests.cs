using System.Collections.Generic;
using Mapt.Apply;
using Mapt.Netlink;
using Mapt.Provisioning;
using Mapt.Tests.Provisioning;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Apply;

[TestClass]
public sealed class KernelRouteTests
{
    private static readonly InetAddress Dmr = InetAddress.V6(0x20010db8ffff0000, 0);
    private static readonly InetAddress Fe80 = InetAddress.V6(0xfe80000000000000, 1);

    private static RouteInfo V4Default(int oif, InetAddress gateway = default, uint metric = 0, RouteType type = RouteType.Unicast) =>
        new() { Family = AddressFamily.Inet, DestinationLength = 0, OutputInterface = oif, Gateway = gateway, Priority = metric, Type = type, Table = RouteTable.Main };

    private static RouteInfo V6(InetAddress dst, byte len, int oif, InetAddress gateway, uint metric) =>
        new() { Family = AddressFamily.Inet6, Destination = dst, DestinationLength = len, OutputInterface = oif, Gateway = gateway, Priority = metric, Type = RouteType.Unicast, Table = RouteTable.Main };

    [TestMethod]
    public void TryFindSlot_SameDestinationAndMetric_Found_OtherMetricNot()
    {
        RouteInfo ours = V4Default(7);
        var table = new List<RouteInfo> { V4Default(3, InetAddress.V4(198, 51, 100, 131), metric: 100) };
        Assert.IsFalse(KernelRoute.TryFindSlot(ours, table, out _), "a default at metric 100 lives beside mapt's at 0");
        table.Add(V4Default(3, InetAddress.V4(198, 51, 100, 131)));
        Assert.IsTrue(KernelRoute.TryFindSlot(ours, table, out RouteInfo found));
        Assert.AreEqual(0u, found.Priority);
        Assert.IsFalse(KernelRoute.IsSame(ours, found));
    }

    [TestMethod]
    public void TryFindSlot_Ipv6WithoutMetric_MatchesTheKernels1024()
    {
        RouteInfo ours = V6(Dmr, 64, 2, Fe80, 0);
        var table = new List<RouteInfo> { V6(Dmr, 64, 2, Fe80, 1024), V6(Dmr, 48, 2, Fe80, 1024) };
        Assert.IsTrue(KernelRoute.TryFindSlot(ours, table, out RouteInfo found));
        Assert.AreEqual((byte)64, found.DestinationLength);
        Assert.IsTrue(KernelRoute.IsSame(ours, found), "same device and next hop: the operator's route already does mapt's job");
        Assert.IsFalse(KernelRoute.TryFindSlot(V6(InetAddress.V6(0x20010db8eeee0000, 0), 64, 2, Fe80, 0), table, out _), "another destination");
    }

    [TestMethod]
    public void TryFindSlot_RouteLearnedFromAnRa_NotCounted()
    {
        RouteInfo learned = V6(Dmr, 64, 2, Fe80, 1024);
        var table = new List<RouteInfo> { new() { Family = learned.Family, Destination = learned.Destination, DestinationLength = 64, OutputInterface = 2,
            Gateway = Fe80, Priority = 1024, Type = RouteType.Unicast, Protocol = RouteProtocol.Ra, Table = RouteTable.Main } };
        Assert.IsFalse(KernelRoute.TryFindSlot(V6(Dmr, 64, 2, Fe80, 0), table, out _), "the RA announces it again; a static copy would never expire");
    }

    [TestMethod]
    public void From_UnreachableDefault_ThroughTheJournalText_TheSameRoute()
    {
        var table = new List<RouteInfo> { V4Default(0, type: RouteType.Unreachable) };
        Assert.IsTrue(KernelRoute.TryFindSlot(V4Default(7), table, out RouteInfo found));
        Assert.IsFalse(KernelRoute.IsSame(V4Default(7), found));
        PlannedRoute theirs = KernelRoute.From(found, null);
        var restore = new RestoreRoute(theirs);
        Assert.AreEqual("route-restore default type 7", restore.Format());
        var back = (RestoreRoute)UndoStep.Parse(restore.Format(), out _)!;
        RouteInfo again = KernelRoute.Of(back.Route, 0);
        Assert.AreEqual((AddressFamily.Inet, (byte)0, RouteType.Unreachable), (again.Family, again.DestinationLength, again.Type));
    }

    [TestMethod]
    public void Of_ThenFrom_GatewayMetricMtuKept()
    {
        var route = new PlannedRoute(Samples.Dmr64, "wan0", Samples.Address6("fe80::1"), 512, 1400);
        RouteInfo kernel = KernelRoute.Of(route, 4);
        Assert.AreEqual((4, 512u, 1400u, (byte)64), (kernel.OutputInterface, kernel.Priority, kernel.Mtu, kernel.DestinationLength));
        Assert.AreEqual(route, KernelRoute.From(kernel, "wan0"));
    }
}
