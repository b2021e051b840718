namespace Mapt.Dhcpv6;

/// <summary>Where the client is in RFC 8415 section 18's exchanges.</summary>
public enum ClientState
{
    /// <summary>Not started, or stopped after a Release.</summary>
    Idle,
    /// <summary>Sending Solicit, collecting Advertise (section 18.2.1).</summary>
    Soliciting,
    /// <summary>Sending Request to the chosen server (section 18.2.2).</summary>
    Requesting,
    /// <summary>A lease in force; waiting for T1.</summary>
    Bound,
    /// <summary>Sending Renew to the lease's server between T1 and T2 (section 18.2.4).</summary>
    Renewing,
    /// <summary>Sending Rebind to any server between T2 and expiry, or after a link flap (section 18.2.5, 18.2.12).</summary>
    Rebinding,
    /// <summary>Sending Release (section 18.2.7).</summary>
    Releasing,
}
