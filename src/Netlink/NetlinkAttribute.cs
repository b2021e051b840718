using System;
using System.Buffers.Binary;
using System.Text;

namespace Mapt.Netlink;

/// <summary>One validated attribute (struct nlattr / rtattr); the typed getters check the value's length.</summary>
internal readonly ref struct NetlinkAttribute
{
    public NetlinkAttribute(ushort rawType, ReadOnlySpan<byte> value)
    {
        RawType = rawType;
        Value = value;
    }

    /// <summary>nla_type with NLA_F_NESTED and NLA_F_NET_BYTEORDER.</summary>
    public ushort RawType { get; }

    /// <summary>nla_type without the flag bits: what the switch in a parser looks at.</summary>
    public ushort Type => (ushort)(RawType & NetlinkWire.AttributeTypeMask);

    public ReadOnlySpan<byte> Value { get; }

    public AttributeReader Nested => new(Value);

    public bool TryU8(out byte value)
    {
        value = Value.Length >= 1 ? Value[0] : (byte)0;
        return Value.Length >= 1;
    }

    public bool TryU16(out ushort value)
    {
        bool ok = Value.Length >= 2;
        value = ok ? BinaryPrimitives.ReadUInt16LittleEndian(Value) : (ushort)0;
        return ok;
    }

    public bool TryU32(out uint value)
    {
        bool ok = Value.Length >= 4;
        value = ok ? BinaryPrimitives.ReadUInt32LittleEndian(Value) : 0;
        return ok;
    }

    public bool TryBe16(out ushort value)
    {
        bool ok = Value.Length >= 2;
        value = ok ? BinaryPrimitives.ReadUInt16BigEndian(Value) : (ushort)0;
        return ok;
    }

    public bool TryBe32(out uint value)
    {
        bool ok = Value.Length >= 4;
        value = ok ? BinaryPrimitives.ReadUInt32BigEndian(Value) : 0;
        return ok;
    }

    public bool TryAddress(out InetAddress address) => InetAddress.TryRead(Value, out address);

    /// <summary>A NUL-terminated string; bytes after the first NUL are ignored.</summary>
    public string AsString()
    {
        int end = Value.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end >= 0 ? Value[..end] : Value);
    }
}
