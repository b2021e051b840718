using System.Collections.Generic;

namespace Mapt.Netlink;

/// <summary>The whole state a re-dump read after events were lost: links, addresses (both families), routes (every table).</summary>
public sealed class RtnlSnapshot
{
    public RtnlSnapshot(List<LinkInfo> links, List<AddressInfo> addresses, List<RouteInfo> routes)
    {
        Links = links;
        Addresses = addresses;
        Routes = routes;
    }

    public List<LinkInfo> Links { get; }
    public List<AddressInfo> Addresses { get; }
    public List<RouteInfo> Routes { get; }
}
