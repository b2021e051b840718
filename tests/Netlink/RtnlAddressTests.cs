using System.Collections.Generic;
using System.Net;
using System.Text.Json;
using Mapt.Netlink;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Netlink;

[TestClass]
public sealed class RtnlAddressTests
{
    internal static InetAddress Parse(string text)
    {
        byte[] b = IPAddress.Parse(text).GetAddressBytes();
        Assert.IsTrue(InetAddress.TryRead(b, out InetAddress a));
        return a;
    }

    internal static string AddressText(InetAddress a)
    {
        var bytes = new byte[a.Length];
        a.Write(bytes);
        return new IPAddress(bytes).ToString();
    }

    [TestMethod]
    public void DumpAddresses_BothFamilies_MatchIpAddrShow()
    {
        using var lab = new NetlinkLab();
        lab.Ce.Sh("ip addr add 192.0.2.10/24 dev wan0 && ip addr add 2001:db8:1::10/64 dev wan0 nodad && ip addr add 2001:db8:2::10/64 dev wan0 preferred_lft 0");
        List<AddressInfo> mine = lab.Client.DumpAddresses();
        int expected = 0;
        foreach (JsonElement link in lab.Json("addr show").EnumerateArray())
        {
            int index = link.GetProperty("ifindex").GetInt32();
            foreach (JsonElement o in link.GetProperty("addr_info").EnumerateArray())
            {
                expected++;
                string local = o.GetProperty("local").GetString()!;
                AddressInfo? a = mine.Find(x => x.Index == index && AddressText(x.Address) == local);
                Assert.IsNotNull(a, local);
                Assert.AreEqual(o.GetProperty("prefixlen").GetInt32(), a.PrefixLength, local);
                Assert.AreEqual(o.TryGetProperty("deprecated", out _), (a.Flags & AddressFlags.Deprecated) != 0, local);
                Assert.AreEqual(o.TryGetProperty("tentative", out _), (a.Flags & AddressFlags.Tentative) != 0, local);
                Assert.AreEqual(o.TryGetProperty("dadfailed", out _), (a.Flags & AddressFlags.DadFailed) != 0, local);
                string family = o.GetProperty("family").GetString()!;
                Assert.AreEqual(family == "inet" ? AddressFamily.Inet : AddressFamily.Inet6, a.Family);
            }
        }
        Assert.AreEqual(expected, mine.Count);
        Assert.IsTrue(mine.Exists(x => AddressText(x.Address) == "2001:db8:2::10" && (x.Flags & AddressFlags.Deprecated) != 0), "preferred_lft 0 is deprecated");
        Assert.AreEqual(3, lab.Client.DumpAddresses(AddressFamily.Unspec, lab.WanIndex).FindAll(x => x.Scope == RouteScope.Universe).Count);
        Assert.IsTrue(lab.Client.DumpAddresses(AddressFamily.Inet).TrueForAll(x => x.Family == AddressFamily.Inet));
    }

    [TestMethod]
    public void DumpAddresses_DadRunning_Tentative_ThenDuplicateIsDadFailed()
    {
        using var lab = new NetlinkLab();
        // The peer owns the address, so our DAD must fail (RFC 4862 section 5.4.5).
        lab.Peer.Sh("ip addr add 2001:db8::77/64 dev peer0 nodad");
        lab.Client.AddAddress(lab.WanIndex, Parse("2001:db8::77"), 64);
        AddressInfo first = lab.Client.DumpAddresses(AddressFamily.Inet6, lab.WanIndex).Find(x => AddressText(x.Address) == "2001:db8::77")!;
        Assert.AreNotEqual(AddressFlags.None, first.Flags & (AddressFlags.Tentative | AddressFlags.DadFailed));
        Assert.IsFalse(first.IsUsable);
        AddressInfo later = first;
        for (int i = 0; i < 50 && (later.Flags & AddressFlags.DadFailed) == 0; i++)
        {
            System.Threading.Thread.Sleep(100);
            later = lab.Client.DumpAddresses(AddressFamily.Inet6, lab.WanIndex).Find(x => AddressText(x.Address) == "2001:db8::77")!;
        }
        Assert.AreNotEqual(AddressFlags.None, later.Flags & AddressFlags.DadFailed);
        bool oracleSaysFailed = false;
        foreach (JsonElement o in lab.Json("addr show dev wan0")[0].GetProperty("addr_info").EnumerateArray())
            if (o.GetProperty("local").GetString() == "2001:db8::77")
                oracleSaysFailed = o.TryGetProperty("dadfailed", out _);
        Assert.IsTrue(oracleSaysFailed);
    }

    [TestMethod]
    public void AddAddress_ThenRemove_ReadBackByIp()
    {
        using var lab = new NetlinkLab();
        lab.Client.AddAddress(lab.WanIndex, Parse("192.0.2.20"), 24);
        lab.Client.AddAddress(lab.WanIndex, Parse("2001:db8::20"), 64, AddressFlags.NoDad, validLifetime: 3600, preferredLifetime: 1800);
        string shown = lab.Ce.Sh("ip -j addr show dev wan0");
        StringAssert.Contains(shown, "\"local\":\"192.0.2.20\",\"prefixlen\":24");
        StringAssert.Contains(shown, "\"local\":\"2001:db8::20\",\"prefixlen\":64");
        foreach (JsonElement o in lab.Json("addr show dev wan0")[0].GetProperty("addr_info").EnumerateArray())
            if (o.GetProperty("local").GetString() == "2001:db8::20")
            {
                Assert.IsTrue(o.GetProperty("valid_life_time").GetInt64() is > 3500 and <= 3600);
                Assert.IsTrue(o.GetProperty("preferred_life_time").GetInt64() is > 1700 and <= 1800);
                Assert.IsFalse(o.TryGetProperty("tentative", out _), "nodad was not honoured");
            }
        lab.Client.RemoveAddress(lab.WanIndex, Parse("192.0.2.20"), 24);
        lab.Client.RemoveAddress(lab.WanIndex, Parse("2001:db8::20"), 64);
        shown = lab.Ce.Sh("ip -j addr show dev wan0");
        Assert.IsFalse(shown.Contains("192.0.2.20"), shown);
        Assert.IsFalse(shown.Contains("2001:db8::20"), shown);
    }

    [TestMethod]
    public void AddAddress_Duplicate_ThrowsEexist()
    {
        using var lab = new NetlinkLab();
        lab.Client.AddAddress(lab.WanIndex, Parse("192.0.2.30"), 24);
        var e = Assert.ThrowsExactly<NetlinkException>(() => lab.Client.AddAddress(lab.WanIndex, Parse("192.0.2.30"), 24));
        Assert.AreEqual(Errno.EEXIST, e.Errno);
        StringAssert.Contains(e.Message, "EEXIST");
    }

    [TestMethod]
    [DataRow("192.0.2.99", (byte)24)]
    [DataRow("2001:db8::99", (byte)64)]
    public void RemoveAddress_Missing_ThrowsEaddrnotavail(string address, byte prefixLength)
    {
        using var lab = new NetlinkLab();
        var e = Assert.ThrowsExactly<NetlinkException>(() => lab.Client.RemoveAddress(lab.WanIndex, Parse(address), prefixLength));
        Assert.AreEqual(Errno.EADDRNOTAVAIL, e.Errno, e.Message);
        Assert.AreEqual("EADDRNOTAVAIL", e.ErrnoName);
    }

    [TestMethod]
    public void AddAddress_MissingDevice_ThrowsEnodevWithExtendedAck()
    {
        using var lab = new NetlinkLab();
        var e = Assert.ThrowsExactly<NetlinkException>(() => lab.Client.AddAddress(9999, Parse("192.0.2.40"), 24));
        Assert.AreEqual(Errno.ENODEV, e.Errno, e.Message);
    }
}
