namespace Mapt.Wan;

/// <summary>What can happen to the WAN side; the shell turns netlink, DHCPv6, apply results and signals into these.</summary>
public enum WanEventKind
{
    LinkUp,
    LinkDown,
    /// <summary>Link-local address usable and an IPv6 default route on the WAN.</summary>
    Ipv6Ready,
    /// <summary>The IPv6 default route or the link-local address went away (the link stays up).</summary>
    Ipv6Lost,
    /// <summary>The MAP device exists (always true for nat46; with --translator none someone else creates it).</summary>
    MapDeviceReady,
    MapDeviceGone,
    /// <summary>A Reply was accepted; the event carries the canonical MAP content ("" when the reply has no MAP-T).</summary>
    LeaseReply,
    /// <summary>DHCPv6 reached T1 and started Renew (or T2 and Rebind).</summary>
    RenewStarted,
    /// <summary>The lease expired, or the server answered NoBinding and Solicit starts again.</summary>
    LeaseLost,
    ApplyDone,
    ApplyFailed,
    TeardownDone,
    /// <summary>One of the routes mapt owns (or the IPv6 default route) was deleted behind its back.</summary>
    RouteLost,
    /// <summary>SIGTERM or SIGINT.</summary>
    Stop,
    /// <summary>SIGQUIT: stop for a restart, leaving the configuration in place for the next start to take over.</summary>
    Handover,
    /// <summary>SIGHUP.</summary>
    Reload,
    /// <summary>SIGUSR1.</summary>
    ForceRenew,
    /// <summary>SIGUSR2.</summary>
    Dump,
    /// <summary>The retry timer after an apply failure fired.</summary>
    RetryDue,
}
