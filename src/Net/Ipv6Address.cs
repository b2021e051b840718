using System;
using System.Buffers.Binary;

namespace Mapt.Net;

/// <summary>
/// An IPv6 address as a 128-bit number; bit 0 in the slicing helpers is the first bit on the
/// wire (the most significant), the way RFC 7597 figures count them.
/// </summary>
public readonly struct Ipv6Address : IEquatable<Ipv6Address>
{
    public const int MaxTextLength = 39;

    public UInt128 Value { get; }

    public Ipv6Address(UInt128 value) => Value = value;

    public Ipv6Address(ulong high, ulong low) => Value = new UInt128(high, low);

    public ulong High => (ulong)(Value >> 64);
    public ulong Low => (ulong)Value;

    public static Ipv6Address FromBytes(ReadOnlySpan<byte> bytes) => new(BinaryPrimitives.ReadUInt128BigEndian(bytes));

    public void WriteBytes(Span<byte> destination) => BinaryPrimitives.WriteUInt128BigEndian(destination, Value);

    /// <summary>The mask of a prefix length (0..128): the first <paramref name="length"/> bits set.</summary>
    public static UInt128 Mask(int length) => length <= 0 ? UInt128.Zero : UInt128.MaxValue << (128 - length);

    /// <summary>
    /// <paramref name="count"/> (0..64) bits starting at bit <paramref name="start"/> (0 = the
    /// most significant), right-aligned in the result.
    /// </summary>
    public ulong GetBits(int start, int count)
    {
        if (count == 0)
            return 0;
        return (ulong)((Value << start) >> (128 - count));
    }

    /// <summary>A copy with <paramref name="count"/> (0..64) bits from <paramref name="start"/> replaced by the low bits of <paramref name="bits"/>.</summary>
    public Ipv6Address WithBits(int start, int count, ulong bits)
    {
        if (count == 0)
            return this;
        int shift = 128 - start - count;
        UInt128 field = (UInt128)(count == 64 ? ulong.MaxValue : (1UL << count) - 1) << shift;
        UInt128 value = ((UInt128)bits << shift) & field;
        return new Ipv6Address((Value & ~field) | value);
    }

    /// <summary>RFC 4291 section 2.2 text: eight groups, one "::", optional dotted IPv4 tail. No zone index.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out Ipv6Address address)
    {
        address = default;
        if (text.Length < 2 || text.Length > 45)
            return false;
        Span<ushort> groups = stackalloc ushort[8];
        int count = 0;
        int gap = -1; // index in groups where "::" stood
        int i = 0;
        if (text[0] == ':')
        {
            if (text[1] != ':')
                return false;
            gap = 0;
            i = 2;
            if (i == text.Length)
            {
                address = default;
                return true;
            }
        }
        while (i < text.Length)
        {
            if (count == 8)
                return false;
            // A dotted IPv4 tail takes the last two groups.
            int end = i;
            while (end < text.Length && text[end] != ':')
                end++;
            ReadOnlySpan<char> token = text.Slice(i, end - i);
            if (end == text.Length && token.IndexOf('.') >= 0)
            {
                if (count > 6 || !Ipv4Address.TryParse(token, out Ipv4Address v4))
                    return false;
                groups[count++] = (ushort)(v4.Value >> 16);
                groups[count++] = (ushort)v4.Value;
                i = end;
                break;
            }
            if (token.Length == 0 || token.Length > 4)
                return false;
            uint g = 0;
            foreach (char c in token)
            {
                int d = HexValue(c);
                if (d < 0)
                    return false;
                g = (g << 4) | (uint)d;
            }
            groups[count++] = (ushort)g;
            i = end;
            if (i == text.Length)
                break;
            i++; // the ':'
            if (i < text.Length && text[i] == ':')
            {
                if (gap >= 0)
                    return false;
                gap = count;
                i++;
                if (i == text.Length)
                    break;
            }
            else if (i == text.Length)
                return false; // a trailing single ':'
        }
        if (gap < 0 ? count != 8 : count > 7)
            return false;
        UInt128 value = UInt128.Zero;
        int zeros = 8 - count;
        int g2 = 0;
        for (int slot = 0; slot < 8; slot++)
        {
            ushort word;
            if (gap >= 0 && slot >= gap && slot < gap + zeros)
                word = 0;
            else
                word = groups[g2++];
            value = (value << 16) | word;
        }
        address = new Ipv6Address(value);
        return true;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    /// <summary>RFC 5952 section 4: lower case, no leading zeros, the longest run (first on a tie) of two or more zero groups as "::".</summary>
    public bool TryFormat(Span<char> destination, out int written)
    {
        written = 0;
        Span<ushort> groups = stackalloc ushort[8];
        for (int g = 0; g < 8; g++)
            groups[g] = (ushort)(Value >> (112 - 16 * g));
        int bestStart = -1, bestLength = 1;
        for (int g = 0; g < 8;)
        {
            if (groups[g] != 0)
            {
                g++;
                continue;
            }
            int start = g;
            while (g < 8 && groups[g] == 0)
                g++;
            if (g - start > bestLength)
            {
                bestStart = start;
                bestLength = g - start;
            }
        }
        int n = 0;
        for (int g = 0; g < 8; g++)
        {
            if (g == bestStart)
            {
                if (destination.Length < n + 2)
                    return false;
                destination[n++] = ':';
                destination[n++] = ':';
                g += bestLength - 1;
                continue;
            }
            if (g != 0 && g != bestStart + bestLength)
            {
                if (destination.Length < n + 1)
                    return false;
                destination[n++] = ':';
            }
            ushort word = groups[g];
            bool started = false;
            for (int shift = 12; shift >= 0; shift -= 4)
            {
                int d = (word >> shift) & 0xf;
                if (d == 0 && !started && shift != 0)
                    continue;
                started = true;
                if (destination.Length < n + 1)
                    return false;
                destination[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
            }
        }
        written = n;
        return true;
    }

    public override string ToString()
    {
        Span<char> buffer = stackalloc char[MaxTextLength];
        TryFormat(buffer, out int written);
        return new string(buffer.Slice(0, written));
    }

    public bool Equals(Ipv6Address other) => Value == other.Value;
    public override bool Equals(object? obj) => obj is Ipv6Address other && Equals(other);
    public override int GetHashCode() => Value.GetHashCode();
    public static bool operator ==(Ipv6Address left, Ipv6Address right) => left.Value == right.Value;
    public static bool operator !=(Ipv6Address left, Ipv6Address right) => left.Value != right.Value;
}
