using System;

namespace Mapt.Netlink;

/// <summary>ifi_flags (IFF_*, linux/if.h).</summary>
[Flags]
public enum LinkFlags : uint
{
    None = 0,
    Up = 0x1, // IFF_UP: administratively up
    Broadcast = 0x2, // IFF_BROADCAST
    Loopback = 0x8, // IFF_LOOPBACK
    PointToPoint = 0x10, // IFF_POINTOPOINT
    Running = 0x40, // IFF_RUNNING: RFC 2863 operational state up
    NoArp = 0x80, // IFF_NOARP
    Multicast = 0x1000, // IFF_MULTICAST
    LowerUp = 0x10000, // IFF_LOWER_UP: carrier
    Dormant = 0x20000, // IFF_DORMANT
}
