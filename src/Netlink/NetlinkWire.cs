namespace Mapt.Netlink;

/// <summary>Sizes and the one alignment rule of the netlink wire format (linux/netlink.h).</summary>
internal static class NetlinkWire
{
    public const int HeaderLength = 16; // sizeof(struct nlmsghdr)
    public const int AttributeHeaderLength = 4; // sizeof(struct nlattr) == sizeof(struct rtattr)
    public const int ErrorLength = 4 + HeaderLength; // sizeof(struct nlmsgerr): int error + the request's header

    public const ushort AttributeNested = 0x8000; // NLA_F_NESTED
    public const ushort AttributeNetByteOrder = 0x4000; // NLA_F_NET_BYTEORDER
    public const ushort AttributeTypeMask = 0x3fff; // NLA_TYPE_MASK

    /// <summary>NLMSG_ALIGN and NLA_ALIGN are the same rule: round up to 4 bytes.</summary>
    public static int Align(int length) => (length + 3) & ~3;
}
