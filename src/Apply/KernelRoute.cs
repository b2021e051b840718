using System.Collections.Generic;
using Mapt.Net;
using Mapt.Netlink;
using Mapt.Provisioning;

namespace Mapt.Apply;

/// <summary>
/// A plan's routes as the kernel holds them, and back: <see cref="PlannedRoute"/> names its
/// device, the kernel an index of this boot. Also what sat in a route step's slot before
/// (the kernel replaces the route with the same table, destination and metric).
/// </summary>
internal static class KernelRoute
{
    /// <summary>The netlink value of <paramref name="route"/> through the device with <paramref name="index"/> (0: none).</summary>
    public static RouteInfo Of(PlannedRoute route, int index)
    {
        InetAddress gateway = default;
        if (route.Gateway is IpAddress gw)
            gateway = gw.IsV6 ? InetAddress.From(gw.V6) : InetAddress.From(gw.V4);
        IpPrefix d = route.Destination;
        InetAddress destination = d.IsDefault ? default : d.IsV6 ? InetAddress.From(d.V6.Address) : InetAddress.From(d.V4.Address);
        return new RouteInfo
        {
            Family = d.IsV6 ? AddressFamily.Inet6 : AddressFamily.Inet,
            Destination = destination,
            DestinationLength = (byte)d.Length,
            Gateway = gateway,
            OutputInterface = index,
            Priority = route.Metric,
            Mtu = (uint)route.Mtu,
            Type = (RouteType)route.Type,
            Protocol = (RouteProtocol)route.Protocol,
            Table = RouteTable.Main,
        };
    }

    /// <summary>The kernel's route in plan terms (the device by <paramref name="device"/>, its name now).</summary>
    public static PlannedRoute From(in RouteInfo r, string? device)
    {
        IpPrefix destination = r.Family == AddressFamily.Inet6
            ? Ipv6Prefix.Masked(r.DestinationLength == 0 ? new Ipv6Address(0, 0) : r.Destination.ToIpv6(), r.DestinationLength)
            : Ipv4Prefix.Masked(r.DestinationLength == 0 ? new Ipv4Address(0) : r.Destination.ToIpv4(), r.DestinationLength);
        IpAddress? gateway = !r.Gateway.IsSet ? null : r.Gateway.IsV4 ? r.Gateway.ToIpv4() : r.Gateway.ToIpv6();
        return new PlannedRoute(destination, device, gateway, r.Priority, (int)r.Mtu, (byte)r.Type, (byte)r.Protocol);
    }

    /// <summary>What the kernel stores for "no metric given": 0 for IPv4, 1024 for IPv6.</summary>
    public static uint EffectiveMetric(in RouteInfo route) =>
        route.Priority != 0 ? route.Priority : route.Family == AddressFamily.Inet6 ? 1024u : 0u;

    /// <summary>
    /// The main-table route in <paramref name="ours"/>'s slot, if any. Routes the kernel learned
    /// (from a Router Advertisement, a redirect) are not counted: their source announces them
    /// again, and putting one back as a static route would keep it forever.
    /// </summary>
    public static bool TryFindSlot(in RouteInfo ours, List<RouteInfo> mainTable, out RouteInfo found)
    {
        foreach (RouteInfo r in mainTable)
        {
            if (r.Protocol is RouteProtocol.Ra or RouteProtocol.Redirect)
                continue;
            if (r.Family != ours.Family || r.DestinationLength != ours.DestinationLength || EffectiveMetric(r) != EffectiveMetric(ours))
                continue;
            if (ours.DestinationLength != 0 && !r.Destination.Equals(ours.Destination))
                continue;
            if (r.Type is not (RouteType.Unicast or RouteType.Blackhole or RouteType.Unreachable or RouteType.Prohibit))
                continue;
            found = r;
            return true;
        }
        found = default;
        return false;
    }

    /// <summary>Already exactly our route (same device and next hop).</summary>
    public static bool IsSame(in RouteInfo ours, in RouteInfo found) =>
        found.Type == RouteType.Unicast && found.OutputInterface == ours.OutputInterface && found.Gateway.Equals(ours.Gateway);

    /// <summary>Whether <paramref name="r"/> is <paramref name="route"/>'s kernel route (destination, length, device).</summary>
    public static bool Matches(in RouteInfo r, in RouteInfo route) =>
        r.Family == route.Family && r.DestinationLength == route.DestinationLength && r.OutputInterface == route.OutputInterface
        && (r.DestinationLength == 0 || r.Destination == route.Destination);
}
