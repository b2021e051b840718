using System;
using Mapt.Netlink;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Netlink;

[TestClass]
public sealed class NetlinkWriterTests
{
    [TestMethod]
    public void Finish_HeaderFixedPartAndAttributes_AlignedWithZeroPadding()
    {
        Span<byte> buffer = stackalloc byte[64];
        buffer.Fill(0xEE); // whatever was there must not leak into padding
        var w = new NetlinkWriter(buffer, (ushort)NlMsgType.NewLink, NlMsgFlags.Request | NlMsgFlags.Ack, 0x01020304, 7);
        w.Reserve(3)[0] = 0xAA;
        w.String((ushort)LinkAttr.IfName, "ab");
        w.U32((ushort)LinkAttr.Mtu, 1500);
        byte[] message = w.Finish().ToArray();
        Assert.AreEqual(
            "24000000" + "1000" + "0500" + "04030201" + "07000000" // nlmsghdr: len 40, RTM_NEWLINK, REQUEST|ACK, seq, pid
            + "AA000000" // 3 fixed bytes + 1 zero pad
            + "0700" + "0300" + "616200" + "00" // IFLA_IFNAME "ab\0" + pad
            + "0800" + "0400" + "DC050000", // IFLA_MTU 1500
            Convert.ToHexString(message));
    }

    [TestMethod]
    public void EndNested_FillsLengthAndSetsNestedFlag()
    {
        Span<byte> buffer = stackalloc byte[64];
        var w = new NetlinkWriter(buffer, 24, NlMsgFlags.Request, 1, 0);
        int token = w.BeginNested((ushort)RouteAttr.Metrics);
        w.U32((ushort)RouteMetric.Mtu, 1400);
        w.U8(99, 1);
        w.EndNested(token);
        byte[] message = w.Finish().ToArray();
        Assert.AreEqual("1400" + "0880" + "0800" + "0200" + "78050000" + "0500" + "6300" + "01000000",
            Convert.ToHexString(message.AsSpan(16)));
        Assert.AreEqual(36, BitConverter.ToInt32(message, 0));
    }

    [TestMethod]
    public void Reserve_BeyondBuffer_ThrowsInvalidOperation()
    {
        byte[] buffer = new byte[24];
        Assert.ThrowsExactly<InvalidOperationException>(() =>
        {
            var w = new NetlinkWriter(buffer, 16, NlMsgFlags.Request, 1, 0);
            w.Reserve(9);
        });
    }

    [TestMethod]
    public void Attribute_ValueOver64K_ThrowsOverflow()
    {
        byte[] buffer = new byte[70000];
        Assert.ThrowsExactly<OverflowException>(() =>
        {
            var w = new NetlinkWriter(buffer, 16, NlMsgFlags.Request, 1, 0);
            w.Attribute(1, 65533);
        });
    }

    [TestMethod]
    [DataRow(0, 0)]
    [DataRow(1, 4)]
    [DataRow(4, 4)]
    [DataRow(5, 8)]
    [DataRow(16, 16)]
    public void Align_RoundsUpToFour(int length, int aligned) => Assert.AreEqual(aligned, NetlinkWire.Align(length));
}
