namespace Mapt.Dhcpv6.Wire;

/// <summary>A top-level S46 container exactly as received (header included), for logs and `mapt probe`.</summary>
public sealed class S46RawOption
{
    public S46RawOption(ushort code, int offset, byte[] bytes)
    {
        Code = code;
        Offset = offset;
        Bytes = bytes;
    }

    public ushort Code { get; }
    public int Offset { get; }
    public byte[] Bytes { get; }
}
