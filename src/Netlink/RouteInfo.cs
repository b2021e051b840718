using System;
using System.Buffers.Binary;

namespace Mapt.Netlink;

/// <summary>
/// A route as RTM_NEWROUTE describes it (struct rtmsg + RTA_* attributes), and the
/// description of a route to add, replace or remove. A struct, so a dump of many routes
/// allocates only the list that holds them. Multipath routes (RTA_MULTIPATH) are read with
/// their first fields only: mapt neither installs nor depends on them.
/// </summary>
public readonly struct RouteInfo
{
    internal const int FixedLength = 12; // sizeof(struct rtmsg)

    public AddressFamily Family { get; init; } // rtm_family
    public InetAddress Destination { get; init; } // RTA_DST; unset for a default route
    public byte DestinationLength { get; init; } // rtm_dst_len
    public InetAddress Gateway { get; init; } // RTA_GATEWAY
    public int OutputInterface { get; init; } // RTA_OIF
    public uint Priority { get; init; } // RTA_PRIORITY: the metric; 0 = not given (IPv6 then defaults to 1024)
    public uint Table { get; init; } // RTA_TABLE, else rtm_table
    public RouteProtocol Protocol { get; init; } // rtm_protocol
    public RouteScope Scope { get; init; } // rtm_scope
    public RouteType Type { get; init; } // rtm_type
    public uint Mtu { get; init; } // RTAX_MTU in RTA_METRICS; 0 = none
    public InetAddress PreferredSource { get; init; } // RTA_PREFSRC
    public uint Flags { get; init; } // rtm_flags: RTM_F_*, RTNH_F_*

    public bool IsDefault => DestinationLength == 0;

    internal static bool TryRead(in NetlinkMessage message, out RouteInfo route)
    {
        route = default;
        ReadOnlySpan<byte> p = message.Payload;
        if (p.Length < FixedLength)
            return false;
        InetAddress destination = default, gateway = default, source = default;
        int oif = 0;
        uint priority = 0, table = p[4], mtu = 0;
        AttributeReader attributes = message.Attributes(FixedLength);
        while (attributes.MoveNext())
        {
            NetlinkAttribute a = attributes.Current;
            switch ((RouteAttr)a.Type)
            {
                case RouteAttr.Dst:
                    a.TryAddress(out destination);
                    break;
                case RouteAttr.Gateway:
                    a.TryAddress(out gateway);
                    break;
                case RouteAttr.PrefSrc:
                    a.TryAddress(out source);
                    break;
                case RouteAttr.Oif:
                    if (a.TryU32(out uint index))
                        oif = (int)index;
                    break;
                case RouteAttr.Priority:
                    a.TryU32(out priority);
                    break;
                case RouteAttr.Table:
                    a.TryU32(out table);
                    break;
                case RouteAttr.Metrics:
                    AttributeReader metrics = a.Nested;
                    while (metrics.MoveNext())
                    {
                        if (metrics.Current.Type == (ushort)RouteMetric.Mtu)
                            metrics.Current.TryU32(out mtu);
                    }
                    if (metrics.Malformed)
                        return false;
                    break;
            }
        }
        if (attributes.Malformed)
            return false;
        route = new RouteInfo
        {
            Family = (AddressFamily)p[0],
            DestinationLength = p[1],
            Destination = destination,
            Gateway = gateway,
            OutputInterface = oif,
            Priority = priority,
            Table = table,
            Protocol = (RouteProtocol)p[5],
            Scope = (RouteScope)p[6],
            Type = (RouteType)p[7],
            Flags = BinaryPrimitives.ReadUInt32LittleEndian(p[8..]),
            Mtu = mtu,
            PreferredSource = source,
        };
        return true;
    }

    public override string ToString()
    {
        string destination = IsDefault ? "default" : string.Concat(Destination.ToString(), "/", DestinationLength.ToString());
        string via = Gateway.IsSet ? " via " + Gateway.ToString() : "";
        return string.Concat(destination, via, string.Concat(" dev ", OutputInterface.ToString(), " table ", Table.ToString()), " metric " + Priority.ToString());
    }
}
