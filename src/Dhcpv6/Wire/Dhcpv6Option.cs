using System;

namespace Mapt.Dhcpv6.Wire;

/// <summary>One option as it lies in the message: valid only as long as the message buffer.</summary>
public readonly ref struct Dhcpv6Option
{
    public Dhcpv6Option(ushort code, ReadOnlySpan<byte> body, int offset)
    {
        Code = code;
        Body = body;
        Offset = offset;
    }

    public ushort Code { get; }
    public ReadOnlySpan<byte> Body { get; }
    /// <summary>Offset of the option header in the whole message.</summary>
    public int Offset { get; }
    /// <summary>Offset of the first body byte in the whole message.</summary>
    public int BodyOffset => Offset + Dhcpv6Limits.OptionHeaderLength;

    public ParseError Error(int bodyIndex, string reason) => new(Code, BodyOffset + bodyIndex, reason);
}
