using System;

namespace Mapt.Dhcpv6.Wire;

/// <summary>An IAPREFIX (RFC 8415 section 21.22): the prefix with its lifetimes in seconds.</summary>
public sealed class DelegatedPrefix : IEquatable<DelegatedPrefix>
{
    public DelegatedPrefix(UInt128 prefix, byte length, uint preferredLifetime, uint validLifetime)
    {
        Prefix = prefix;
        Length = length;
        PreferredLifetime = preferredLifetime;
        ValidLifetime = validLifetime;
    }

    public UInt128 Prefix { get; }
    public byte Length { get; }
    public uint PreferredLifetime { get; }
    public uint ValidLifetime { get; }

    /// <summary>Same prefix and length; lifetimes are not part of a prefix's identity.</summary>
    public bool SamePrefix(DelegatedPrefix other) => Prefix == other.Prefix && Length == other.Length;

    public bool Equals(DelegatedPrefix? other) =>
        other is not null && SamePrefix(other) && PreferredLifetime == other.PreferredLifetime && ValidLifetime == other.ValidLifetime;

    public override bool Equals(object? obj) => Equals(obj as DelegatedPrefix);
    public override int GetHashCode() => HashCode.Combine(Prefix, Length);
}
