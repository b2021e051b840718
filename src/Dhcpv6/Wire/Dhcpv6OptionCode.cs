namespace Mapt.Dhcpv6.Wire;

/// <summary>Option codes of RFC 8415 section 21 that this client sends or reads.</summary>
public static class Dhcpv6OptionCode
{
    public const ushort ClientId = 1;
    public const ushort ServerId = 2;
    public const ushort IaNa = 3;
    public const ushort IaAddr = 5;
    public const ushort Oro = 6;
    public const ushort Preference = 7;
    public const ushort ElapsedTime = 8;
    public const ushort StatusCode = 13;
    public const ushort RapidCommit = 14;
    public const ushort ReconfigureAccept = 20;
    public const ushort IaPd = 25;
    public const ushort IaPrefix = 26;
    public const ushort SolMaxRt = 82;
    public const ushort InfMaxRt = 83;
}
