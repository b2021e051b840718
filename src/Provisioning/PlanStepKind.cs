namespace Mapt.Provisioning;

public enum PlanStepKind
{
    /// <summary>One write to the nat46 control file, read back after.</summary>
    Nat46,
    /// <summary>Device MTU and state (netlink).</summary>
    Link,
    /// <summary>One iptables-restore --noflush run.</summary>
    Iptables,
    /// <summary>One ip6tables-restore --noflush run.</summary>
    Ip6tables,
    /// <summary>A /proc/sys value.</summary>
    Sysctl,
    /// <summary>A route (netlink).</summary>
    Route,
}
