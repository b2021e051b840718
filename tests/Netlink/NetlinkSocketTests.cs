using System;
using Mapt.Netlink;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Netlink;

[TestClass]
public sealed class NetlinkSocketTests
{
    [TestMethod]
    public void Request_StaleAnswerToEarlierSequenceQueued_IgnoredAndRightAnswerReturned()
    {
        using var lab = new NetlinkLab();
        NetlinkSocket socket = lab.Client.Socket;
        Assert.AreNotEqual(0u, socket.PortId);
        // A GETLINK for "lo" whose answer nobody waits for (as after a timed-out request).
        Span<byte> buffer = stackalloc byte[128];
        var w = new NetlinkWriter(buffer, (ushort)NlMsgType.GetLink, NlMsgFlags.Request | NlMsgFlags.Ack, socket.NextSequence(), 0);
        w.Reserve(LinkInfo.FixedLength);
        w.String((ushort)LinkAttr.IfName, "lo");
        socket.Send(w.Finish(), "stale request");
        Assert.IsTrue(socket.WaitReadable(1000));

        LinkInfo wan = lab.Client.GetLink(lab.WanIndex);
        Assert.AreEqual("wan0", wan.Name);
        Assert.AreEqual(Errno.EAGAIN, socket.TryReceive(out _), "the stale answer was left queued");
    }

    [TestMethod]
    public void Dump_LargerThanOneDatagram_NothingTruncated()
    {
        using var lab = new NetlinkLab();
        lab.Ce.Sh("ip addr add 192.0.2.10/24 dev wan0");
        var batch = new System.Text.StringBuilder();
        for (int i = 0; i < 2000; i++)
            batch.Append("route add 10.").Append(i / 250).Append('.').Append(i % 250).Append(".0/24 via 192.0.2.1\n");
        string file = "/tmp/" + lab.Ce.Name + ".batch";
        System.IO.File.WriteAllText(file, batch.ToString());
        try
        {
            lab.Ce.Sh("ip -batch " + file);
        }
        finally
        {
            System.IO.File.Delete(file);
        }
        var routes = lab.Client.DumpRoutes(Mapt.Netlink.AddressFamily.Inet);
        Assert.AreEqual(lab.Json("-4 route show").GetArrayLength(), routes.Count);
        Assert.AreEqual(2000, routes.FindAll(r => r.Gateway.IsSet && r.DestinationLength == 24).Count);
    }

    [TestMethod]
    public void Open_StrictChecking_DumpWithBadHeaderRefusedWithExtendedAck()
    {
        using var lab = new NetlinkLab();
        NetlinkSocket socket = lab.Client.Socket;
        // An address dump must not set ifa_prefixlen; only NETLINK_GET_STRICT_CHK makes the kernel say so.
        Span<byte> buffer = stackalloc byte[64];
        var w = new NetlinkWriter(buffer, (ushort)NlMsgType.GetAddr, NlMsgFlags.Request | NlMsgFlags.Dump, socket.NextSequence(), 0);
        w.Reserve(8)[1] = 24;
        w.Finish();
        byte[] request = buffer[..w.Length].ToArray();
        var e = Assert.ThrowsExactly<NetlinkException>(() => socket.Dump(request, "bad dump", (in NetlinkMessage m) => { }));
        Assert.AreEqual(Errno.EINVAL, e.Errno);
        Assert.IsNotNull(e.ExtendedAck, e.Message);
        StringAssert.Contains(e.ExtendedAck, "header");
        // The socket is still usable afterwards.
        Assert.AreEqual("wan0", lab.Client.GetLink(lab.WanIndex).Name);
    }
}
