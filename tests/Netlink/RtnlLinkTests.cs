using System.Collections.Generic;
using System.Text.Json;
using Mapt.Netlink;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Netlink;

[TestClass]
public sealed class RtnlLinkTests
{
    private static List<string> FlagsOf(JsonElement link)
    {
        var flags = new List<string>();
        foreach (JsonElement f in link.GetProperty("flags").EnumerateArray())
            flags.Add(f.GetString()!);
        return flags;
    }

    // iproute2's names for IF_OPER_* (ip/ipaddress.c oper_states).
    private static string OperState(LinkInfo link) => link.OperState switch
    {
        Mapt.Netlink.OperState.Unknown => "UNKNOWN",
        Mapt.Netlink.OperState.NotPresent => "NOTPRESENT",
        Mapt.Netlink.OperState.Down => "DOWN",
        Mapt.Netlink.OperState.LowerLayerDown => "LOWERLAYERDOWN",
        Mapt.Netlink.OperState.Testing => "TESTING",
        Mapt.Netlink.OperState.Dormant => "DORMANT",
        _ => "UP",
    };

    [TestMethod]
    public void DumpLinks_MatchesIpLinkShow()
    {
        using var lab = new NetlinkLab();
        List<LinkInfo> links = lab.Client.DumpLinks();
        JsonElement oracle = lab.Json("link show");
        Assert.AreEqual(oracle.GetArrayLength(), links.Count);
        foreach (JsonElement o in oracle.EnumerateArray())
        {
            LinkInfo? mine = links.Find(l => l.Index == o.GetProperty("ifindex").GetInt32());
            Assert.IsNotNull(mine, o.ToString());
            Assert.AreEqual(o.GetProperty("ifname").GetString(), mine.Name);
            Assert.AreEqual(o.GetProperty("mtu").GetUInt32(), mine.Mtu);
            Assert.AreEqual(o.GetProperty("operstate").GetString(), OperState(mine));
            List<string> flags = FlagsOf(o);
            Assert.AreEqual(flags.Contains("UP"), mine.IsUp, mine.Name);
            Assert.AreEqual(flags.Contains("LOWER_UP"), mine.HasCarrier, mine.Name);
            Assert.AreEqual(o.GetProperty("address").GetString(), mine.HardwareAddressText());
        }
    }

    [TestMethod]
    public void SetLinkUp_DownThenUp_ReadBackByIp()
    {
        using var lab = new NetlinkLab();
        lab.Client.SetLinkUp(lab.WanIndex, false);
        CollectionAssert.DoesNotContain(FlagsOf(lab.Json("link show dev wan0")[0]), "UP");
        Assert.IsFalse(lab.Client.GetLink(lab.WanIndex).IsUp);
        lab.Client.SetLinkUp(lab.WanIndex, true);
        CollectionAssert.Contains(FlagsOf(lab.Json("link show dev wan0")[0]), "UP");
        Assert.IsTrue(lab.Client.GetLink("wan0").IsUp);
    }

    [TestMethod]
    public void SetMtu_ReadBackByIp()
    {
        using var lab = new NetlinkLab();
        lab.Client.SetMtu(lab.WanIndex, 1420);
        Assert.AreEqual(1420, lab.Json("link show dev wan0")[0].GetProperty("mtu").GetInt32());
        Assert.AreEqual(1420u, lab.Client.GetLink(lab.WanIndex).Mtu);
    }

    [TestMethod]
    public void GetLink_PeerDown_CarrierGoneButAdminUp()
    {
        using var lab = new NetlinkLab();
        Assert.IsTrue(lab.Client.GetLink(lab.WanIndex).HasCarrier);
        lab.Peer.Sh("ip link set peer0 down");
        LinkInfo wan = lab.Client.GetLink(lab.WanIndex);
        Assert.IsTrue(wan.IsUp);
        Assert.IsFalse(wan.HasCarrier);
        Assert.IsFalse(wan.IsRunning);
        Assert.AreNotEqual(Mapt.Netlink.OperState.Up, wan.OperState);
        Assert.AreEqual(lab.Json("link show dev wan0")[0].GetProperty("operstate").GetString(), OperState(wan));
    }

    [TestMethod]
    public void GetLink_MissingName_ThrowsEnodev()
    {
        using var lab = new NetlinkLab();
        var e = Assert.ThrowsExactly<NetlinkException>(() => lab.Client.GetLink("nosuch0"));
        Assert.AreEqual(Errno.ENODEV, e.Errno);
        Assert.AreEqual("ENODEV", e.ErrnoName);
    }

    [TestMethod]
    public void SetMtu_BelowMinimum_ThrowsEinvalWithExtendedAck()
    {
        using var lab = new NetlinkLab();
        var e = Assert.ThrowsExactly<NetlinkException>(() => lab.Client.SetMtu(lab.WanIndex, 10));
        Assert.AreEqual(Errno.EINVAL, e.Errno);
        Assert.IsNotNull(e.ExtendedAck, e.Message);
        StringAssert.Contains(e.ExtendedAck.ToLowerInvariant(), "mtu");
        StringAssert.Contains(e.Message, e.ExtendedAck);
    }
}
