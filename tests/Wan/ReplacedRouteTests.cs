using System.Collections.Generic;
using Mapt.Netlink;
using Mapt.Wan;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Wan;

[TestClass]
public sealed class ReplacedRouteTests
{
    private static readonly InetAddress Dmr = InetAddress.V6(0x20010db8ffff0000, 0);
    private static readonly InetAddress Fe80 = InetAddress.V6(0xfe80000000000000, 1);

    private static RouteInfo V4Default(int oif, InetAddress gateway = default, uint metric = 0, RouteType type = RouteType.Unicast) =>
        new() { Family = AddressFamily.Inet, DestinationLength = 0, OutputInterface = oif, Gateway = gateway, Priority = metric, Type = type, Table = RouteTable.Main };

    private static RouteInfo V6(InetAddress dst, byte len, int oif, InetAddress gateway, uint metric) =>
        new() { Family = AddressFamily.Inet6, Destination = dst, DestinationLength = len, OutputInterface = oif, Gateway = gateway, Priority = metric, Type = RouteType.Unicast, Table = RouteTable.Main };

    [TestMethod]
    public void TryFind_SameDestinationAndMetric_Found_OtherMetricNot()
    {
        RouteInfo ours = V4Default(7);
        var table = new List<RouteInfo> { V4Default(3, InetAddress.V4(198, 51, 100, 131), metric: 100) };
        Assert.IsFalse(ReplacedRoute.TryFind(ours, table, out _), "a default at metric 100 lives beside mapt's at 0");
        table.Add(V4Default(3, InetAddress.V4(198, 51, 100, 131)));
        Assert.IsTrue(ReplacedRoute.TryFind(ours, table, out RouteInfo found));
        Assert.AreEqual(0u, found.Priority);
        Assert.IsFalse(ReplacedRoute.IsSame(ours, found));
    }

    [TestMethod]
    public void TryFind_Ipv6WithoutMetric_MatchesTheKernels1024()
    {
        RouteInfo ours = V6(Dmr, 64, 2, Fe80, 0);
        var table = new List<RouteInfo> { V6(Dmr, 64, 2, Fe80, 1024), V6(Dmr, 48, 2, Fe80, 1024) };
        Assert.IsTrue(ReplacedRoute.TryFind(ours, table, out RouteInfo found));
        Assert.AreEqual((byte)64, found.DestinationLength);
        Assert.IsTrue(ReplacedRoute.IsSame(ours, found), "same device and next hop: the operator's route already does mapt's job");
        Assert.IsFalse(ReplacedRoute.TryFind(V6(InetAddress.V6(0x20010db8eeee0000, 0), 64, 2, Fe80, 0), table, out _), "another destination");
    }

    [TestMethod]
    public void TryFind_RouteLearnedFromAnRa_NotCounted()
    {
        RouteInfo learned = V6(Dmr, 64, 2, Fe80, 1024);
        var table = new List<RouteInfo> { new() { Family = learned.Family, Destination = learned.Destination, DestinationLength = 64, OutputInterface = 2,
            Gateway = Fe80, Priority = 1024, Type = RouteType.Unicast, Protocol = RouteProtocol.Ra, Table = RouteTable.Main } };
        Assert.IsFalse(ReplacedRoute.TryFind(V6(Dmr, 64, 2, Fe80, 0), table, out _), "the RA announces it again; a static copy would never expire");
    }

    [TestMethod]
    public void TryFind_UnreachableDefault_FoundAndNeverTheSame()
    {
        var table = new List<RouteInfo> { V4Default(0, type: RouteType.Unreachable) };
        Assert.IsTrue(ReplacedRoute.TryFind(V4Default(7), table, out RouteInfo found));
        Assert.IsFalse(ReplacedRoute.IsSame(V4Default(7), found));
        JournalEntry e = ReplacedRoute.Restore("0.0.0.0/0", found, null);
        Assert.AreEqual("RouteRestore 0.0.0.0/0 - - 0 7", e.ToString());
    }

    [TestMethod]
    public void Restore_ThroughTheJournalText_ReadsBackTheSameRoute()
    {
        RouteInfo found = V4Default(3, InetAddress.V4(198, 51, 100, 131), metric: 0);
        var journal = new Journal { Pid = 42, Wan = "wan0", MapDevice = "map0", Translator = "nat46", MapContent = "x", Entries = new List<JournalEntry> { ReplacedRoute.Restore("0.0.0.0/0", found, "lan0") } };
        Journal back = Journal.Parse(journal.Format(), out string? error);
        Assert.IsNull(error);
        JournalEntry e = back.Entries[0];
        Assert.AreEqual(UndoKind.RouteRestore, e.Kind);
        Assert.AreEqual("lan0", e.Arg(1));
        Assert.IsNull(ReplacedRoute.TryRead(e, out RouteInfo route));
        Assert.AreEqual(AddressFamily.Inet, route.Family);
        Assert.AreEqual((byte)0, route.DestinationLength);
        Assert.AreEqual(InetAddress.V4(198, 51, 100, 131), route.Gateway);
        Assert.AreEqual(RouteType.Unicast, route.Type);
    }

    [TestMethod]
    [DataRow("0.0.0.0/33", "-", "0", "1", "bad destination")]
    [DataRow("0.0.0.0/0", "198.51.100.300", "0", "1", "bad gateway")]
    [DataRow("0.0.0.0/0", "-", "x", "1", "bad metric or type")]
    [DataRow("0.0.0.0/0", "-", "0", "2", "bad metric or type")]
    public void TryRead_DamagedLine_SaysWhat(string destination, string gateway, string metric, string type, string reason)
    {
        JournalEntry e = JournalEntry.Of(UndoKind.RouteRestore, destination, "lan0", gateway, metric, type);
        StringAssert.StartsWith(ReplacedRoute.TryRead(e, out _), reason);
    }
}
