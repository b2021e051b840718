using System;

namespace Mapt.Dhcpv6.Wire;

/// <summary>S46_DMR (RFC 7598 section 4.3): the BR's IPv6 prefix, masked to its length.</summary>
public sealed class S46Dmr
{
    public S46Dmr(byte prefixLength, UInt128 prefix)
    {
        PrefixLength = prefixLength;
        Prefix = Dhcpv6Reader.Mask(prefix, prefixLength);
    }

    public byte PrefixLength { get; }
    public UInt128 Prefix { get; }

    public bool SameAs(S46Dmr other) => PrefixLength == other.PrefixLength && Prefix == other.Prefix;
}
