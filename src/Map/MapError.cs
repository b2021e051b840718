namespace Mapt.Map;

/// <summary>Why a MAP rule, port parameters, a DMR or a computation was refused.</summary>
public enum MapError
{
    None = 0,
    /// <summary>EA-bits length above 48 (RFC 7598 section 4.1).</summary>
    EaBitsLengthTooLong,
    /// <summary>PSID offset above 16 (PortParameters.MaxPsidOffset).</summary>
    PsidOffsetOutOfRange,
    /// <summary>PSID length above 16.</summary>
    PsidLengthOutOfRange,
    /// <summary>a + k above 16: the port field has only 16 bits (RFC 7597 section 5.1).</summary>
    PsidOffsetPlusLengthTooLong,
    /// <summary>The explicit PSID does not fit in k bits.</summary>
    PsidTooLarge,
    /// <summary>Rule IPv6 prefix length + EA-bits length above 64: the EA bits must end before the interface ID (RFC 7597 section 5.2).</summary>
    RuleIpv6PrefixPlusEaBitsTooLong,
    /// <summary>o + r > 32 gives q = o - (32 - r) PSID bits; more than 16 cannot exist.</summary>
    EaBitsLeavePsidTooLong,
    /// <summary>The explicit PSID length differs from the q = o - (32 - r) the EA bits already carry.</summary>
    PsidLengthConflictsWithEaBits,
    /// <summary>o + r < 32 delegates an IPv4 prefix: a PSID (port sharing) makes no sense with it.</summary>
    PsidWithIpv4Prefix,
    /// <summary>o = 0 with a rule IPv4 prefix shorter than /32: every CE would get the same prefix.</summary>
    NoEaBitsNeedsFullIpv4Address,
    /// <summary>The End-user prefix is shorter than n + o: some EA bits are missing.</summary>
    EndUserPrefixTooShort,
    /// <summary>The End-user prefix does not match the rule IPv6 prefix over n bits.</summary>
    EndUserPrefixOutsideRule,
    /// <summary>No rule's IPv6 prefix matches the End-user prefix.</summary>
    NoMatchingRule,
    /// <summary>DMR length is not one of 32, 40, 48, 56, 64, 96 (RFC 6052 section 2.2, errata 4865).</summary>
    DmrLengthNotAllowed,
    /// <summary>The IPv4 address is outside the rule's IPv4 prefix.</summary>
    Ipv4OutsideRule,
    /// <summary>The IPv6 address is outside the rule's (or the DMR's) IPv6 prefix.</summary>
    Ipv6OutsideRule,
    /// <summary>The port is not in any CE's port set (a system port below 2^(16-a), or port 0).</summary>
    PortNotInAnySet,
    /// <summary>The port belongs to a PSID other than the rule's explicit one.</summary>
    PortNotInExplicitPsid,
    /// <summary>The interface ID of a MAP address disagrees with its EA bits (RFC 7599 section 6).</summary>
    InterfaceIdMismatch,
    /// <summary>The bits of an RFC 6052 address that must be zero (the u-octet) are not.</summary>
    UOctetNotZero,
}

/// <summary>Operator-facing text for <see cref="MapError"/>.</summary>
public static class MapErrors
{
    public static string Describe(MapError error) => error switch
    {
        MapError.None => "no error",
        MapError.EaBitsLengthTooLong => "EA-bits length above 48",
        MapError.PsidOffsetOutOfRange => "PSID offset above 16",
        MapError.PsidLengthOutOfRange => "PSID length above 16",
        MapError.PsidOffsetPlusLengthTooLong => "PSID offset + PSID length above 16",
        MapError.PsidTooLarge => "PSID does not fit its length (give it right-aligned)",
        MapError.RuleIpv6PrefixPlusEaBitsTooLong => "rule IPv6 prefix length + EA-bits length above 64",
        MapError.EaBitsLeavePsidTooLong => "EA bits leave a PSID longer than 16",
        MapError.PsidLengthConflictsWithEaBits => "PSID length differs from o - (32 - r)",
        MapError.PsidWithIpv4Prefix => "a PSID with a delegated IPv4 prefix (o + r < 32)",
        MapError.NoEaBitsNeedsFullIpv4Address => "0 EA bits need a /32 rule IPv4 prefix",
        MapError.EndUserPrefixTooShort => "End-user prefix shorter than rule prefix + EA bits",
        MapError.EndUserPrefixOutsideRule => "End-user prefix outside the rule IPv6 prefix",
        MapError.NoMatchingRule => "no rule matches the End-user prefix",
        MapError.DmrLengthNotAllowed => "DMR length not 32, 40, 48, 56, 64 or 96",
        MapError.Ipv4OutsideRule => "outside the rule IPv4 prefix",
        MapError.Ipv6OutsideRule => "outside the rule IPv6 prefix",
        MapError.PortNotInAnySet => "port in no CE's port set",
        MapError.PortNotInExplicitPsid => "port outside the explicit PSID",
        MapError.InterfaceIdMismatch => "interface ID disagrees with the EA bits",
        MapError.UOctetNotZero => "RFC 6052 u-octet not zero",
        _ => "MAP error " + ((int)error).ToString(),
    };
}
