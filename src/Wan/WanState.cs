namespace Mapt.Wan;

/// <summary>
/// Where the WAN side stands. Bring-up goes down this list; every exit from Up passes through
/// TearingDown, so that MAP-T and the IPv6 side are never left half-configured.
/// </summary>
public enum WanState
{
    /// <summary>The WAN interface is down (or does not exist yet).</summary>
    WaitingForLink,
    /// <summary>The link is up; waiting for a link-local address and an IPv6 default route (RA or configured).</summary>
    WaitingForIPv6,
    /// <summary>DHCPv6 is looking for a lease with MAP-T (Solicit, or Confirm/Rebind after a link flap).</summary>
    Soliciting,
    /// <summary>A lease with MAP-T is being applied (journal first, then device, routes, sysctls, iptables).</summary>
    Provisioning,
    /// <summary>MAP-T is configured and the lease is valid.</summary>
    Up,
    /// <summary>T1 passed: DHCPv6 Renew/Rebind is under way; MAP-T stays configured.</summary>
    Renewing,
    /// <summary>A reply changed the MAP content: the new plan replaces the old one.</summary>
    Changing,
    /// <summary>Everything applied is being undone (link down, lease lost, MAP-T withdrawn, stop).</summary>
    TearingDown,
    /// <summary>Orderly stop finished; the process exits.</summary>
    Stopped,
}
