namespace Mapt.Netlink;

/// <summary>Attributes after struct rtmsg (enum rtattr_type_t, linux/rtnetlink.h).</summary>
internal enum RouteAttr : ushort
{
    Dst = 1, // RTA_DST
    Src = 2, // RTA_SRC
    Iif = 3, // RTA_IIF
    Oif = 4, // RTA_OIF
    Gateway = 5, // RTA_GATEWAY
    Priority = 6, // RTA_PRIORITY: the metric
    PrefSrc = 7, // RTA_PREFSRC
    Metrics = 8, // RTA_METRICS: nested RTAX_*
    Multipath = 9, // RTA_MULTIPATH
    Table = 15, // RTA_TABLE: u32, supersedes rtm_table
    Pref = 20, // RTA_PREF: RFC 4191 router preference
    Expires = 23, // RTA_EXPIRES
}
