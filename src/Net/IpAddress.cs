using System;

namespace Mapt.Net;

/// <summary>An IPv4 or an IPv6 address, for a route's next hop (either family, typed).</summary>
public readonly struct IpAddress : IEquatable<IpAddress>
{
    private readonly Ipv4Address _v4;
    private readonly Ipv6Address _v6;

    public IpAddress(Ipv4Address address)
    {
        _v4 = address;
        _v6 = default;
        IsV6 = false;
    }

    public IpAddress(Ipv6Address address)
    {
        _v4 = default;
        _v6 = address;
        IsV6 = true;
    }

    public bool IsV6 { get; }
    public Ipv4Address V4 => IsV6 ? throw new InvalidOperationException("an IPv6 address") : _v4;
    public Ipv6Address V6 => IsV6 ? _v6 : throw new InvalidOperationException("an IPv4 address");

    public static implicit operator IpAddress(Ipv4Address address) => new(address);
    public static implicit operator IpAddress(Ipv6Address address) => new(address);

    public static bool TryParse(ReadOnlySpan<char> text, out IpAddress address)
    {
        address = default;
        if (text.Contains(':'))
        {
            if (!Ipv6Address.TryParse(text, out Ipv6Address a6))
                return false;
            address = a6;
            return true;
        }
        if (!Ipv4Address.TryParse(text, out Ipv4Address a4))
            return false;
        address = a4;
        return true;
    }

    /// <summary>RFC 5952 text for IPv6, dotted quad for IPv4.</summary>
    public override string ToString() => IsV6 ? _v6.ToString() : _v4.ToString();

    public bool Equals(IpAddress other) => IsV6 == other.IsV6 && (IsV6 ? _v6 == other._v6 : _v4 == other._v4);
    public override bool Equals(object? obj) => obj is IpAddress other && Equals(other);
    public override int GetHashCode() => IsV6 ? _v6.GetHashCode() : _v4.GetHashCode();
    public static bool operator ==(IpAddress left, IpAddress right) => left.Equals(right);
    public static bool operator !=(IpAddress left, IpAddress right) => !left.Equals(right);
}
