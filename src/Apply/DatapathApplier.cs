using System.Collections.Generic;
using Mapt.Provisioning;
using Microsoft.Extensions.Logging;

namespace Mapt.Apply;

/// <summary>
/// Executes the nat46 and packet-filter steps of a <see cref="Plan"/> in the plan's order and
/// returns the link, route and sysctl steps it leaves to the netlink executor (the daemon runs
/// those between and after, in the order the plan lists them).
/// </summary>
public sealed class DatapathApplier
{
    private readonly Nat46Configurator _nat46;
    private readonly IptablesApplier _iptables;
    private readonly ILogger _logger;

    public DatapathApplier(Nat46Configurator nat46, IptablesApplier iptables, ILogger logger)
    {
        _nat46 = nat46;
        _iptables = iptables;
        _logger = logger;
    }

    /// <summary>Bring-up, or replacement of whatever mapt had installed before.</summary>
    public List<PlanStep> Setup(Plan plan)
    {
        _nat46.Ensure(plan.Nat46Setup);
        _iptables.Setup(plan.Ipv4);
        _iptables.Setup(plan.Ipv6);
        return Pending(plan.Setup, "setup");
    }

    /// <summary>Removes what mapt installed (the packet filter first, then the device); harmless twice.</summary>
    public List<PlanStep> Teardown(Plan plan)
    {
        _iptables.Teardown(IpFamily.Ipv6);
        _iptables.Teardown(IpFamily.Ipv4);
        _nat46.Run(plan.Nat46Teardown);
        return Pending(plan.Teardown, "teardown");
    }

    private List<PlanStep> Pending(IReadOnlyList<PlanStep> steps, string phase)
    {
        var pending = new List<PlanStep>();
        foreach (PlanStep step in steps)
            if (step.Kind is PlanStepKind.Link or PlanStepKind.Route or PlanStepKind.Sysctl)
                pending.Add(step);
        ApplyLog.DatapathDone(_logger, phase, pending.Count);
        return pending;
    }
}
