namespace Mapt.Wan;

/// <summary>What <see cref="WanMachine"/> asks the shell to do, in the order given.</summary>
public enum WanActionKind
{
    /// <summary>Start DHCPv6 from scratch: Solicit.</summary>
    Solicit,
    /// <summary>A configuration was adopted at start: confirm its stored lease (Renew).</summary>
    ResumeDhcp,
    /// <summary>The link came back with a lease still valid: Rebind it (RFC 8415 section 18.2.12).</summary>
    Rebind,
    /// <summary>Renew now (SIGUSR1).</summary>
    Renew,
    /// <summary>Stop DHCPv6 without a Release (link down: the server cannot be reached).</summary>
    StopDhcp,
    /// <summary>Send Release and stop DHCPv6 (orderly stop).</summary>
    Release,
    /// <summary>Journal, then bring up MAP-T for the current lease.</summary>
    Apply,
    /// <summary>Journal both, bring up the new plan over the old, then remove what only the old one had.</summary>
    Replace,
    /// <summary>Undo everything the journal lists, in reverse; flush conntrack.</summary>
    Teardown,
    /// <summary>Put back the routes mapt owns.</summary>
    RestoreRoutes,
    /// <summary>Retry the apply later (back-off timer, then <see cref="WanEventKind.RetryDue"/>).</summary>
    ScheduleRetry,
    /// <summary>Re-read the configuration.</summary>
    Reload,
    /// <summary>Log a full state dump.</summary>
    Dump,
    /// <summary>Leave the event loop; the process exits 0.</summary>
    Exit,
}
