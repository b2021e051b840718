namespace Mapt.Netlink;

/// <summary>Attributes nested in RTA_METRICS (RTAX_*, linux/rtnetlink.h).</summary>
internal enum RouteMetric : ushort
{
    Lock = 1, // RTAX_LOCK
    Mtu = 2, // RTAX_MTU
    AdvMss = 8, // RTAX_ADVMSS
    HopLimit = 10, // RTAX_HOPLIMIT
}
