using System;
using System.Buffers.Binary;

namespace Mapt.Netlink;

/// <summary>
/// Builds one netlink request in the caller's buffer (usually stackalloc'd): the header, the
/// family's fixed header, then attributes, each aligned by <see cref="NetlinkWire.Align"/>
/// with its padding zeroed. Nested attributes are a token from <see cref="BeginNested"/>
/// whose length <see cref="EndNested"/> fills in. A buffer that is too small is a bug in the
/// caller, so it throws rather than returning false. Header fields are host order: every
/// target mapt ships for (x64, arm64) is little-endian.
/// </summary>
internal ref struct NetlinkWriter
{
    private readonly Span<byte> _buffer;
    private int _length;

    /// <summary>Starts a message: nlmsghdr with the length filled in by <see cref="Finish"/>.</summary>
    public NetlinkWriter(Span<byte> buffer, ushort type, NlMsgFlags flags, uint sequence, uint portId)
    {
        _buffer = buffer;
        _length = 0;
        Span<byte> header = Reserve(NetlinkWire.HeaderLength); // struct nlmsghdr
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], type); // nlmsg_type
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], (ushort)flags); // nlmsg_flags
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], sequence); // nlmsg_seq
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], portId); // nlmsg_pid
    }

    public readonly int Length => _length;

    /// <summary>
    /// Appends <paramref name="length"/> zeroed bytes plus zeroed padding to the next 4-byte
    /// boundary, and returns the unpadded part for the caller to fill.
    /// </summary>
    public Span<byte> Reserve(int length)
    {
        int aligned = NetlinkWire.Align(length);
        if (aligned > _buffer.Length - _length)
            throw new InvalidOperationException($"netlink request needs more than {_buffer.Length} bytes");
        Span<byte> slot = _buffer.Slice(_length, aligned);
        slot.Clear();
        _length += aligned;
        return slot[..length];
    }

    /// <summary>An attribute with an uninitialised value of <paramref name="valueLength"/> bytes.</summary>
    public Span<byte> Attribute(ushort type, int valueLength)
    {
        int total = NetlinkWire.AttributeHeaderLength + valueLength;
        Span<byte> attr = Reserve(total); // struct nlattr
        BinaryPrimitives.WriteUInt16LittleEndian(attr, checked((ushort)total)); // nla_len
        BinaryPrimitives.WriteUInt16LittleEndian(attr[2..], type); // nla_type
        return attr[NetlinkWire.AttributeHeaderLength..];
    }

    public void U8(ushort type, byte value) => Attribute(type, 1)[0] = value;

    public void U16(ushort type, ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(Attribute(type, 2), value);

    public void U32(ushort type, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Attribute(type, 4), value);

    public void Be16(ushort type, ushort value) => BinaryPrimitives.WriteUInt16BigEndian(Attribute(type, 2), value);

    public void Be32(ushort type, uint value) => BinaryPrimitives.WriteUInt32BigEndian(Attribute(type, 4), value);

    public void Bytes(ushort type, ReadOnlySpan<byte> value) => value.CopyTo(Attribute(type, value.Length));

    public void Address(ushort type, InetAddress address) => address.Write(Attribute(type, address.Length));

    /// <summary>A NUL-terminated ASCII string (interface names).</summary>
    public void String(ushort type, string value)
    {
        Span<byte> slot = Attribute(type, value.Length + 1);
        for (int i = 0; i < value.Length; i++)
            slot[i] = value[i] < 0x80 ? (byte)value[i] : (byte)'?';
        slot[value.Length] = 0;
    }

    /// <summary>Opens a nested attribute (NLA_F_NESTED set); returns the token <see cref="EndNested"/> needs.</summary>
    public int BeginNested(ushort type)
    {
        int start = _length;
        Attribute((ushort)(type | NetlinkWire.AttributeNested), 0);
        return start;
    }

    /// <summary>Fills in the length of the nested attribute opened at <paramref name="token"/>.</summary>
    public void EndNested(int token) =>
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer[token..], checked((ushort)(_length - token)));

    /// <summary>Fills in nlmsg_len and returns the finished message.</summary>
    public readonly ReadOnlySpan<byte> Finish()
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer, (uint)_length);
        return _buffer[.._length];
    }
}
