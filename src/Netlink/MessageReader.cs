using System;
using System.Buffers.Binary;

namespace Mapt.Netlink;

/// <summary>
/// Enumerates the messages of one datagram. Every nlmsg_len is checked against the header
/// size and the bytes left; a bad one stops the enumeration with <see cref="Malformed"/> set
/// and its <see cref="ErrorOffset"/>, never an exception (kernel bytes are still input).
/// </summary>
internal ref struct MessageReader
{
    private readonly ReadOnlySpan<byte> _datagram;
    private int _offset;

    public MessageReader(ReadOnlySpan<byte> datagram)
    {
        _datagram = datagram;
        _offset = 0;
        Current = default;
        Malformed = false;
    }

    public NetlinkMessage Current { get; private set; }

    public bool Malformed { get; private set; }

    /// <summary>Where the bad header starts, when <see cref="Malformed"/>.</summary>
    public readonly int ErrorOffset => _offset;

    public readonly MessageReader GetEnumerator() => this;

    public bool MoveNext()
    {
        if (Malformed)
            return false;
        int left = _datagram.Length - _offset;
        if (left == 0)
            return false;
        ReadOnlySpan<byte> rest = _datagram[_offset..];
        if (left < NetlinkWire.HeaderLength)
            return Fail();
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(rest); // nlmsg_len
        if (length < NetlinkWire.HeaderLength || length > (uint)left)
            return Fail();
        Current = new NetlinkMessage(
            BinaryPrimitives.ReadUInt16LittleEndian(rest[4..]),
            (NlMsgFlags)BinaryPrimitives.ReadUInt16LittleEndian(rest[6..]),
            BinaryPrimitives.ReadUInt32LittleEndian(rest[8..]),
            BinaryPrimitives.ReadUInt32LittleEndian(rest[12..]),
            rest[NetlinkWire.HeaderLength..(int)length]);
        // The last message of a datagram may lack its trailing padding.
        _offset = Math.Min(_datagram.Length, _offset + NetlinkWire.Align((int)length));
        return true;
    }

    private bool Fail()
    {
        Malformed = true;
        Current = default;
        return false;
    }
}
