using System;

namespace Mapt.Dhcpv6.Wire;

/// <summary>
/// S46_RULE (RFC 7598 section 4.1) as received, prefixes masked to their lengths, with the
/// S46_PORTPARAMS it carried. Structural checks only; whether the rule maps is the MAP
/// engine's call.
/// </summary>
public sealed class S46Rule
{
    /// <summary>The F flag: the least significant bit of the flags octet (RFC 7598 section 4.1).</summary>
    public const byte ForwardingFlag = 0x01;

    public S46Rule(byte flags, byte eaLength, byte prefix4Length, uint ipv4Prefix, byte prefix6Length, UInt128 ipv6Prefix, S46PortParameters? portParameters)
    {
        Flags = flags;
        EaLength = eaLength;
        Prefix4Length = prefix4Length;
        Ipv4Prefix = prefix4Length == 0 ? 0 : ipv4Prefix & (uint.MaxValue << (32 - prefix4Length));
        Prefix6Length = prefix6Length;
        Ipv6Prefix = Dhcpv6Reader.Mask(ipv6Prefix, prefix6Length);
        PortParameters = portParameters;
    }

    public byte Flags { get; }
    /// <summary>Set: a Forwarding Mapping Rule; the reserved bits are ignored.</summary>
    public bool IsForwardingMappingRule => (Flags & ForwardingFlag) != 0;
    public byte EaLength { get; }
    public byte Prefix4Length { get; }
    public uint Ipv4Prefix { get; }
    public byte Prefix6Length { get; }
    public UInt128 Ipv6Prefix { get; }
    public S46PortParameters? PortParameters { get; }

    /// <summary>Same mapping: the reserved flag bits do not count.</summary>
    public bool SameAs(S46Rule other) =>
        IsForwardingMappingRule == other.IsForwardingMappingRule && EaLength == other.EaLength
        && Prefix4Length == other.Prefix4Length && Ipv4Prefix == other.Ipv4Prefix
        && Prefix6Length == other.Prefix6Length && Ipv6Prefix == other.Ipv6Prefix
        && PortParameters.HasValue == other.PortParameters.HasValue
        && (!PortParameters.HasValue || PortParameters.Value.Equals(other.PortParameters!.Value));
}
