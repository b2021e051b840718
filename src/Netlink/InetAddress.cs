using System;
using System.Buffers.Binary;
using Mapt.Net;

namespace Mapt.Netlink;

/// <summary>
/// An IPv4 or IPv6 address as netlink carries it (4 or 16 bytes, network order): one type for
/// attributes whose family is only known at run time, kept as two numbers so a dump allocates
/// nothing per address. <see cref="From(Ipv4Address)"/>, <see cref="ToIpv6"/> ... convert to
/// and from Mapt.Net's types, which hold the same values.
/// </summary>
public readonly struct InetAddress : IEquatable<InetAddress>
{
    public AddressFamily Family { get; }

    /// <summary>IPv6: the first 64 bits; IPv4: 0.</summary>
    public ulong High { get; }

    /// <summary>IPv6: the last 64 bits; IPv4: the 32 bits.</summary>
    public ulong Low { get; }

    public InetAddress(AddressFamily family, ulong high, ulong low)
    {
        Family = family;
        High = high;
        Low = low;
    }

    public static InetAddress V4(uint value) => new(AddressFamily.Inet, 0, value);

    public static InetAddress V4(byte a, byte b, byte c, byte d) => V4(((uint)a << 24) | ((uint)b << 16) | ((uint)c << 8) | d);

    public static InetAddress V6(ulong high, ulong low) => new(AddressFamily.Inet6, high, low);

    public static InetAddress From(Ipv4Address address) => V4(address.Value);

    public static InetAddress From(Ipv6Address address) => V6(address.High, address.Low);

    /// <summary>The IPv6 address; for an IPv4 or unset one, an error in the caller.</summary>
    public Ipv6Address ToIpv6() => Family == AddressFamily.Inet6 ? new Ipv6Address(High, Low)
        : throw new InvalidOperationException("not an IPv6 address: " + ToString());

    /// <summary>The IPv4 address; for an IPv6 or unset one, an error in the caller.</summary>
    public Ipv4Address ToIpv4() => Family == AddressFamily.Inet ? new Ipv4Address((uint)Low)
        : throw new InvalidOperationException("not an IPv4 address: " + ToString());

    public bool IsSet => Family != AddressFamily.Unspec;

    public bool IsV4 => Family == AddressFamily.Inet;

    /// <summary>The IPv4 address as a host-order number (bit 31 first on the wire).</summary>
    public uint V4Value => (uint)Low;

    /// <summary>4 or 16; 0 when unset.</summary>
    public int Length => Family switch { AddressFamily.Inet => 4, AddressFamily.Inet6 => 16, _ => 0 };

    /// <summary>Reads an attribute value: 4 bytes is IPv4, 16 bytes IPv6, anything else is not an address.</summary>
    public static bool TryRead(ReadOnlySpan<byte> bytes, out InetAddress address)
    {
        if (bytes.Length == 4)
        {
            address = V4(BinaryPrimitives.ReadUInt32BigEndian(bytes));
            return true;
        }
        if (bytes.Length == 16)
        {
            address = V6(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]));
            return true;
        }
        address = default;
        return false;
    }

    /// <summary>Writes <see cref="Length"/> bytes in network order.</summary>
    public void Write(Span<byte> destination)
    {
        if (Family == AddressFamily.Inet)
            BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)Low);
        else if (Family == AddressFamily.Inet6)
        {
            BinaryPrimitives.WriteUInt64BigEndian(destination, High);
            BinaryPrimitives.WriteUInt64BigEndian(destination[8..], Low);
        }
        else
            throw new InvalidOperationException("an unset address has no wire form");
    }

    /// <summary>
    /// Dotted quad, or the eight IPv6 groups in full hex (unambiguous, for logs and messages;
    /// the RFC 5952 short form is Mapt.Net's job).
    /// </summary>
    public override string ToString()
    {
        if (Family == AddressFamily.Inet)
        {
            uint v = (uint)Low;
            return string.Concat(
                string.Concat((v >> 24).ToString(), ".", ((v >> 16) & 0xff).ToString()), ".",
                string.Concat(((v >> 8) & 0xff).ToString(), ".", (v & 0xff).ToString()));
        }
        if (Family != AddressFamily.Inet6)
            return "-";
        Span<char> text = stackalloc char[39];
        int pos = 0;
        for (int group = 0; group < 8; group++)
        {
            if (group > 0)
                text[pos++] = ':';
            uint word = (uint)((group < 4 ? High : Low) >> (48 - 16 * (group & 3))) & 0xffff;
            for (int shift = 12; shift >= 0; shift -= 4)
                text[pos++] = "0123456789abcdef"[(int)((word >> shift) & 0xf)];
        }
        return new string(text[..pos]);
    }

    public bool Equals(InetAddress other) => Family == other.Family && High == other.High && Low == other.Low;
    public override bool Equals(object? obj) => obj is InetAddress other && Equals(other);
    public override int GetHashCode() => (High ^ Low ^ (ulong)Family).GetHashCode();
    public static bool operator ==(InetAddress left, InetAddress right) => left.Equals(right);
    public static bool operator !=(InetAddress left, InetAddress right) => !left.Equals(right);
}
