using System;
using System.Buffers.Binary;

namespace Mapt.Dhcpv6.Wire;

/// <summary>
/// A cursor over a DHCPv6 message or an option's sub-options (RFC 8415 section 8 and 21.1).
/// Bytes come from the network: nothing here throws on them. A Try method that returns false
/// leaves the cursor where it was and names the option, the byte offset and the fault.
/// Decoders of each option family live in Dhcpv6Reader.*.cs.
/// </summary>
public ref partial struct Dhcpv6Reader
{
    private readonly ReadOnlySpan<byte> _buffer;
    private readonly int _base;
    private int _position;

    /// <param name="buffer">The bytes to walk.</param>
    /// <param name="baseOffset">Where <paramref name="buffer"/> starts in the whole message, so errors name absolute offsets.</param>
    public Dhcpv6Reader(ReadOnlySpan<byte> buffer, int baseOffset = 0)
    {
        _buffer = buffer;
        _base = baseOffset;
        _position = 0;
    }

    public bool End => _position >= _buffer.Length;

    /// <summary>Absolute offset of the next byte.</summary>
    public int Offset => _base + _position;

    /// <summary>msg-type and transaction-id (RFC 8415 section 8).</summary>
    public bool TryReadHeader(out Dhcpv6MessageType type, out uint transactionId, out ParseError error)
    {
        type = 0;
        transactionId = 0;
        if (_buffer.Length - _position < Dhcpv6Limits.HeaderLength)
        {
            error = new ParseError(0, Offset, "message shorter than the 4-byte header");
            return false;
        }
        type = (Dhcpv6MessageType)_buffer[_position];
        transactionId = (uint)(_buffer[_position + 1] << 16 | _buffer[_position + 2] << 8 | _buffer[_position + 3]);
        _position += Dhcpv6Limits.HeaderLength;
        error = default;
        return true;
    }

    /// <summary>The next option header and its body (RFC 8415 section 21.1).</summary>
    public bool TryReadOption(out Dhcpv6Option option, out ParseError error)
    {
        option = default;
        int remaining = _buffer.Length - _position;
        if (remaining < Dhcpv6Limits.OptionHeaderLength)
        {
            error = new ParseError(0, Offset, remaining + " trailing byte(s), too few for an option header");
            return false;
        }
        ushort code = BinaryPrimitives.ReadUInt16BigEndian(_buffer.Slice(_position));
        int length = BinaryPrimitives.ReadUInt16BigEndian(_buffer.Slice(_position + 2));
        if (length > remaining - Dhcpv6Limits.OptionHeaderLength)
        {
            error = new ParseError(code, Offset + 2, "option-len " + length + " runs past the end (" + (remaining - Dhcpv6Limits.OptionHeaderLength) + " byte(s) left)");
            return false;
        }
        option = new Dhcpv6Option(code, _buffer.Slice(_position + Dhcpv6Limits.OptionHeaderLength, length), Offset);
        _position += Dhcpv6Limits.OptionHeaderLength + length;
        error = default;
        return true;
    }

    /// <summary>A 128-bit prefix of <paramref name="length"/> bits sent in ceil(length/8) bytes; bits past the length are ignored (RFC 7598 section 4.1).</summary>
    internal static UInt128 ReadPrefix(ReadOnlySpan<byte> bytes, int length)
    {
        Span<byte> full = stackalloc byte[16];
        full.Clear();
        bytes.Slice(0, PrefixBytes(length)).CopyTo(full);
        return Mask(BinaryPrimitives.ReadUInt128BigEndian(full), length);
    }

    internal static int PrefixBytes(int length) => (length + 7) / 8;

    internal static UInt128 Mask(UInt128 value, int length) =>
        length <= 0 ? UInt128.Zero : length >= 128 ? value : value & (UInt128.MaxValue << (128 - length));
}
