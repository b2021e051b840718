using System;

namespace Mapt.Net;

/// <summary>
/// An IPv4 or an IPv6 prefix, for the few places that hold either (a route's destination):
/// typed, so a destination never travels as text to be parsed back.
/// </summary>
public readonly struct IpPrefix : IEquatable<IpPrefix>
{
    private readonly Ipv4Prefix _v4;
    private readonly Ipv6Prefix _v6;

    public IpPrefix(Ipv4Prefix prefix)
    {
        _v4 = prefix;
        _v6 = default;
        IsV6 = false;
    }

    public IpPrefix(Ipv6Prefix prefix)
    {
        _v4 = default;
        _v6 = prefix;
        IsV6 = true;
    }

    public bool IsV6 { get; }
    public Ipv4Prefix V4 => IsV6 ? throw new InvalidOperationException("an IPv6 prefix") : _v4;
    public Ipv6Prefix V6 => IsV6 ? _v6 : throw new InvalidOperationException("an IPv4 prefix");
    public int Length => IsV6 ? _v6.Length : _v4.Length;
    public bool IsDefault => Length == 0;

    public static implicit operator IpPrefix(Ipv4Prefix prefix) => new(prefix);
    public static implicit operator IpPrefix(Ipv6Prefix prefix) => new(prefix);

    /// <summary>"0.0.0.0/0", "2001:db8::1/128": the form `ip route` and the journal use.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out IpPrefix prefix)
    {
        prefix = default;
        if (text.Contains(':'))
        {
            if (!Ipv6Prefix.TryParse(text, out Ipv6Prefix p6, out _))
                return false;
            prefix = p6;
            return true;
        }
        if (!Ipv4Prefix.TryParse(text, out Ipv4Prefix p4, out _))
            return false;
        prefix = p4;
        return true;
    }

    public override string ToString() => IsV6 ? _v6.ToString() : _v4.ToString();

    public bool Equals(IpPrefix other) => IsV6 == other.IsV6 && (IsV6 ? _v6 == other._v6 : _v4 == other._v4);
    public override bool Equals(object? obj) => obj is IpPrefix other && Equals(other);
    public override int GetHashCode() => IsV6 ? _v6.GetHashCode() : _v4.GetHashCode();
    public static bool operator ==(IpPrefix left, IpPrefix right) => left.Equals(right);
    public static bool operator !=(IpPrefix left, IpPrefix right) => !left.Equals(right);
}
