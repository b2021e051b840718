using System;
using Mapt.Netlink;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Netlink;

[TestClass]
public sealed class MessageReaderTests
{
    // RTM_NEWLINK for "wan0" (index 3, UP|LOWER_UP|RUNNING, mtu 1500, operstate UP,
    // MAC 02:00:00:00:00:01) with an unknown attribute 0x7ff0 in the middle.
    private const string NewLink =
        "50000000" + "1000" + "0200" + "05000000" + "00000000"
        + "00000100" + "03000000" + "41000100" + "00000000" // ifinfomsg: ARPHRD_ETHER, index 3, flags
        + "0900" + "0300" + "77616E3000" + "000000" // IFLA_IFNAME
        + "0800" + "F07F" + "DEADBEEF" // unknown: ignored
        + "0800" + "0400" + "DC050000" // IFLA_MTU
        + "0500" + "1000" + "06" + "000000" // IFLA_OPERSTATE
        + "0A00" + "0100" + "020000000001" + "0000"; // IFLA_ADDRESS

    [TestMethod]
    public void MoveNext_NewLinkWithUnknownAttribute_ParsedAndUnknownIgnored()
    {
        var reader = new MessageReader(Convert.FromHexString(NewLink));
        Assert.IsTrue(reader.MoveNext());
        NetlinkMessage m = reader.Current;
        Assert.AreEqual((ushort)NlMsgType.NewLink, m.Type);
        Assert.AreEqual(5u, m.Sequence);
        Assert.IsTrue(LinkInfo.TryRead(m, out LinkInfo link));
        Assert.AreEqual(3, link.Index);
        Assert.AreEqual("wan0", link.Name);
        Assert.AreEqual(1500u, link.Mtu);
        Assert.AreEqual(OperState.Up, link.OperState);
        Assert.IsTrue(link.IsUp && link.HasCarrier && link.IsRunning);
        Assert.AreEqual("02:00:00:00:00:01", link.HardwareAddressText());
        Assert.IsFalse(reader.MoveNext());
        Assert.IsFalse(reader.Malformed);
    }

    [TestMethod]
    [DataRow("0F000000" + "1000000000000000000000")] // nlmsg_len below the header size
    [DataRow("49000000" + "1000000000000000000000000000")] // nlmsg_len beyond the datagram
    [DataRow("100000")] // a header cut short
    public void MoveNext_BadMessageLength_StopsMalformedWithoutThrowing(string hex)
    {
        var reader = new MessageReader(Convert.FromHexString(hex));
        Assert.IsFalse(reader.MoveNext());
        Assert.IsTrue(reader.Malformed);
        Assert.AreEqual(0, reader.ErrorOffset);
    }

    [TestMethod]
    public void MoveNext_SecondMessageBad_FirstDeliveredThenMalformedAtItsOffset()
    {
        byte[] two = Convert.FromHexString(NewLink + "FF000000" + "030000000000000000000000");
        var reader = new MessageReader(two);
        Assert.IsTrue(reader.MoveNext());
        Assert.IsFalse(reader.MoveNext());
        Assert.IsTrue(reader.Malformed);
        Assert.AreEqual(0x50, reader.ErrorOffset);
    }

    [TestMethod]
    [DataRow("0300" + "0100")] // nla_len below the attribute header
    [DataRow("0900" + "0100" + "0000")] // nla_len beyond the bytes left
    public void AttributeReader_BadLength_Malformed(string hex)
    {
        var reader = new AttributeReader(Convert.FromHexString(hex));
        Assert.IsFalse(reader.MoveNext());
        Assert.IsTrue(reader.Malformed);
    }

    [TestMethod]
    public void LinkInfo_TryRead_MalformedAttribute_False()
    {
        byte[] bytes = Convert.FromHexString(NewLink);
        bytes[0x20] = 0x40; // IFLA_IFNAME claims 64 bytes
        var reader = new MessageReader(bytes);
        Assert.IsTrue(reader.MoveNext());
        Assert.IsFalse(LinkInfo.TryRead(reader.Current, out _));
    }

    [TestMethod]
    public void RouteInfo_TryRead_ShortValues_IgnoredNotThrown()
    {
        // rtmsg AF_INET /24 table main, RTA_DST with 3 bytes (not an address), RTA_OIF with 2 bytes.
        byte[] bytes = Convert.FromHexString("2C000000" + "1800" + "0000" + "00000000" + "00000000"
            + "02180000FE040001" + "00000000" + "0700" + "0100" + "C0000200" + "0600" + "0400" + "0300" + "0000");
        var reader = new MessageReader(bytes);
        Assert.IsTrue(reader.MoveNext());
        Assert.IsTrue(RouteInfo.TryRead(reader.Current, out RouteInfo r));
        Assert.IsFalse(r.Destination.IsSet);
        Assert.AreEqual(0, r.OutputInterface);
        Assert.AreEqual(RouteTable.Main, r.Table);
        Assert.AreEqual(RouteScope.Universe, r.Scope);
        Assert.AreEqual(RouteType.Unicast, r.Type);
    }

    [TestMethod]
    public void NetlinkError_CappedAckWithExtendedAck_ErrnoAndText()
    {
        // NLMSG_ERROR, flags CAPPED|ACK_TLVS, error -17, the request's header, NLMSGERR_ATTR_MSG "File exists".
        byte[] bytes = Convert.FromHexString("34000000" + "0200" + "0003" + "09000000" + "00000000"
            + "EFFFFFFF" + "20000000" + "18000506" + "09000000" + "00000000"
            + "1000" + "0100" + "46696C652065786973747300" + "0800" + "0200" + "14000000");
        var reader = new MessageReader(bytes);
        Assert.IsTrue(reader.MoveNext());
        NetlinkError.Read(reader.Current, out int errno, out string? text);
        Assert.AreEqual(Errno.EEXIST, errno);
        Assert.AreEqual("File exists", text);
    }

    [TestMethod]
    public void NetlinkError_Ack_ZeroAndNoText()
    {
        byte[] bytes = Convert.FromHexString("24000000" + "0200" + "0001" + "09000000" + "00000000"
            + "00000000" + "20000000" + "18000506" + "09000000" + "00000000");
        var reader = new MessageReader(bytes);
        Assert.IsTrue(reader.MoveNext());
        NetlinkError.Read(reader.Current, out int errno, out string? text);
        Assert.AreEqual(0, errno);
        Assert.IsNull(text);
    }

    [TestMethod]
    [DataRow(Errno.EEXIST, "EEXIST")]
    [DataRow(Errno.ENODEV, "ENODEV")]
    [DataRow(Errno.ESRCH, "ESRCH")]
    [DataRow(Errno.EPERM, "EPERM")]
    [DataRow(Errno.EADDRNOTAVAIL, "EADDRNOTAVAIL")]
    [DataRow(4095, "errno 4095")]
    public void ErrnoName_KnownAndUnknown(int errno, string name) => Assert.AreEqual(name, Errno.Name(errno));

    [TestMethod]
    public void InetAddress_ConvertsToAndFromMaptNet()
    {
        Assert.IsTrue(Mapt.Net.Ipv6Address.TryParse("2001:db8::1:2", out Mapt.Net.Ipv6Address v6));
        InetAddress a = InetAddress.From(v6);
        Assert.AreEqual("2001:0db8:0000:0000:0000:0000:0001:0002", a.ToString());
        Assert.AreEqual(v6, a.ToIpv6());
        var v4 = new Mapt.Net.Ipv4Address(192, 0, 2, 7);
        Assert.AreEqual("192.0.2.7", InetAddress.From(v4).ToString());
        Assert.AreEqual(v4, InetAddress.From(v4).ToIpv4());
        Assert.ThrowsExactly<InvalidOperationException>(() => a.ToIpv4());
    }

    [TestMethod]
    [DataRow("192.0.2.1")]
    [DataRow("2001:0db8:0000:0000:0000:0000:0000:0001")]
    public void InetAddress_RoundTripsThroughWireBytes(string text)
    {
        byte[] bytes = System.Net.IPAddress.Parse(text).GetAddressBytes();
        Assert.IsTrue(InetAddress.TryRead(bytes, out InetAddress a));
        Assert.AreEqual(text, a.ToString());
        byte[] back = new byte[a.Length];
        a.Write(back);
        CollectionAssert.AreEqual(bytes, back);
    }
}
