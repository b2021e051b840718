namespace Mapt.Netlink;

/// <summary>rtm_scope (enum rt_scope_t, linux/rtnetlink.h).</summary>
public enum RouteScope : byte
{
    Universe = 0, // RT_SCOPE_UNIVERSE
    Site = 200, // RT_SCOPE_SITE
    Link = 253, // RT_SCOPE_LINK
    Host = 254, // RT_SCOPE_HOST
    Nowhere = 255, // RT_SCOPE_NOWHERE
}
