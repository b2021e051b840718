namespace Mapt.Netlink;

/// <summary>rtm_protocol: who installed a route (RTPROT_*, linux/rtnetlink.h).</summary>
public enum RouteProtocol : byte
{
    Unspec = 0, // RTPROT_UNSPEC
    Redirect = 1, // RTPROT_REDIRECT
    Kernel = 2, // RTPROT_KERNEL
    Boot = 3, // RTPROT_BOOT: what `ip route add` uses by default
    Static = 4, // RTPROT_STATIC
    Ra = 9, // RTPROT_RA: learned from a Router Advertisement (RFC 4861)
    Dhcp = 16, // RTPROT_DHCP
}
