using System;
using System.Buffers.Binary;
using System.Collections.Generic;

namespace Mapt.Netlink;

public sealed partial class RtnlClient
{
    /// <summary>
    /// Routes of <paramref name="family"/> (Unspec: both) in <paramref name="table"/>
    /// (<see cref="RouteTable.Unspec"/>: every table). The kernel filters by table under strict
    /// checking; the result is filtered again so an older kernel gives the same answer.
    /// </summary>
    public List<RouteInfo> DumpRoutes(AddressFamily family, uint table = RouteTable.Main)
    {
        var routes = new List<RouteInfo>();
        DumpRoutes(family, table, routes);
        return routes;
    }

    /// <summary>Appends to <paramref name="routes"/> (which the caller may reuse between dumps).</summary>
    public void DumpRoutes(AddressFamily family, uint table, List<RouteInfo> routes)
    {
        int start = routes.Count;
        Span<byte> buffer = stackalloc byte[RequestBufferLength];
        var w = new NetlinkWriter(buffer, (ushort)NlMsgType.GetRoute, NlMsgFlags.Request | NlMsgFlags.Dump, _socket.NextSequence(), 0);
        Span<byte> rtm = w.Reserve(RouteInfo.FixedLength); // struct rtmsg
        rtm[0] = (byte)family;
        if (table != RouteTable.Unspec)
            w.U32((ushort)RouteAttr.Table, table);
        w.Finish();
        DumpConsistent(buffer[..w.Length], "dump routes", (in NetlinkMessage m) =>
        {
            if (m.Type == (ushort)NlMsgType.NewRoute && RouteInfo.TryRead(m, out RouteInfo r) && (table == RouteTable.Unspec || r.Table == table))
                routes.Add(r);
        }, () => routes.RemoveRange(start, routes.Count - start));
    }

    /// <summary>Adds a route; EEXIST when an equal one is there.</summary>
    public void AddRoute(in RouteInfo route) =>
        WriteRoute(route, NlMsgType.NewRoute, NlMsgFlags.Create | NlMsgFlags.Excl, "add route ");

    /// <summary>Adds the route or replaces the one with the same destination, table, metric (and for IPv4 tos).</summary>
    public void ReplaceRoute(in RouteInfo route) =>
        WriteRoute(route, NlMsgType.NewRoute, NlMsgFlags.Create | NlMsgFlags.Replace, "replace route ");

    /// <summary>
    /// Removes a route; ESRCH when none matches. Destination and table must be given; device,
    /// gateway and metric narrow the match when set.
    /// </summary>
    public void RemoveRoute(in RouteInfo route) =>
        WriteRoute(route, NlMsgType.DelRoute, NlMsgFlags.None, "remove route ");

    /// <summary>
    /// The IPv6 default route the kernel learned from a Router Advertisement on
    /// <paramref name="index"/> (proto ra, RFC 4861 section 6.3.4), or null when there is none.
    /// </summary>
    public RouteInfo? FindRaDefaultRoute(int index)
    {
        List<RouteInfo> routes = DumpRoutes(AddressFamily.Inet6, RouteTable.Main);
        foreach (RouteInfo r in routes)
        {
            if (r.IsDefault && r.Protocol == RouteProtocol.Ra && r.OutputInterface == index && r.Type == RouteType.Unicast)
                return r;
        }
        return null;
    }

    private void WriteRoute(in RouteInfo route, NlMsgType type, NlMsgFlags flags, string verb)
    {
        AddressFamily family = route.Family != AddressFamily.Unspec ? route.Family
            : route.Destination.IsSet ? route.Destination.Family : route.Gateway.Family;
        uint table = route.Table == RouteTable.Unspec ? RouteTable.Main : route.Table;
        bool remove = type == NlMsgType.DelRoute;

        Span<byte> buffer = stackalloc byte[RequestBufferLength];
        var w = new NetlinkWriter(buffer, (ushort)type, NlMsgFlags.Request | NlMsgFlags.Ack | flags, _socket.NextSequence(), 0);
        Span<byte> rtm = w.Reserve(RouteInfo.FixedLength); // struct rtmsg
        rtm[0] = (byte)family; // rtm_family
        rtm[1] = route.DestinationLength; // rtm_dst_len
        rtm[4] = table < 256 ? (byte)table : (byte)0; // rtm_table; RTA_TABLE carries the full id
        if (remove)
        {
            // Like `ip route del`: any protocol, type and scope match (RT_SCOPE_NOWHERE).
            rtm[6] = (byte)RouteScope.Nowhere;
        }
        else
        {
            rtm[5] = (byte)(route.Protocol == RouteProtocol.Unspec ? RouteProtocol.Static : route.Protocol); // rtm_protocol
            // Like `ip route add`: an IPv4 route with no gateway reaches its destination on the link.
            RouteScope scope = route.Scope;
            if (scope == RouteScope.Universe && family == AddressFamily.Inet && !route.Gateway.IsSet)
                scope = RouteScope.Link;
            rtm[6] = (byte)scope; // rtm_scope
            rtm[7] = (byte)(route.Type == RouteType.Unspec ? RouteType.Unicast : route.Type); // rtm_type
        }
        w.U32((ushort)RouteAttr.Table, table);
        if (route.Destination.IsSet)
            w.Address((ushort)RouteAttr.Dst, route.Destination);
        if (route.Gateway.IsSet)
            w.Address((ushort)RouteAttr.Gateway, route.Gateway);
        if (route.OutputInterface != 0)
            w.U32((ushort)RouteAttr.Oif, (uint)route.OutputInterface);
        if (route.Priority != 0)
            w.U32((ushort)RouteAttr.Priority, route.Priority);
        if (route.PreferredSource.IsSet && !remove)
            w.Address((ushort)RouteAttr.PrefSrc, route.PreferredSource);
        // A delete with metrics would only match routes with exactly these metrics.
        if (route.Mtu != 0 && !remove)
        {
            int metrics = w.BeginNested((ushort)RouteAttr.Metrics);
            w.U32((ushort)RouteMetric.Mtu, route.Mtu);
            w.EndNested(metrics);
        }
        _socket.Request(w.Finish(), verb + route.ToString());
    }
}
