using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading;
using Mapt.Netlink;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static Mapt.Tests.Netlink.RtnlAddressTests;
using AddressFamily = Mapt.Netlink.AddressFamily;

namespace Mapt.Tests.Netlink;

[TestClass]
public sealed class RtnlRouteTests
{
    private static NetlinkLab Lab()
    {
        var lab = new NetlinkLab();
        lab.Ce.Sh("ip addr add 192.0.2.10/24 dev wan0 && ip addr add 2001:db8:1::10/64 dev wan0 nodad");
        return lab;
    }

    /// <summary>What `ip -j route show` prints as "dst" for a route.</summary>
    private static string Dst(RouteInfo r)
    {
        if (r.IsDefault)
            return "default";
        string a = AddressText(r.Destination);
        return r.DestinationLength == (r.Family == AddressFamily.Inet ? 32 : 128) ? a : a + "/" + r.DestinationLength;
    }

    private static void AssertSameAsIp(NetlinkLab lab, List<RouteInfo> mine, string ipArgs)
    {
        JsonElement oracle = lab.Json(ipArgs);
        var unmatched = new List<RouteInfo>(mine);
        foreach (JsonElement o in oracle.EnumerateArray())
        {
            string dst = o.GetProperty("dst").GetString()!;
            string type = o.TryGetProperty("type", out JsonElement t) ? t.GetString()! : "unicast";
            int i = unmatched.FindIndex(r => Dst(r) == dst && (type != "unicast" || r.Type == RouteType.Unicast));
            Assert.IsTrue(i >= 0, $"{ipArgs}: {o} not in the client's dump");
            RouteInfo r = unmatched[i];
            unmatched.RemoveAt(i);
            if (o.TryGetProperty("gateway", out JsonElement gw))
                Assert.AreEqual(gw.GetString(), AddressText(r.Gateway), dst);
            else
                Assert.IsFalse(r.Gateway.IsSet, dst);
            if (o.TryGetProperty("dev", out JsonElement dev))
                Assert.AreEqual(lab.Json("link show dev " + dev.GetString())[0].GetProperty("ifindex").GetInt32(), r.OutputInterface, dst);
            Assert.AreEqual(o.TryGetProperty("metric", out JsonElement m) ? m.GetUInt32() : 0u, r.Priority, dst);
            if (o.TryGetProperty("metrics", out JsonElement metrics))
                foreach (JsonElement x in metrics.EnumerateArray())
                    if (x.TryGetProperty("mtu", out JsonElement mtu))
                        Assert.AreEqual(mtu.GetUInt32(), r.Mtu, dst);
        }
        Assert.AreEqual(0, unmatched.Count, ipArgs + ": the client saw routes ip did not: " + string.Join("; ", unmatched));
    }

    [TestMethod]
    public void DumpRoutes_MainAndGivenTable_BothFamilies_MatchIpRouteShow()
    {
        using NetlinkLab lab = Lab();
        lab.Ce.Sh("ip route add 198.51.100.0/24 via 192.0.2.1 metric 50 && ip route add default via 192.0.2.1 "
            + "&& ip route add 203.0.113.0/24 dev wan0 table 100 && ip route add 203.0.113.7 via 192.0.2.2 table 100 mtu 1400 "
            + "&& ip -6 route add 2001:db8:99::/48 via 2001:db8:1::1 mtu 1380 && ip -6 route add 2001:db8:98::/48 dev wan0 table 100");
        AssertSameAsIp(lab, lab.Client.DumpRoutes(AddressFamily.Inet), "-4 route show table main");
        AssertSameAsIp(lab, lab.Client.DumpRoutes(AddressFamily.Inet6), "-6 route show table main");
        AssertSameAsIp(lab, lab.Client.DumpRoutes(AddressFamily.Inet, 100), "-4 route show table 100");
        AssertSameAsIp(lab, lab.Client.DumpRoutes(AddressFamily.Inet6, 100), "-6 route show table 100");
        Assert.IsTrue(lab.Client.DumpRoutes(AddressFamily.Unspec, 100).TrueForAll(r => r.Table == 100));
        Assert.AreEqual(lab.Json("-4 route show table 100").GetArrayLength() + lab.Json("-6 route show table 100").GetArrayLength(),
            lab.Client.DumpRoutes(AddressFamily.Unspec, 100).Count);
    }

    [TestMethod]
    public void AddReplaceRemove_Ipv4WithMetricAndMtu_ReadBackByIp()
    {
        using NetlinkLab lab = Lab();
        var route = new RouteInfo
        {
            Destination = Parse("198.51.100.0"), DestinationLength = 24, Gateway = Parse("192.0.2.1"),
            OutputInterface = lab.WanIndex, Priority = 20, Mtu = 1400,
        };
        lab.Client.AddRoute(route);
        JsonElement shown = lab.Json("route show 198.51.100.0/24")[0];
        Assert.AreEqual("192.0.2.1", shown.GetProperty("gateway").GetString());
        Assert.AreEqual(20, shown.GetProperty("metric").GetInt32());
        Assert.AreEqual(1400, shown.GetProperty("metrics")[0].GetProperty("mtu").GetInt32());

        lab.Client.ReplaceRoute(route with { Gateway = Parse("192.0.2.2"), Mtu = 1300 });
        JsonElement all = lab.Json("route show 198.51.100.0/24");
        Assert.AreEqual(1, all.GetArrayLength());
        Assert.AreEqual("192.0.2.2", all[0].GetProperty("gateway").GetString());
        Assert.AreEqual(1300, all[0].GetProperty("metrics")[0].GetProperty("mtu").GetInt32());

        lab.Client.RemoveRoute(route with { Gateway = default, Mtu = 0 });
        Assert.AreEqual(0, lab.Json("route show 198.51.100.0/24").GetArrayLength());
    }

    [TestMethod]
    public void AddRemove_Ipv6InGivenTable_ReadBackByIp()
    {
        using NetlinkLab lab = Lab();
        var route = new RouteInfo
        {
            Destination = Parse("2001:db8:77::"), DestinationLength = 48, Gateway = Parse("2001:db8:1::1"),
            OutputInterface = lab.WanIndex, Table = 4242, Priority = 300, Mtu = 1280,
        };
        lab.Client.AddRoute(route);
        JsonElement shown = lab.Json("-6 route show table 4242")[0];
        Assert.AreEqual("2001:db8:77::/48", shown.GetProperty("dst").GetString());
        Assert.AreEqual("2001:db8:1::1", shown.GetProperty("gateway").GetString());
        Assert.AreEqual(300, shown.GetProperty("metric").GetInt32());
        Assert.AreEqual(1280, shown.GetProperty("metrics")[0].GetProperty("mtu").GetInt32());
        Assert.AreEqual(0, lab.Json("-6 route show 2001:db8:77::/48").GetArrayLength(), "leaked into main");
        lab.Client.RemoveRoute(route);
        Assert.AreEqual(0, lab.Json("-6 route show table 4242").GetArrayLength());
    }

    [TestMethod]
    [DataRow("198.51.100.0", (byte)24)]
    [DataRow("2001:db8:66::", (byte)48)]
    public void AddRoute_MissingDevice_ThrowsEnodev(string destination, byte length)
    {
        using NetlinkLab lab = Lab();
        var e = Assert.ThrowsExactly<NetlinkException>(() => lab.Client.AddRoute(new RouteInfo
        {
            Destination = Parse(destination), DestinationLength = length, OutputInterface = 9999,
        }));
        Assert.AreEqual(Errno.ENODEV, e.Errno, e.Message);
        if (e.ExtendedAck is not null)
            StringAssert.Contains(e.Message, e.ExtendedAck);
    }

    [TestMethod]
    public void AddRoute_LinkLocalGatewayWithoutDevice_ThrowsWithExtendedAck()
    {
        using NetlinkLab lab = Lab();
        var e = Assert.ThrowsExactly<NetlinkException>(() => lab.Client.AddRoute(new RouteInfo
        {
            Destination = Parse("2001:db8:66::"), DestinationLength = 48, Gateway = Parse("fe80::1"),
        }));
        // The same text `ip -6 route add 2001:db8:66::/48 via fe80::1` prints after "Error:".
        string ip = lab.Ce.Try("ip -6 route add 2001:db8:66::/48 via fe80::1").Stderr.Trim();
        Assert.AreEqual(Errno.EINVAL, e.Errno, e.Message);
        Assert.AreEqual(ip, "Error: " + e.ExtendedAck + ".");
    }

    [TestMethod]
    public void AddRoute_Duplicate_ThrowsEexist()
    {
        using NetlinkLab lab = Lab();
        var route = new RouteInfo { Destination = Parse("2001:db8:55::"), DestinationLength = 48, OutputInterface = lab.WanIndex };
        lab.Client.AddRoute(route);
        var e = Assert.ThrowsExactly<NetlinkException>(() => lab.Client.AddRoute(route));
        Assert.AreEqual(Errno.EEXIST, e.Errno, e.Message);
    }

    [TestMethod]
    public void RemoveRoute_Missing_ThrowsEsrch()
    {
        using NetlinkLab lab = Lab();
        var e = Assert.ThrowsExactly<NetlinkException>(() => lab.Client.RemoveRoute(new RouteInfo
        {
            Destination = Parse("198.51.100.0"), DestinationLength = 24, OutputInterface = lab.WanIndex,
        }));
        Assert.AreEqual(Errno.ESRCH, e.Errno, e.Message);
        Assert.AreEqual("ESRCH", e.ErrnoName);
    }

    [TestMethod]
    public void FindRaDefaultRoute_RealRouterAdvertisement_FoundWithGatewayAndProtoRa()
    {
        using NetlinkLab lab = Lab();
        lab.Ce.Sh("sysctl -qw net.ipv6.conf.wan0.accept_ra=2 net.ipv6.conf.wan0.accept_ra_defrtr=1");
        Assert.IsNull(lab.Client.FindRaDefaultRoute(lab.WanIndex));
        // A static default route is not the RA one.
        lab.Ce.Sh("ip -6 route add default via 2001:db8:1::1 dev wan0 metric 2000");
        Assert.IsNull(lab.Client.FindRaDefaultRoute(lab.WanIndex));

        lab.Peer.Sh("ip addr add fe80::1/64 dev peer0 nodad");
        int peerIndex = JsonDocument.Parse(lab.Peer.Sh("ip -j link show dev peer0")).RootElement[0].GetProperty("ifindex").GetInt32();
        RouteInfo? found = null;
        for (int attempt = 0; attempt < 20 && found is null; attempt++)
        {
            SendRouterAdvertisement(lab, peerIndex);
            Thread.Sleep(100);
            found = lab.Client.FindRaDefaultRoute(lab.WanIndex);
        }
        Assert.IsNotNull(found, lab.Ce.Sh("ip -6 route show"));
        Assert.AreEqual("fe80::1", AddressText(found.Value.Gateway));
        Assert.AreEqual(RouteProtocol.Ra, found.Value.Protocol);
        JsonElement oracle = lab.Json("-6 route show default proto ra");
        Assert.AreEqual(1, oracle.GetArrayLength());
        Assert.AreEqual("fe80::1", oracle[0].GetProperty("gateway").GetString());
        Assert.AreEqual(oracle[0].GetProperty("metric").GetUInt32(), found.Value.Priority);
    }

    /// <summary>An RFC 4861 section 4.2 Router Advertisement (router lifetime 1800 s, no options) from peer0 to ff02::1.</summary>
    private static void SendRouterAdvertisement(NetlinkLab lab, int peerIndex)
    {
        using (lab.Peer.Enter())
        {
            using var s = new Socket(System.Net.Sockets.AddressFamily.InterNetworkV6, SocketType.Raw, ProtocolType.IcmpV6);
            s.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastTimeToLive, 255);
            s.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastInterface, peerIndex);
            byte[] ra = { 134, 0, 0, 0, 64, 0, 0x07, 0x08, 0, 0, 0, 0, 0, 0, 0, 0 };
            s.SendTo(ra, new IPEndPoint(IPAddress.Parse("ff02::1%" + peerIndex), 0));
        }
    }
}
