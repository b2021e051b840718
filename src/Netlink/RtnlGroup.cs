namespace Mapt.Netlink;

/// <summary>rtnetlink multicast groups (enum rtnetlink_groups, linux/rtnetlink.h), joined with NETLINK_ADD_MEMBERSHIP.</summary>
internal enum RtnlGroup
{
    Link = 1, // RTNLGRP_LINK
    Ipv4IfAddr = 5, // RTNLGRP_IPV4_IFADDR
    Ipv4Route = 7, // RTNLGRP_IPV4_ROUTE
    Ipv6IfAddr = 9, // RTNLGRP_IPV6_IFADDR
    Ipv6Route = 11, // RTNLGRP_IPV6_ROUTE
}
