namespace Mapt.Netlink;

/// <summary>Attributes after struct ifaddrmsg (IFA_*, linux/if_addr.h).</summary>
internal enum AddrAttr : ushort
{
    Address = 1, // IFA_ADDRESS: the peer on point-to-point links, else the address
    Local = 2, // IFA_LOCAL: the local address (IPv4)
    Label = 3, // IFA_LABEL
    Broadcast = 4, // IFA_BROADCAST
    Anycast = 5, // IFA_ANYCAST
    CacheInfo = 6, // IFA_CACHEINFO: struct ifa_cacheinfo
    Multicast = 7, // IFA_MULTICAST
    Flags = 8, // IFA_FLAGS: u32, supersedes the 8-bit ifa_flags
    RtPriority = 9, // IFA_RT_PRIORITY
    Proto = 11, // IFA_PROTO
}
