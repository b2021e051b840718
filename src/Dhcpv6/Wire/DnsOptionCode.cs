namespace Mapt.Dhcpv6.Wire;

/// <summary>DNS configuration options (RFC 3646 section 3 and 4).</summary>
public static class DnsOptionCode
{
    public const ushort DnsServers = 23;
    public const ushort DomainList = 24;
}
