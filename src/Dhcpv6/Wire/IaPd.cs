namespace Mapt.Dhcpv6.Wire;

/// <summary>An IA_PD as received (RFC 8415 section 21.21), copied out of the message.</summary>
public sealed class IaPd
{
    public IaPd(uint iaId, uint t1, uint t2, DelegatedPrefix[] prefixes, Dhcpv6StatusCode status, string statusMessage)
    {
        IaId = iaId;
        T1 = t1;
        T2 = t2;
        Prefixes = prefixes;
        Status = status;
        StatusMessage = statusMessage;
    }

    public uint IaId { get; }
    public uint T1 { get; }
    public uint T2 { get; }
    public DelegatedPrefix[] Prefixes { get; }
    /// <summary>The IA's own STATUS_CODE, Success when absent (RFC 8415 section 21.13).</summary>
    public Dhcpv6StatusCode Status { get; }
    public string StatusMessage { get; }
}
