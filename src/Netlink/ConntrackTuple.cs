namespace Mapt.Netlink;

/// <summary>
/// One direction of a conntrack entry. For an SNAT'ed flow the reply direction's destination
/// is the NAT address and its destination port the NAT source port (for ICMP echo: the id).
/// </summary>
public readonly struct ConntrackTuple
{
    public InetAddress Source { get; init; }
    public InetAddress Destination { get; init; }
    public byte Protocol { get; init; } // IPPROTO_*: 1 ICMP, 6 TCP, 17 UDP, 58 ICMPv6
    public ushort SourcePort { get; init; }
    public ushort DestinationPort { get; init; }
    public ushort IcmpId { get; init; }

    /// <summary>Ports or, for ICMP, the identifier: what a MAP port set constrains (RFC 7597 section 5.1).</summary>
    public ushort DestinationPortOrId => Protocol is 1 or 58 ? IcmpId : DestinationPort;

    internal static bool TryRead(AttributeReader tuple, out ConntrackTuple value)
    {
        value = default;
        InetAddress source = default, destination = default;
        byte protocol = 0;
        ushort sourcePort = 0, destinationPort = 0, icmpId = 0;
        while (tuple.MoveNext())
        {
            NetlinkAttribute a = tuple.Current;
            if (a.Type == (ushort)CtTupleAttr.Ip)
            {
                AttributeReader ip = a.Nested;
                while (ip.MoveNext())
                {
                    switch ((CtTupleAttr)ip.Current.Type)
                    {
                        case CtTupleAttr.V4Src:
                        case CtTupleAttr.V6Src:
                            ip.Current.TryAddress(out source);
                            break;
                        case CtTupleAttr.V4Dst:
                        case CtTupleAttr.V6Dst:
                            ip.Current.TryAddress(out destination);
                            break;
                    }
                }
                if (ip.Malformed)
                    return false;
            }
            else if (a.Type == (ushort)CtTupleAttr.Proto)
            {
                AttributeReader proto = a.Nested;
                while (proto.MoveNext())
                {
                    NetlinkAttribute p = proto.Current;
                    switch ((CtTupleAttr)p.Type)
                    {
                        case CtTupleAttr.ProtoNum:
                            p.TryU8(out protocol);
                            break;
                        case CtTupleAttr.SrcPort:
                            p.TryBe16(out sourcePort);
                            break;
                        case CtTupleAttr.DstPort:
                            p.TryBe16(out destinationPort);
                            break;
                        case CtTupleAttr.IcmpId:
                        case CtTupleAttr.Icmpv6Id:
                            p.TryBe16(out icmpId);
                            break;
                    }
                }
                if (proto.Malformed)
                    return false;
            }
        }
        if (tuple.Malformed)
            return false;
        value = new ConntrackTuple
        {
            Source = source,
            Destination = destination,
            Protocol = protocol,
            SourcePort = sourcePort,
            DestinationPort = destinationPort,
            IcmpId = icmpId,
        };
        return true;
    }

}
