using System;
using System.Buffers.Binary;

namespace Mapt.Netlink;

/// <summary>
/// The one place that reads kernel errors: NLMSG_ERROR (struct nlmsgerr: int error, the
/// request's header, the request itself unless NLM_F_CAPPED, then extended-ack attributes when
/// NLM_F_ACK_TLVS) and the error a dump's NLMSG_DONE may carry.
/// </summary>
internal static class NetlinkError
{
    /// <summary><paramref name="errno"/> is positive (the kernel sends it negated); 0 is an ack.</summary>
    public static void Read(in NetlinkMessage message, out int errno, out string? extendedAck)
    {
        extendedAck = null;
        ReadOnlySpan<byte> p = message.Payload;
        if (p.Length < 4)
        {
            errno = Errno.EBADMSG;
            extendedAck = "truncated NLMSG_ERROR";
            return;
        }
        errno = -BinaryPrimitives.ReadInt32LittleEndian(p);
        if ((message.Flags & NlMsgFlags.AckTlvs) == 0 || p.Length < NetlinkWire.ErrorLength)
            return;
        int tlvs = NetlinkWire.ErrorLength;
        if ((message.Flags & NlMsgFlags.Capped) == 0)
        {
            // The whole request was echoed: skip it by its own nlmsg_len.
            uint echoed = BinaryPrimitives.ReadUInt32LittleEndian(p[4..]);
            if (echoed < NetlinkWire.HeaderLength || echoed > (uint)(p.Length - 4))
                return;
            tlvs = 4 + NetlinkWire.Align((int)echoed);
        }
        if (tlvs <= p.Length)
            extendedAck = ReadMessage(p[tlvs..]);
    }

    /// <summary>NLMSG_DONE: an int error (0 normally), then extended-ack attributes when flagged.</summary>
    public static void ReadDone(in NetlinkMessage message, out int errno, out string? extendedAck)
    {
        extendedAck = null;
        ReadOnlySpan<byte> p = message.Payload;
        errno = p.Length >= 4 ? -BinaryPrimitives.ReadInt32LittleEndian(p) : 0;
        if (errno != 0 && (message.Flags & NlMsgFlags.AckTlvs) != 0)
            extendedAck = ReadMessage(p[4..]);
    }

    private static string? ReadMessage(ReadOnlySpan<byte> attributes)
    {
        var reader = new AttributeReader(attributes);
        while (reader.MoveNext())
        {
            if (reader.Current.Type == (ushort)NlMsgErrAttr.Msg)
                return reader.Current.AsString();
        }
        return null;
    }
}
