using System;

namespace Mapt.Net;

/// <summary>An IPv4 prefix; the address never has bits set past <see cref="Length"/>.</summary>
public readonly struct Ipv4Prefix : IEquatable<Ipv4Prefix>
{
    public const int MaxTextLength = Ipv4Address.MaxTextLength + 3;

    public Ipv4Address Address { get; }
    public int Length { get; }

    private Ipv4Prefix(Ipv4Address address, int length)
    {
        Address = address;
        Length = length;
    }

    public uint Mask => Ipv4Address.Mask(Length);

    /// <summary>
    /// From the wire (RFC 7598 section 4.1: bits past the prefix length are ignored): they are
    /// masked off. The length must already be checked by the reader (0..32).
    /// </summary>
    public static Ipv4Prefix Masked(Ipv4Address address, int length)
    {
        if ((uint)length > 32)
            throw new ArgumentOutOfRangeException(nameof(length));
        return new Ipv4Prefix(new Ipv4Address(address.Value & Ipv4Address.Mask(length)), length);
    }

    /// <summary>Strict: refuses bits set past the length (input typed by a person).</summary>
    public static bool TryCreate(Ipv4Address address, int length, out Ipv4Prefix prefix, out NetParseError error)
    {
        prefix = default;
        if ((uint)length > 32)
        {
            error = NetParseError.LengthOutOfRange;
            return false;
        }
        if ((address.Value & ~Ipv4Address.Mask(length)) != 0)
        {
            error = NetParseError.BitsPastLength;
            return false;
        }
        prefix = new Ipv4Prefix(address, length);
        error = NetParseError.None;
        return true;
    }

    /// <summary>"a.b.c.d/LEN", strict (see <see cref="NetParseError.BitsPastLength"/>).</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out Ipv4Prefix prefix, out NetParseError error)
    {
        prefix = default;
        if (!TrySplit(text, 32, out ReadOnlySpan<char> addressText, out int length, out error))
            return false;
        if (!Ipv4Address.TryParse(addressText, out Ipv4Address address))
        {
            error = NetParseError.BadIpv4Address;
            return false;
        }
        return TryCreate(address, length, out prefix, out error);
    }

    internal static bool TrySplit(ReadOnlySpan<char> text, uint maxLength, out ReadOnlySpan<char> address, out int length, out NetParseError error)
    {
        address = default;
        length = 0;
        if (text.Length == 0)
        {
            error = NetParseError.Empty;
            return false;
        }
        int slash = text.IndexOf('/');
        if (slash < 0)
        {
            error = NetParseError.MissingLength;
            return false;
        }
        address = text.Slice(0, slash);
        ReadOnlySpan<char> lengthText = text.Slice(slash + 1);
        if (!DecimalText.TryParse(lengthText, uint.MaxValue, out uint len))
        {
            error = NetParseError.BadLength;
            return false;
        }
        if (len > maxLength)
        {
            error = NetParseError.LengthOutOfRange;
            return false;
        }
        length = (int)len;
        error = NetParseError.None;
        return true;
    }

    public bool Contains(Ipv4Address address) => ((address.Value ^ Address.Value) & Mask) == 0;

    /// <summary>True when <paramref name="other"/> is this prefix or a longer one inside it.</summary>
    public bool Contains(Ipv4Prefix other) => other.Length >= Length && Contains(other.Address);

    public override string ToString()
    {
        Span<char> buffer = stackalloc char[MaxTextLength];
        Address.TryFormat(buffer, out int n);
        buffer[n++] = '/';
        DecimalText.TryWrite((uint)Length, buffer.Slice(n), out int m);
        return new string(buffer.Slice(0, n + m));
    }

    public bool Equals(Ipv4Prefix other) => Address == other.Address && Length == other.Length;
    public override bool Equals(object? obj) => obj is Ipv4Prefix other && Equals(other);
    public override int GetHashCode() => HashCode.Combine(Address.Value, Length);
    public static bool operator ==(Ipv4Prefix left, Ipv4Prefix right) => left.Equals(right);
    public static bool operator !=(Ipv4Prefix left, Ipv4Prefix right) => !left.Equals(right);
}
