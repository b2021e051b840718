namespace Mapt.Netlink;

/// <summary>The address families netlink messages carry (AF_*, linux/socket.h).</summary>
public enum AddressFamily : byte
{
    Unspec = 0, // AF_UNSPEC: both, in a dump request
    Inet = 2, // AF_INET
    Inet6 = 10, // AF_INET6
}
