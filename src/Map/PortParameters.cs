using System;

namespace Mapt.Map;

/// <summary>
/// The port parameters of a rule (RFC 7598 section 4.5, S46_PORTPARAMS): PSID offset a, PSID
/// length k and an explicit PSID. The PSID exists in two forms that are easy to confuse:
/// <see cref="Psid"/> is right-aligned (the number 0x34 for k = 8), <see cref="PsidWire"/> is
/// left-aligned in 16 bits as sent on the wire and in TR-181 Rule.PSID (0x3400).
/// </summary>
public readonly struct PortParameters : IEquatable<PortParameters>
{
    /// <summary>RFC 7597 section 5.1: excludes the system ports 0-1023.</summary>
    /// <summary>
    /// The largest PSID offset a of the algorithm (RFC 7597 section 5.1: a + k &lt;= 16; a = 16
    /// leaves no PSID bits, port 0 alone excluded): what rules, static rules and the command
    /// line accept. The one home of the PSID-offset limits, with <see cref="MaxPsidOffsetOnTheWire"/>.
    /// </summary>
    public const int MaxPsidOffset = 16;

    /// <summary>The largest offset S46_PORTPARAMS can carry (RFC 7598 section 4.5: 0..15): what the DHCPv6 reader accepts.</summary>
    public const int MaxPsidOffsetOnTheWire = 15;

    public const int DefaultPsidOffset = 6;

    public static PortParameters Default => new(DefaultPsidOffset, 0, 0);

    /// <summary>a: the number of high bits of a port excluded from the PSID (0..<see cref="MaxPsidOffset"/>).</summary>
    public int PsidOffset { get; }
    /// <summary>k: the PSID length; 0 means no explicit PSID.</summary>
    public int PsidLength { get; }
    /// <summary>The explicit PSID, right-aligned (0 .. 2^k - 1).</summary>
    public ushort Psid { get; }

    private PortParameters(int offset, int length, ushort psid)
    {
        PsidOffset = offset;
        PsidLength = length;
        Psid = psid;
    }

    /// <summary>The explicit PSID left-aligned in 16 bits, as S46_PORTPARAMS carries it.</summary>
    public ushort PsidWire => PsidToWire(Psid, PsidLength);

    public bool HasExplicitPsid => PsidLength > 0;

    public static ushort PsidToWire(ushort psid, int psidLength) =>
        psidLength == 0 ? (ushort)0 : (ushort)(psid << (16 - psidLength));

    public static ushort PsidFromWire(ushort psidWire, int psidLength) =>
        psidLength == 0 ? (ushort)0 : (ushort)(psidWire >> (16 - psidLength));

    /// <summary>From a person (the right-aligned PSID must fit in k bits).</summary>
    public static bool TryCreate(int psidOffset, int psidLength, int psid, out PortParameters parameters, out MapError error)
    {
        parameters = default;
        if (!Check(psidOffset, psidLength, out error))
            return false;
        if (psid < 0 || psid >= (1 << psidLength) || (psidLength == 0 && psid != 0))
        {
            error = MapError.PsidTooLarge;
            return false;
        }
        parameters = new PortParameters(psidOffset, psidLength, (ushort)psid);
        return true;
    }

    /// <summary>
    /// From S46_PORTPARAMS: the PSID is left-aligned; bits past k are ignored (RFC 7598 section
    /// 4.5 says PSID bits past the length are not used).
    /// </summary>
    public static bool TryFromWire(byte psidOffset, byte psidLength, ushort psidWire, out PortParameters parameters, out MapError error)
    {
        parameters = default;
        if (!Check(psidOffset, psidLength, out error))
            return false;
        parameters = new PortParameters(psidOffset, psidLength, PsidFromWire(psidWire, psidLength));
        return true;
    }

    private static bool Check(int psidOffset, int psidLength, out MapError error)
    {
        error = MapError.None;
        if ((uint)psidOffset > MaxPsidOffset)
            error = MapError.PsidOffsetOutOfRange;
        else if ((uint)psidLength > 16)
            error = MapError.PsidLengthOutOfRange;
        else if (psidOffset + psidLength > 16)
            error = MapError.PsidOffsetPlusLengthTooLong;
        return error == MapError.None;
    }

    public bool Equals(PortParameters other) => PsidOffset == other.PsidOffset && PsidLength == other.PsidLength && Psid == other.Psid;
    public override bool Equals(object? obj) => obj is PortParameters other && Equals(other);
    public override int GetHashCode() => HashCode.Combine(PsidOffset, PsidLength, Psid);
    public static bool operator ==(PortParameters left, PortParameters right) => left.Equals(right);
    public static bool operator !=(PortParameters left, PortParameters right) => !left.Equals(right);
}
