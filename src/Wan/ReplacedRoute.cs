using System.Collections.Generic;
using System.Globalization;
using Mapt.Netlink;

namespace Mapt.Wan;

/// <summary>
/// The route of someone else that mapt's `replace` of the same destination would overwrite:
/// an IPv4 default via a fallback uplink, an RA-learned route to the DMR. The kernel replaces
/// the route with the same table, destination and metric, so teardown deleting mapt's route
/// would otherwise leave the gateway without the one that was there before mapt.
/// </summary>
public static class ReplacedRoute
{
    /// <summary>What the kernel stores for "no metric given": 0 for IPv4, 1024 for IPv6.</summary>
    public static uint EffectiveMetric(in RouteInfo route) =>
        route.Priority != 0 ? route.Priority : route.Family == AddressFamily.Inet6 ? 1024u : 0u;

    /// <summary>
    /// The main-table route <paramref name="ours"/> would replace, if any. Routes the kernel
    /// learned (from a Router Advertisement, a redirect) are not counted: their source
    /// announces them again, and putting one back as a static route would keep it forever.
    /// </summary>
    public static bool TryFind(in RouteInfo ours, List<RouteInfo> mainTable, out RouteInfo found)
    {
        foreach (RouteInfo r in mainTable)
        {
            if (r.Protocol is RouteProtocol.Ra or RouteProtocol.Redirect)
                continue;
            if (r.Family != ours.Family || r.DestinationLength != ours.DestinationLength
                || EffectiveMetric(r) != EffectiveMetric(ours))
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

    /// <summary>Already exactly mapt's route (same device and next hop): not mapt's to delete.</summary>
    public static bool IsSame(in RouteInfo ours, in RouteInfo found) =>
        found.Type == RouteType.Unicast && found.OutputInterface == ours.OutputInterface && found.Gateway.Equals(ours.Gateway);

    /// <summary>
    /// The journal line that puts <paramref name="found"/> back: destination/len, device (or -),
    /// next hop (or -), metric, route type number.
    /// </summary>
    public static JournalEntry Restore(string destination, in RouteInfo found, string? device) =>
        JournalEntry.Of(UndoKind.RouteRestore, destination, device ?? "-", WanDaemon.Text(found.Gateway),
            found.Priority.ToString(CultureInfo.InvariantCulture), ((byte)found.Type).ToString(CultureInfo.InvariantCulture));

    /// <summary>Reads a <see cref="UndoKind.RouteRestore"/> line back into a route (device left to the caller), or the reason it cannot.</summary>
    public static string? TryRead(JournalEntry entry, out RouteInfo route)
    {
        route = default;
        if (!RouteText.TryParseDestination(entry.Arg(0), out InetAddress destination, out byte length))
            return "bad destination '" + entry.Arg(0) + "'";
        InetAddress gateway = default;
        if (entry.Arg(2) != "-" && !RouteText.TryParseGateway(entry.Arg(2), out gateway))
            return "bad gateway '" + entry.Arg(2) + "'";
        if (!uint.TryParse(entry.Arg(3), NumberStyles.None, CultureInfo.InvariantCulture, out uint metric)
            || !byte.TryParse(entry.Arg(4), NumberStyles.None, CultureInfo.InvariantCulture, out byte type)
            || (RouteType)type is not (RouteType.Unicast or RouteType.Blackhole or RouteType.Unreachable or RouteType.Prohibit))
            return "bad metric or type '" + entry.Arg(3) + " " + entry.Arg(4) + "'";
        route = new RouteInfo
        {
            Family = destination.Family,
            Destination = length == 0 ? default : destination,
            DestinationLength = length,
            Gateway = gateway,
            Priority = metric,
            Type = (RouteType)type,
            Table = RouteTable.Main,
        };
        return null;
    }
}
