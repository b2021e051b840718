using System;

namespace Mapt.Net;

/// <summary>An IPv6 prefix; the address never has bits set past <see cref="Length"/>.</summary>
public readonly struct Ipv6Prefix : IEquatable<Ipv6Prefix>
{
    public const int MaxTextLength = Ipv6Address.MaxTextLength + 4;

    public Ipv6Address Address { get; }
    public int Length { get; }

    private Ipv6Prefix(Ipv6Address address, int length)
    {
        Address = address;
        Length = length;
    }

    public UInt128 Mask => Ipv6Address.Mask(Length);

    /// <summary>
    /// From the wire (RFC 7598 sections 4.1 and 4.3: bits past the prefix length are ignored):
    /// they are masked off. The length must already be checked by the reader (0..128).
    /// </summary>
    public static Ipv6Prefix Masked(Ipv6Address address, int length)
    {
        if ((uint)length > 128)
            throw new ArgumentOutOfRangeException(nameof(length));
        return new Ipv6Prefix(new Ipv6Address(address.Value & Ipv6Address.Mask(length)), length);
    }

    /// <summary>
    /// From the wire form of RFC 7598 (ceil(length/8) bytes of prefix, as in S46_RULE and
    /// S46_DMR); bits past the length are masked. <paramref name="bytes"/> must hold at least
    /// ceil(length/8) bytes; the reader checks that.
    /// </summary>
    public static Ipv6Prefix FromWire(ReadOnlySpan<byte> bytes, int length)
    {
        if ((uint)length > 128)
            throw new ArgumentOutOfRangeException(nameof(length));
        int count = (length + 7) / 8;
        Span<byte> full = stackalloc byte[16];
        full.Clear();
        bytes.Slice(0, count).CopyTo(full);
        return Masked(Ipv6Address.FromBytes(full), length);
    }

    /// <summary>Strict: refuses bits set past the length (input typed by a person).</summary>
    public static bool TryCreate(Ipv6Address address, int length, out Ipv6Prefix prefix, out NetParseError error)
    {
        prefix = default;
        if ((uint)length > 128)
        {
            error = NetParseError.LengthOutOfRange;
            return false;
        }
        if ((address.Value & ~Ipv6Address.Mask(length)) != UInt128.Zero)
        {
            error = NetParseError.BitsPastLength;
            return false;
        }
        prefix = new Ipv6Prefix(address, length);
        error = NetParseError.None;
        return true;
    }

    /// <summary>"IPV6/LEN", strict (see <see cref="NetParseError.BitsPastLength"/>).</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out Ipv6Prefix prefix, out NetParseError error)
    {
        prefix = default;
        if (!Ipv4Prefix.TrySplit(text, 128, out ReadOnlySpan<char> addressText, out int length, out error))
            return false;
        if (!Ipv6Address.TryParse(addressText, out Ipv6Address address))
        {
            error = NetParseError.BadIpv6Address;
            return false;
        }
        return TryCreate(address, length, out prefix, out error);
    }

    public bool Contains(Ipv6Address address) => ((address.Value ^ Address.Value) & Mask) == UInt128.Zero;

    /// <summary>True when <paramref name="other"/> is this prefix or a longer one inside it (its first <see cref="Length"/> bits match).</summary>
    public bool Contains(Ipv6Prefix other) => other.Length >= Length && Contains(other.Address);

    public override string ToString()
    {
        Span<char> buffer = stackalloc char[MaxTextLength];
        Address.TryFormat(buffer, out int n);
        buffer[n++] = '/';
        DecimalText.TryWrite((uint)Length, buffer.Slice(n), out int m);
        return new string(buffer.Slice(0, n + m));
    }

    public bool Equals(Ipv6Prefix other) => Address == other.Address && Length == other.Length;
    public override bool Equals(object? obj) => obj is Ipv6Prefix other && Equals(other);
    public override int GetHashCode() => HashCode.Combine(Address.Value, Length);
    public static bool operator ==(Ipv6Prefix left, Ipv6Prefix right) => left.Equals(right);
    public static bool operator !=(Ipv6Prefix left, Ipv6Prefix right) => !left.Equals(right);
}
