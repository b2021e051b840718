using System;
using System.Buffers.Binary;

namespace Mapt.Netlink;

/// <summary>
/// Enumerates attributes (rtattr / nlattr). Every nla_len is checked against the attribute
/// header and the bytes left; a bad one stops with <see cref="Malformed"/> set. Callers switch
/// on <see cref="NetlinkAttribute.Type"/> and ignore the types they do not know, so newer
/// kernels adding attributes break nothing.
/// </summary>
internal ref struct AttributeReader
{
    private readonly ReadOnlySpan<byte> _bytes;
    private int _offset;

    public AttributeReader(ReadOnlySpan<byte> bytes)
    {
        _bytes = bytes;
        _offset = 0;
        Current = default;
        Malformed = false;
    }

    public NetlinkAttribute Current { get; private set; }

    public bool Malformed { get; private set; }

    public readonly int ErrorOffset => _offset;

    public readonly AttributeReader GetEnumerator() => this;

    public bool MoveNext()
    {
        if (Malformed)
            return false;
        int left = _bytes.Length - _offset;
        // Fewer bytes than a header left over is trailing padding, not an attribute (nla_ok).
        if (left < NetlinkWire.AttributeHeaderLength)
            return false;
        ReadOnlySpan<byte> rest = _bytes[_offset..];
        ushort length = BinaryPrimitives.ReadUInt16LittleEndian(rest); // nla_len
        if (length < NetlinkWire.AttributeHeaderLength || length > left)
        {
            Malformed = true;
            Current = default;
            return false;
        }
        Current = new NetlinkAttribute(BinaryPrimitives.ReadUInt16LittleEndian(rest[2..]), rest[NetlinkWire.AttributeHeaderLength..length]);
        _offset = Math.Min(_bytes.Length, _offset + NetlinkWire.Align(length));
        return true;
    }
}
