namespace Mapt.Netlink;

/// <summary>Attributes after struct ifinfomsg (IFLA_*, linux/if_link.h); only those mapt reads or writes.</summary>
internal enum LinkAttr : ushort
{
    Address = 1, // IFLA_ADDRESS: hardware address
    Broadcast = 2, // IFLA_BROADCAST
    IfName = 3, // IFLA_IFNAME
    Mtu = 4, // IFLA_MTU
    Link = 5, // IFLA_LINK
    OperState = 16, // IFLA_OPERSTATE
    LinkMode = 17, // IFLA_LINKMODE
    ExtMask = 29, // IFLA_EXT_MASK
}
