namespace Mapt.Provisioning;

/// <summary>
/// How a shared address's LAN is SNATed (config key <c>snat</c>, issue 15). docs/notes/provisioning.md.
/// </summary>
public enum SnatMode
{
    /// <summary>One SNAT rule per port range and protocol, new connections spread round robin (<see cref="SnatStrategy"/>): any translator.</summary>
    Ranges,
    /// <summary>
    /// One SNAT rule per protocol into a contiguous virtual range, mapped onto the set by mapt's
    /// translator (<see cref="Mapt.Map.PortRemap"/>): only with --translator tun. A set that
    /// needs no remap (PSID offset 0) or does not fit one gets the ranges.
    /// </summary>
    Remap,
}
