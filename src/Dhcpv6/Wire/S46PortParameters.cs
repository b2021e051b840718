namespace Mapt.Dhcpv6.Wire;

/// <summary>
/// S46_PORTPARAMS (RFC 7598 section 4.5) as sent: offset a, PSID length k, and the PSID
/// LEFT-aligned in 16 bits with the padding bits cleared. <see cref="Psid"/> is the same
/// value right-aligned, the form the MAP arithmetic uses.
/// </summary>
public readonly struct S46PortParameters
{
    public S46PortParameters(byte psidOffset, byte psidLength, ushort psidLeftAligned)
    {
        PsidOffset = psidOffset;
        PsidLength = psidLength;
        PsidLeftAligned = psidLength == 0 ? (ushort)0 : (ushort)(psidLeftAligned & (0xffff << (16 - psidLength)));
    }

    public byte PsidOffset { get; }
    public byte PsidLength { get; }
    public ushort PsidLeftAligned { get; }
    public ushort Psid => PsidLength == 0 ? (ushort)0 : (ushort)(PsidLeftAligned >> (16 - PsidLength));

    public bool Equals(S46PortParameters other) =>
        PsidOffset == other.PsidOffset && PsidLength == other.PsidLength && PsidLeftAligned == other.PsidLeftAligned;
}
