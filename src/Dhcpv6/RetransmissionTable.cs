namespace Mapt.Dhcpv6;

/// <summary>
/// The transmission and retransmission parameters of RFC 8415 section 7.6, one record per
/// message type the client sends (Confirm is not among them: it covers addresses only, and
/// a CE confirms a delegated prefix with Rebind, section 18.2.12). Renew and Rebind get their MRD from the lease at run time
/// (until T2, until the valid lifetimes end: section 18.2.4, 18.2.5).
/// </summary>
public static class RetransmissionTable
{
    /// <summary>SOL_MAX_DELAY 1 s, SOL_TIMEOUT 1 s, SOL_MAX_RT 3600 s (a server may lower or raise it, section 21.24).</summary>
    public static readonly RetransmissionParameters Solicit = new("Solicit", 1000, 1000, 3600_000, 0, 0);
    /// <summary>REQ_TIMEOUT 1 s, REQ_MAX_RT 30 s, REQ_MAX_RC 10.</summary>
    public static readonly RetransmissionParameters Request = new("Request", 0, 1000, 30_000, 10, 0);
    /// <summary>REN_TIMEOUT 10 s, REN_MAX_RT 600 s.</summary>
    public static readonly RetransmissionParameters Renew = new("Renew", 0, 10_000, 600_000, 0, 0);
    /// <summary>REB_TIMEOUT 10 s, REB_MAX_RT 600 s.</summary>
    public static readonly RetransmissionParameters Rebind = new("Rebind", 0, 10_000, 600_000, 0, 0);
    /// <summary>INF_MAX_DELAY 1 s, INF_TIMEOUT 1 s, INF_MAX_RT 3600 s (a server may change it, section 21.25).</summary>
    public static readonly RetransmissionParameters InformationRequest = new("Information-request", 1000, 1000, 3600_000, 0, 0);
    /// <summary>REL_TIMEOUT 1 s, REL_MAX_RC 4.</summary>
    public static readonly RetransmissionParameters Release = new("Release", 0, 1000, 0, 4, 0);
}
