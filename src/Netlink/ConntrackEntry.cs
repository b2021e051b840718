using System;

namespace Mapt.Netlink;

/// <summary>A conntrack entry from a ctnetlink dump, with what deleting exactly this entry needs.</summary>
public sealed class ConntrackEntry
{
    public AddressFamily Family { get; init; }
    public ConntrackTuple Original { get; init; }
    public ConntrackTuple Reply { get; init; }
    public uint Status { get; init; } // CTA_STATUS: IPS_* bits
    public uint Id { get; init; } // CTA_ID
    public ushort Zone { get; init; } // CTA_ZONE

    /// <summary>IPS_SRC_NAT: the source was rewritten (SNAT / MASQUERADE).</summary>
    public bool IsSourceNat => (Status & 0x10) != 0;

    /// <summary>The CTA_TUPLE_ORIG value as the kernel sent it, replayed verbatim in the delete request.</summary>
    internal byte[] OriginalTupleBytes { get; init; } = Array.Empty<byte>();

    internal bool HasZone { get; init; }

}
