namespace Mapt.Netlink;

/// <summary>Netlink protocol numbers for socket(AF_NETLINK, SOCK_RAW, protocol) (linux/netlink.h).</summary>
internal static class NetlinkProtocol
{
    public const int Route = 0; // NETLINK_ROUTE
    public const int Netfilter = 12; // NETLINK_NETFILTER
}
