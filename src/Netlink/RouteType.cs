namespace Mapt.Netlink;

/// <summary>rtm_type (RTN_*, linux/rtnetlink.h).</summary>
public enum RouteType : byte
{
    Unspec = 0, // RTN_UNSPEC
    Unicast = 1, // RTN_UNICAST
    Local = 2, // RTN_LOCAL
    Broadcast = 3, // RTN_BROADCAST
    Anycast = 4, // RTN_ANYCAST
    Multicast = 5, // RTN_MULTICAST
    Blackhole = 6, // RTN_BLACKHOLE
    Unreachable = 7, // RTN_UNREACHABLE
    Prohibit = 8, // RTN_PROHIBIT
}
