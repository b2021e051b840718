namespace Mapt.Netlink;

/// <summary>Well-known routing table ids (enum rt_class_t, linux/rtnetlink.h).</summary>
public static class RouteTable
{
    public const uint Unspec = 0; // RT_TABLE_UNSPEC: in a dump, every table
    public const uint Main = 254; // RT_TABLE_MAIN
    public const uint Local = 255; // RT_TABLE_LOCAL
}
