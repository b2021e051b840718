using System;
using System.Buffers.Binary;

namespace Mapt.Dhcpv6.Wire;

/// <summary>
/// Writes a DHCPv6 message into the caller's buffer (RFC 8415 section 8 and 21.1). Options
/// that nest are opened with <see cref="BeginOption"/> and closed with <see cref="EndOption"/>,
/// which fills in option-len. Messages are built by this client from its own state, so the
/// buffer is sized for them; overrunning it is a bug and throws.
/// Option families live in Dhcpv6Writer.*.cs, mirroring the reader.
/// </summary>
public ref partial struct Dhcpv6Writer
{
    private readonly Span<byte> _buffer;
    private int _position;

    public Dhcpv6Writer(Span<byte> buffer)
    {
        _buffer = buffer;
        _position = 0;
    }

    public int Length => _position;
    public ReadOnlySpan<byte> Written => _buffer.Slice(0, _position);

    public void WriteHeader(Dhcpv6MessageType type, uint transactionId)
    {
        _buffer[_position] = (byte)type;
        _buffer[_position + 1] = (byte)(transactionId >> 16);
        _buffer[_position + 2] = (byte)(transactionId >> 8);
        _buffer[_position + 3] = (byte)transactionId;
        _position += Dhcpv6Limits.HeaderLength;
    }

    /// <summary>Opens an option; returns the token <see cref="EndOption"/> needs.</summary>
    public int BeginOption(ushort code)
    {
        int start = _position;
        WriteUInt16(code);
        WriteUInt16(0);
        return start;
    }

    public void EndOption(int token)
    {
        int length = _position - token - Dhcpv6Limits.OptionHeaderLength;
        if (length > ushort.MaxValue)
            throw new InvalidOperationException("option body over 65535 bytes");
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.Slice(token + 2), (ushort)length);
    }

    public void WriteOption(ushort code, scoped ReadOnlySpan<byte> body)
    {
        WriteUInt16(code);
        WriteUInt16(checked((ushort)body.Length));
        WriteBytes(body);
    }

    public void WriteByte(byte value) => _buffer[_position++] = value;

    public void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.Slice(_position), value);
        _position += 2;
    }

    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.Slice(_position), value);
        _position += 4;
    }

    public void WriteUInt128(UInt128 value)
    {
        BinaryPrimitives.WriteUInt128BigEndian(_buffer.Slice(_position), value);
        _position += 16;
    }

    public void WriteBytes(scoped ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_buffer.Slice(_position));
        _position += bytes.Length;
    }

    /// <summary>The first ceil(length/8) bytes of a prefix, as RFC 7598 sends them.</summary>
    public void WritePrefixBytes(UInt128 prefix, int length)
    {
        Span<byte> full = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(full, Dhcpv6Reader.Mask(prefix, length));
        WriteBytes(full.Slice(0, Dhcpv6Reader.PrefixBytes(length)));
    }
}
