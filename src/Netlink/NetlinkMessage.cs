using System;

namespace Mapt.Netlink;

/// <summary>One validated netlink message inside a received datagram (struct nlmsghdr + payload).</summary>
internal readonly ref struct NetlinkMessage
{
    public NetlinkMessage(ushort type, NlMsgFlags flags, uint sequence, uint portId, ReadOnlySpan<byte> payload)
    {
        Type = type;
        Flags = flags;
        Sequence = sequence;
        PortId = portId;
        Payload = payload;
    }

    public ushort Type { get; } // nlmsg_type
    public NlMsgFlags Flags { get; } // nlmsg_flags
    public uint Sequence { get; } // nlmsg_seq
    public uint PortId { get; } // nlmsg_pid
    public ReadOnlySpan<byte> Payload { get; } // nlmsg_len - sizeof(nlmsghdr) bytes

    /// <summary>The attributes after a fixed family header of <paramref name="fixedLength"/> bytes.</summary>
    public AttributeReader Attributes(int fixedLength) =>
        new(Payload.Length >= NetlinkWire.Align(fixedLength) ? Payload[NetlinkWire.Align(fixedLength)..] : default);
}
