namespace Mapt.Dhcpv6.Wire;

/// <summary>
/// Bounds the reader enforces, so that a hostile reply cannot make the client keep
/// unbounded state. Each is far above what a real server sends.
/// </summary>
public static class Dhcpv6Limits
{
    /// <summary>Header: msg-type (1) and transaction-id (3) (RFC 8415 section 8).</summary>
    public const int HeaderLength = 4;
    /// <summary>Option code (2) and option-len (2) (RFC 8415 section 21.1).</summary>
    public const int OptionHeaderLength = 4;
    /// <summary>RFC 8415 section 11.1: a DUID is at most 128 octets, not counting its type.</summary>
    public const int MaxDuidLength = 130;
    /// <summary>The receive buffer: a reply never exceeds one unfragmented jumbo-free datagram.</summary>
    public const int MaxMessageLength = 4096;
    public const int MaxPrefixesPerIa = 16;
    public const int MaxIaPerMessage = 8;
    public const int MaxRulesPerContainer = 64;
    public const int MaxDnsServers = 16;
    public const int MaxDomainNames = 16;
    /// <summary>RFC 7598 section 4.1: ea-len is 0..48.</summary>
    public const int MaxEaLength = 48;
    /// <summary>RFC 8415 section 21.24: SOL_MAX_RT values outside 60..86400 are ignored.</summary>
    public const uint MinMaxRtSeconds = 60;
    public const uint MaxMaxRtSeconds = 86400;
}
