using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Mapt.Provisioning;

/// <summary>
/// One ordered step of a bring-up: a closed set of typed values (the derived records below are
/// all there is), so the executor (src/Apply) switches over them exhaustively and `mapt plan`
/// prints the same values the daemon runs. <see cref="Text"/> is exactly what is written (nat46
/// commands, the restore text) or, for netlink and sysctl steps, the change in `ip`/`sysctl`
/// words.
/// </summary>
public abstract record PlanStep
{
    private protected PlanStep() { }

    /// <summary>"nat46", "tun", "link", "filter", "sysctl" or "route": the word `mapt plan` and the logs use.</summary>
    public abstract string Kind { get; }

    public abstract string Text { get; }
}

/// <summary>The nat46 device with its rule pairs: one write per command, each read back (Nat46Configurator.Ensure).</summary>
public sealed record Nat46DeviceStep(string Device, IReadOnlyList<Nat46Step> Writes) : PlanStep
{
    public override string Kind => "nat46";

    public override string Text
    {
        get
        {
            var text = new StringBuilder();
            foreach (Nat46Step w in Writes)
                text.Append(text.Length == 0 ? "" : "; ").Append(w.Command);
            return text.ToString();
        }
    }
}

/// <summary>
/// mapt's own translator on a persistent TUN device (it outlives a crash of the process, with
/// its routes, so a restart can take it over), MTU set and up.
/// </summary>
public sealed record TunDeviceStep(string Device, int Mtu) : PlanStep
{
    public override string Kind => "tun";

    public override string Text => "ip tuntap add dev " + Device + " mode tun (persistent; mapt's translator attached); ip link set dev " +
        Device + " mtu " + Mtu.ToString(CultureInfo.InvariantCulture) + " up";
}

/// <summary>The MAP device's MTU and state (netlink).</summary>
public sealed record LinkStep(string Device, int Mtu) : PlanStep
{
    public override string Kind => "link";

    public override string Text => "ip link set dev " + Device + " mtu " + Mtu.ToString(CultureInfo.InvariantCulture) + " up";
}

/// <summary>mapt's chains and jumps of one family, in ONE iptables-restore --noflush (or ip6tables-restore).</summary>
public sealed record FilterStep(IptablesRuleset Ruleset) : PlanStep
{
    public override string Kind => Ruleset.Family == IpFamily.Ipv4 ? "iptables" : "ip6tables";

    /// <summary>The restore text on a system without mapt's chains (what `mapt plan --only` prints).</summary>
    public override string Text => IptablesScript.Setup(Ruleset, IptablesState.Empty);
}

/// <summary>A /proc/sys value (only the keys in <see cref="Plan.SysctlKeys"/>).</summary>
public sealed record SysctlStep(string Key, string Value) : PlanStep
{
    public override string Kind => "sysctl";

    public override string Text => "sysctl -w " + Key + "=" + Value;
}

/// <summary>A route (netlink).</summary>
public sealed record RouteStep(PlannedRoute Route, RouteMode Mode) : PlanStep
{
    public override string Kind => "route";

    public override string Text => (Route.IsV6 ? "ip -6 route " : "ip route ") + (Mode == RouteMode.Replace ? "replace " : "add ") + Route.Describe() +
        (Mode == RouteMode.AddIfAbsent ? " (unless a route to it is there: then that one is used and left alone)" : "");
}

/// <summary>How a route step meets a route already in the kernel's slot.</summary>
public enum RouteMode
{
    /// <summary>mapt's route replaces it; teardown deletes mapt's and puts the other one back.</summary>
    Replace,
    /// <summary>A route someone else holds stays theirs: mapt adds its own only when the slot is empty.</summary>
    AddIfAbsent,
}
