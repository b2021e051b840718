using System;
using System.Buffers.Binary;

namespace Mapt.Netlink;

/// <summary>
/// An interface address as RTM_NEWADDR describes it (struct ifaddrmsg + IFA_* attributes). A
/// class: interfaces have a handful of addresses, and List of a struct would cost ~4 KB of binary.
/// </summary>
public sealed class AddressInfo
{
    internal const int FixedLength = 8; // sizeof(struct ifaddrmsg)

    /// <summary>Lifetime value meaning "forever" (INFINITY_LIFE_TIME).</summary>
    public const uint Forever = uint.MaxValue;

    public AddressFamily Family => Address.Family;
    public int Index { get; init; } // ifa_index
    public InetAddress Address { get; init; } // IFA_LOCAL for IPv4 (IFA_ADDRESS is the peer on point-to-point), IFA_ADDRESS for IPv6
    public byte PrefixLength { get; init; } // ifa_prefixlen
    public AddressFlags Flags { get; init; } // IFA_FLAGS, or ifa_flags on kernels without it
    public RouteScope Scope { get; init; } // ifa_scope
    public uint PreferredLifetime { get; init; } // ifa_cacheinfo.ifa_prefered, seconds left
    public uint ValidLifetime { get; init; } // ifa_cacheinfo.ifa_valid, seconds left
    public string? Label { get; init; } // IFA_LABEL (IPv4 only)

    /// <summary>Usable as a source: not tentative (DAD running), not failed DAD (RFC 4862 section 5.4).</summary>
    public bool IsUsable => (Flags & (AddressFlags.Tentative | AddressFlags.DadFailed)) == 0;

    internal static bool TryRead(in NetlinkMessage message, out AddressInfo address)
    {
        address = null!;
        ReadOnlySpan<byte> p = message.Payload;
        if (p.Length < FixedLength)
            return false;
        var family = (AddressFamily)p[0];
        InetAddress local = default, peer = default;
        AddressFlags flags = (AddressFlags)p[2];
        uint preferred = Forever, valid = Forever;
        string? label = null;
        AttributeReader attributes = message.Attributes(FixedLength);
        while (attributes.MoveNext())
        {
            NetlinkAttribute a = attributes.Current;
            switch ((AddrAttr)a.Type)
            {
                case AddrAttr.Address:
                    a.TryAddress(out peer);
                    break;
                case AddrAttr.Local:
                    a.TryAddress(out local);
                    break;
                case AddrAttr.Flags:
                    if (a.TryU32(out uint wide))
                        flags = (AddressFlags)wide;
                    break;
                case AddrAttr.CacheInfo:
                    if (a.Value.Length >= 8)
                    {
                        preferred = BinaryPrimitives.ReadUInt32LittleEndian(a.Value);
                        valid = BinaryPrimitives.ReadUInt32LittleEndian(a.Value[4..]);
                    }
                    break;
                case AddrAttr.Label:
                    label = a.AsString();
                    break;
            }
        }
        if (attributes.Malformed)
            return false;
        InetAddress chosen = local.IsSet ? local : peer;
        if (chosen.Family != family)
            return false;
        address = new AddressInfo
        {
            Index = BinaryPrimitives.ReadInt32LittleEndian(p[4..]),
            Address = chosen,
            PrefixLength = p[1],
            Flags = flags,
            Scope = (RouteScope)p[3],
            PreferredLifetime = preferred,
            ValidLifetime = valid,
            Label = label,
        };
        return true;
    }

}
