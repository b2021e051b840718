using System.Collections.Generic;
using Mapt.Net;

namespace Mapt.Provisioning;

/// <summary>
/// What the system held before a plan was applied, as far as the undo depends on it: the
/// sysctl values mapt is about to change, for each route step what sat in its slot, and what of
/// mapt the packet filter held (what a filter step's restore replaces). The
/// executor (src/Apply) reads it from the kernel; the journal is then a pure function of the
/// plan and this value (<see cref="Plan.Undo"/>). <see cref="Unobserved"/> is `mapt plan`'s
/// view: nothing read, so nothing replaced and sysctl values unknown.
/// </summary>
public sealed class Observation
{
    public static readonly Observation Unobserved = new();

    /// <summary>Sysctl key -> its value before mapt's first change.</summary>
    public Dictionary<string, string> SysctlsBefore { get; } = new();

    /// <summary>Route destination -> what was in the route step's slot.</summary>
    public Dictionary<IpPrefix, RouteFinding> Routes { get; } = new();

    /// <summary>Family -> mapt's chains and jumps installed, read for every filter step at once.</summary>
    public Dictionary<IpFamily, IptablesState> FiltersBefore { get; } = new();

    public RouteFinding RouteAt(IpPrefix destination) =>
        Routes.TryGetValue(destination, out RouteFinding f) ? f : RouteFinding.Empty;
}

/// <summary>What a route step found in its slot (same table, destination and metric).</summary>
public readonly record struct RouteFinding(RouteFindingKind Kind, PlannedRoute? Theirs)
{
    public static readonly RouteFinding Empty = new(RouteFindingKind.Empty, null);
}

public enum RouteFindingKind
{
    /// <summary>Nothing there: mapt's route is added, and deleted on undo.</summary>
    Empty,
    /// <summary>Exactly mapt's route already (an ISP router's route to the DMR): left alone, kept after teardown.</summary>
    Identical,
    /// <summary>Another route: a Replace step overwrites it and the undo puts it back.</summary>
    Replaced,
    /// <summary>Another route in the slot of an AddIfAbsent step: it stays its owner's and is used as it is.</summary>
    Foreign,
    /// <summary>mapt's own route of the plan being replaced (the old journal deletes it); <see cref="RouteFinding.Theirs"/> is what that journal puts back, if anything.</summary>
    Ours,
}
