using System;
using System.Buffers.Binary;
using System.Collections.Generic;

namespace Mapt.Netlink;

public sealed partial class RtnlClient
{
    /// <summary>Every interface (RTM_GETLINK dump).</summary>
    public List<LinkInfo> DumpLinks()
    {
        var links = new List<LinkInfo>();
        Span<byte> buffer = stackalloc byte[RequestBufferLength];
        var w = new NetlinkWriter(buffer, (ushort)NlMsgType.GetLink, NlMsgFlags.Request | NlMsgFlags.Dump, _socket.NextSequence(), 0);
        w.Reserve(LinkInfo.FixedLength); // struct ifinfomsg, all zero: AF_UNSPEC, every index
        w.Finish();
        DumpConsistent(buffer[..w.Length], "dump links", (in NetlinkMessage m) =>
        {
            if (m.Type == (ushort)NlMsgType.NewLink && LinkInfo.TryRead(m, out LinkInfo link))
                links.Add(link);
        }, links.Clear);
        return links;
    }

    /// <summary>One interface by index; ENODEV when there is none.</summary>
    public LinkInfo GetLink(int index) => GetLink(index, null);

    /// <summary>One interface by name; ENODEV when there is none.</summary>
    public LinkInfo GetLink(string name) => GetLink(0, name);

    private LinkInfo GetLink(int index, string? name)
    {
        LinkInfo? found = null;
        Span<byte> buffer = stackalloc byte[RequestBufferLength];
        var w = new NetlinkWriter(buffer, (ushort)NlMsgType.GetLink, NlMsgFlags.Request | NlMsgFlags.Ack, _socket.NextSequence(), 0);
        WriteIfInfo(ref w, index, 0, 0);
        if (name is not null)
            w.String((ushort)LinkAttr.IfName, name);
        string operation = name is null ? "get link " + index.ToString() : "get link " + name;
        _socket.Request(w.Finish(), operation, (in NetlinkMessage m) =>
        {
            if (m.Type == (ushort)NlMsgType.NewLink && LinkInfo.TryRead(m, out LinkInfo link))
                found = link;
        });
        return found ?? throw new NetlinkException(operation, Errno.ENODEV, "no link in the answer");
    }

    /// <summary>Sets the interface administratively up or down (IFF_UP), like `ip link set up|down`.</summary>
    public void SetLinkUp(int index, bool up)
    {
        Span<byte> buffer = stackalloc byte[RequestBufferLength];
        var w = new NetlinkWriter(buffer, (ushort)NlMsgType.NewLink, NlMsgFlags.Request | NlMsgFlags.Ack, _socket.NextSequence(), 0);
        WriteIfInfo(ref w, index, up ? LinkFlags.Up : LinkFlags.None, LinkFlags.Up);
        _socket.Request(w.Finish(), string.Concat("set link ", index.ToString(), up ? " up" : " down"));
    }

    public void SetMtu(int index, uint mtu)
    {
        Span<byte> buffer = stackalloc byte[RequestBufferLength];
        var w = new NetlinkWriter(buffer, (ushort)NlMsgType.NewLink, NlMsgFlags.Request | NlMsgFlags.Ack, _socket.NextSequence(), 0);
        WriteIfInfo(ref w, index, 0, 0);
        w.U32((ushort)LinkAttr.Mtu, mtu);
        _socket.Request(w.Finish(), string.Concat("set link ", index.ToString(), " mtu ", mtu.ToString()));
    }

    private static void WriteIfInfo(ref NetlinkWriter w, int index, LinkFlags flags, LinkFlags change)
    {
        Span<byte> ifi = w.Reserve(LinkInfo.FixedLength); // struct ifinfomsg
        BinaryPrimitives.WriteInt32LittleEndian(ifi[4..], index); // ifi_index
        BinaryPrimitives.WriteUInt32LittleEndian(ifi[8..], (uint)flags); // ifi_flags
        BinaryPrimitives.WriteUInt32LittleEndian(ifi[12..], (uint)change); // ifi_change: which flags to set
    }
}
