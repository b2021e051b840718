namespace Mapt.Dhcpv6.Wire;

/// <summary>Status codes (RFC 8415 section 21.13).</summary>
public enum Dhcpv6StatusCode : ushort
{
    Success = 0,
    UnspecFail = 1,
    NoAddrsAvail = 2,
    NoBinding = 3,
    NotOnLink = 4,
    UseMulticast = 5,
    NoPrefixAvail = 6,
}
