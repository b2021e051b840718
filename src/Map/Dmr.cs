using System;
using Mapt.Net;

namespace Mapt.Map;

/// <summary>
/// The Default Mapping Rule (RFC 7599 section 5.2, S46_DMR): the BR's IPv6 prefix, into which
/// IPv4 destinations outside every FMR are embedded per RFC 6052 section 2.2.
/// </summary>
public readonly struct Dmr : IEquatable<Dmr>
{
    public Ipv6Prefix Prefix { get; }

    private Dmr(Ipv6Prefix prefix) => Prefix = prefix;

    /// <summary>RFC 6052 section 2.2 allows 32, 40, 48, 56, 64 and 96 (errata 4865 caps it at 96).</summary>
    public static bool IsAllowedLength(int length) => length is 32 or 40 or 48 or 56 or 64 or 96;

    public static bool TryCreate(Ipv6Prefix prefix, out Dmr dmr, out MapError error)
    {
        dmr = default;
        if (!IsAllowedLength(prefix.Length))
        {
            error = MapError.DmrLengthNotAllowed;
            return false;
        }
        dmr = new Dmr(prefix);
        error = MapError.None;
        return true;
    }

    /// <summary>
    /// RFC 6052 section 2.2: the 32 IPv4 bits follow the prefix, skipping bits 64-71 (the
    /// u-octet, zero); the suffix is zero.
    /// </summary>
    public Ipv6Address Embed(Ipv4Address ipv4)
    {
        int length = Prefix.Length;
        Ipv6Address address = Prefix.Address;
        if (length == 96)
            return new Ipv6Address(address.Value | ipv4.Value);
        int before = 64 - length; // IPv4 bits before the u-octet: 32, 24, 16, 8 or 0
        ulong v4 = ipv4.Value;
        return address
            .WithBits(length, before, v4 >> (32 - before))
            .WithBits(72, 32 - before, v4 & ((1UL << (32 - before)) - 1));
    }

    /// <summary>The IPv4 address embedded in an address under this DMR; refuses one outside it or with a non-zero u-octet.</summary>
    public bool TryExtract(Ipv6Address address, out Ipv4Address ipv4, out MapError error)
    {
        ipv4 = default;
        if (!Prefix.Contains(address))
        {
            error = MapError.Ipv6OutsideRule;
            return false;
        }
        int length = Prefix.Length;
        if (length == 96)
        {
            ipv4 = new Ipv4Address((uint)address.Low);
            error = MapError.None;
            return true;
        }
        if (address.GetBits(64, 8) != 0)
        {
            error = MapError.UOctetNotZero;
            return false;
        }
        int before = 64 - length;
        ulong high = address.GetBits(length, before);
        ulong low = address.GetBits(72, 32 - before);
        ipv4 = new Ipv4Address((uint)((high << (32 - before)) | low));
        error = MapError.None;
        return true;
    }

    public override string ToString() => Prefix.ToString();

    public bool Equals(Dmr other) => Prefix == other.Prefix;
    public override bool Equals(object? obj) => obj is Dmr other && Equals(other);
    public override int GetHashCode() => Prefix.GetHashCode();
    public static bool operator ==(Dmr left, Dmr right) => left.Equals(right);
    public static bool operator !=(Dmr left, Dmr right) => !left.Equals(right);
}
