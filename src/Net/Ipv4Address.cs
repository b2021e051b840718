using System;
using System.Buffers.Binary;

namespace Mapt.Net;

/// <summary>An IPv4 address as a host-order 32-bit number (bit 31 is the first bit on the wire).</summary>
public readonly struct Ipv4Address : IEquatable<Ipv4Address>, IComparable<Ipv4Address>
{
    public const int MaxTextLength = 15;

    public uint Value { get; }

    public Ipv4Address(uint value) => Value = value;

    public Ipv4Address(byte a, byte b, byte c, byte d) => Value = ((uint)a << 24) | ((uint)b << 16) | ((uint)c << 8) | d;

    /// <summary>Reads 4 bytes in network order.</summary>
    public static Ipv4Address FromBytes(ReadOnlySpan<byte> bytes) => new(BinaryPrimitives.ReadUInt32BigEndian(bytes));

    /// <summary>Writes 4 bytes in network order.</summary>
    public void WriteBytes(Span<byte> destination) => BinaryPrimitives.WriteUInt32BigEndian(destination, Value);

    /// <summary>The mask of a prefix length (0..32): the first <paramref name="length"/> bits set.</summary>
    public static uint Mask(int length) => length <= 0 ? 0u : uint.MaxValue << (32 - length);

    /// <summary>Strict dotted quad: four decimal octets 0..255, no leading zeros (which some tools read as octal).</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out Ipv4Address address)
    {
        address = default;
        uint value = 0;
        int octets = 0;
        int i = 0;
        while (true)
        {
            int start = i;
            uint octet = 0;
            while (i < text.Length && i - start < 3 && text[i] >= '0' && text[i] <= '9')
                octet = octet * 10 + (uint)(text[i++] - '0');
            int digits = i - start;
            if (digits == 0 || octet > 255 || (digits > 1 && text[start] == '0'))
                return false;
            value = (value << 8) | octet;
            octets++;
            if (octets == 4)
                break;
            if (i >= text.Length || text[i] != '.')
                return false;
            i++;
        }
        if (i != text.Length)
            return false;
        address = new Ipv4Address(value);
        return true;
    }

    public bool TryFormat(Span<char> destination, out int written)
    {
        written = 0;
        for (int shift = 24; shift >= 0; shift -= 8)
        {
            if (shift != 24)
            {
                if (written >= destination.Length)
                    return false;
                destination[written++] = '.';
            }
            uint octet = (Value >> shift) & 0xff;
            if (!DecimalText.TryWrite(octet, destination.Slice(written), out int n))
                return false;
            written += n;
        }
        return true;
    }

    public override string ToString()
    {
        Span<char> buffer = stackalloc char[MaxTextLength];
        TryFormat(buffer, out int written);
        return new string(buffer.Slice(0, written));
    }

    public bool Equals(Ipv4Address other) => Value == other.Value;
    public override bool Equals(object? obj) => obj is Ipv4Address other && Equals(other);
    public override int GetHashCode() => (int)Value;
    public int CompareTo(Ipv4Address other) => Value.CompareTo(other.Value);
    public static bool operator ==(Ipv4Address left, Ipv4Address right) => left.Value == right.Value;
    public static bool operator !=(Ipv4Address left, Ipv4Address right) => left.Value != right.Value;
}
