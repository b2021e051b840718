using System;
using System.Collections.Generic;
using System.IO;
using Mapt.Netlink;
using Mapt.Platform;
using Mapt.Provisioning;
using Microsoft.Extensions.Logging;

namespace Mapt.Apply;

/// <summary>
/// Runs plans and journals on the real system, and nothing else does: nat46 through its control
/// file (each write read back), the packet filter through iptables-restore, links, routes and
/// sysctls through rtnetlink and /proc/sys, mapt's TUN device through the daemon's translator
/// (<see cref="ITunHost"/>). It also reads what a plan needs observed before it is applied
/// (<see cref="Observe"/>) and what a running configuration holds (<see cref="Differences"/>),
/// for adoption after a restart. Every step is synchronous: a change must be known to have
/// taken before the next one.
/// </summary>
public sealed class PlanExecutor
{
    private readonly RtnlClient _rtnl;
    private readonly string _nat46Control;
    private readonly ILogger _logger;
    private readonly ITunHost? _tun;
    private readonly List<PlannedRoute> _owned = new();

    public PlanExecutor(RtnlClient rtnl, IptablesApplier iptables, string nat46Control, ILogger logger, ITunHost? tun = null)
    {
        _rtnl = rtnl;
        Iptables = iptables;
        _nat46Control = nat46Control;
        _logger = logger;
        _tun = tun;
    }

    /// <summary>The packet-filter programs in use (SIGHUP may change them).</summary>
    public IptablesApplier Iptables { get; set; }

    /// <summary>The routes mapt put in place and keeps there (a route deleted behind its back is put back).</summary>
    public IReadOnlyList<PlannedRoute> Owned => _owned;

    /// <summary>
    /// What the journal of <paramref name="plan"/> depends on, read from the kernel. With the
    /// journal of the plan being replaced (<paramref name="old"/>), what mapt itself changed is
    /// seen through it: a sysctl keeps its value from before mapt, a route mapt put in its slot
    /// keeps the restore of the one it replaced.
    /// </summary>
    public Observation Observe(Plan plan, Journal? old)
    {
        var seen = new Observation();
        var tables = new Dictionary<AddressFamily, List<RouteInfo>>();
        // The restores of the filter steps then replace exactly what this read.
        foreach (KeyValuePair<IpFamily, IptablesState> installed in ReadFilters(plan))
            seen.FiltersBefore[installed.Key] = installed.Value;
        foreach (PlanStep step in plan.Setup)
        {
            switch (step)
            {
                case SysctlStep s:
                    string? before = null;
                    if (old is not null)
                        foreach (UndoStep u in old.Entries)
                            if (u is RestoreSysctl r && r.Key == s.Key)
                                before = r.Value;
                    seen.SysctlsBefore[s.Key] = before ?? ReadSysctl(s.Key);
                    break;
                case RouteStep r:
                    seen.Routes[r.Route.Destination] = FindSlot(r, old, tables);
                    break;
            }
        }
        return seen;
    }

    private RouteFinding FindSlot(RouteStep step, Journal? old, Dictionary<AddressFamily, List<RouteInfo>> tables)
    {
        PlannedRoute planned = step.Route;
        if (old is not null)
        {
            bool ours = false;
            PlannedRoute? theirs = null;
            foreach (UndoStep u in old.Entries)
            {
                if (u is DeleteRoute d && d.Route.SameSlot(planned))
                    ours = true;
                if (u is RestoreRoute rr && rr.Route.SameSlot(planned))
                    theirs = rr.Route;
            }
            // The slot holds the old plan's route: what was there before mapt is what the old journal says.
            if (ours)
                return new RouteFinding(RouteFindingKind.Ours, theirs);
        }
        AddressFamily family = planned.IsV6 ? AddressFamily.Inet6 : AddressFamily.Inet;
        if (!tables.TryGetValue(family, out List<RouteInfo>? table))
            tables[family] = table = _rtnl.DumpRoutes(family);
        RouteInfo ours2 = KernelRoute.Of(planned, IndexOrZero(planned.Device));
        if (!KernelRoute.TryFindSlot(ours2, table, out RouteInfo found))
            return RouteFinding.Empty;
        if (KernelRoute.IsSame(ours2, found))
            return new RouteFinding(RouteFindingKind.Identical, null);
        string? device = found.OutputInterface == 0 ? null : _rtnl.GetLink(found.OutputInterface).Name;
        PlannedRoute other = KernelRoute.From(found, device);
        return new RouteFinding(step.Mode == RouteMode.Replace ? RouteFindingKind.Replaced : RouteFindingKind.Foreign, other);
    }

    /// <summary>Runs one step; throws a <see cref="MaptException"/> (or IOException) naming what did not take.</summary>
    public void Run(PlanStep step, Observation seen)
    {
        switch (step)
        {
            case Nat46DeviceStep n:
                new Nat46Configurator(new Nat46ControlFile(_nat46Control), _logger).Ensure(n.Writes);
                break;
            case TunDeviceStep t:
                if (_tun is null)
                    throw new ApplyException("a TUN device step without a translator to run it");
                _tun.Ensure(t);
                break;
            case LinkStep l:
                LinkInfo dev = _rtnl.GetLink(l.Device);
                if (l.Mtu != 0 && dev.Mtu != (uint)l.Mtu)
                    _rtnl.SetMtu(dev.Index, (uint)l.Mtu);
                if (!dev.IsUp)
                    _rtnl.SetLinkUp(dev.Index, true);
                break;
            case FilterStep f:
                if (seen.FiltersBefore.TryGetValue(f.Ruleset.Family, out IptablesState? installed))
                    Iptables.Setup(f.Ruleset, installed);
                else
                    Iptables.Setup(f.Ruleset);
                break;
            case SysctlStep s:
                File.WriteAllText(SysctlPath(s.Key), s.Value + "\n");
                break;
            case RouteStep r:
                if (Plan.Skips(r, seen.RouteAt(r.Route.Destination)))
                    break;
                RouteInfo route = KernelRoute.Of(r.Route, IndexOrZero(r.Route.Device));
                // mapt's own route of the plan being replaced may sit in an AddIfAbsent slot: replace it too.
                if (r.Mode == RouteMode.Replace || seen.RouteAt(r.Route.Destination).Kind == RouteFindingKind.Ours)
                    _rtnl.ReplaceRoute(route);
                else
                    _rtnl.AddRoute(route);
                Own(r.Route);
                break;
        }
    }

    /// <summary>Forgets the owned routes (before a new apply, after a teardown).</summary>
    public void ClearOwned() => _owned.Clear();

    /// <summary>Takes over the routes a journal (of a run being adopted) says are mapt's.</summary>
    public void OwnFrom(Journal journal)
    {
        _owned.Clear();
        foreach (UndoStep u in journal.Entries)
            if (u is DeleteRoute d)
                Own(d.Route);
    }

    private void Own(PlannedRoute route)
    {
        foreach (PlannedRoute r in _owned)
            if (r.SameSlot(route))
                return;
        _owned.Add(route);
    }

    /// <summary>Whether <paramref name="route"/> (from a netlink event) is one mapt owns.</summary>
    public bool IsOwned(in RouteInfo route)
    {
        foreach (PlannedRoute r in _owned)
        {
            int index = IndexOrZero(r.Device);
            if (KernelRoute.Matches(route, KernelRoute.Of(r, index)))
                return true;
        }
        return false;
    }

    /// <summary>Owned routes missing from the kernel now.</summary>
    public List<PlannedRoute> MissingOwned()
    {
        var missing = new List<PlannedRoute>();
        foreach (PlannedRoute r in _owned)
            if (!RouteExists(r))
                missing.Add(r);
        return missing;
    }

    /// <summary>Puts an owned route back (a route deleted behind mapt's back).</summary>
    public void Restore(PlannedRoute route) => _rtnl.ReplaceRoute(KernelRoute.Of(route, IndexOrZero(route.Device)));

    private bool RouteExists(PlannedRoute planned)
    {
        int index = IndexOrZero(planned.Device);
        RouteInfo want = KernelRoute.Of(planned, index);
        foreach (RouteInfo r in _rtnl.DumpRoutes(want.Family))
            if (KernelRoute.Matches(r, want))
                return true;
        return false;
    }

    /// <summary>
    /// How the system differs from <paramref name="plan"/> as its journal says it was applied:
    /// empty when everything is in place (nat46 read-back, device, chains and jumps, sysctls,
    /// every route the journal owns). Read-only.
    /// </summary>
    public List<string> Differences(Plan plan, Journal journal)
    {
        var differences = new List<string>();
        Dictionary<IpFamily, IptablesState>? installed = null;
        string? unreadable = null;
        try
        {
            installed = ReadFilters(plan);
        }
        catch (ApplyException e)
        {
            unreadable = e.Message;
        }
        foreach (PlanStep step in plan.Setup)
        {
            try
            {
                string? d = step is not FilterStep filter ? Difference(step, journal)
                    : installed is null ? "cannot be read (" + unreadable + ")"
                    : installed[filter.Ruleset.Family].Difference(filter.Ruleset);
                if (d is not null)
                    differences.Add(step.Kind + ": " + d);
            }
            catch (Exception e) when (e is MaptException or IOException or UnauthorizedAccessException)
            {
                differences.Add(step.Kind + ": cannot be read (" + e.Message + ")");
            }
        }
        return differences;
    }

    /// <summary>
    /// What of mapt is installed in every family <paramref name="plan"/> filters: all their
    /// tables read in one batch, side by side (the four reads of a check were half of a
    /// restart's adoption time one after the other).
    /// </summary>
    private Dictionary<IpFamily, IptablesState> ReadFilters(Plan plan)
    {
        var families = new List<IpFamily>();
        foreach (PlanStep step in plan.Setup)
            if (step is FilterStep f && !families.Contains(f.Ruleset.Family))
                families.Add(f.Ruleset.Family);
        return families.Count == 0 ? new Dictionary<IpFamily, IptablesState>() : Iptables.Read(families);
    }

    private string? Difference(PlanStep step, Journal journal)
    {
        switch (step)
        {
            case Nat46DeviceStep n:
                Nat46Step last = n.Writes[n.Writes.Count - 1];
                if (!File.Exists(_nat46Control))
                    return _nat46Control + " does not exist";
                string? nat = Nat46ReadBack.Compare(File.ReadAllText(_nat46Control), n.Device, last.ExpectedPairs);
                return nat is null ? null : "device " + n.Device + ": " + nat;
            case TunDeviceStep t:
                // A device an older mapt created without IFF_VNET_HDR is not adopted as it is:
                // its readers and writers would disagree about the header in front of each packet.
                return LinkDifference(t.Device, t.Mtu) ?? Mapt.Translator.TunDevice.FlagsDifference(t.Device, Mapt.Translator.TunDevice.ReadFlags(t.Device));
            case LinkStep l:
                return LinkDifference(l.Device, l.Mtu);
            case SysctlStep s:
                string value = ReadSysctl(s.Key);
                return value == s.Value ? null : s.Key + " is " + value + ", planned " + s.Value;
            case RouteStep r:
                bool owned = false;
                foreach (UndoStep u in journal.Entries)
                    if (u is DeleteRoute d && d.Route == r.Route)
                        owned = true;
                if (!owned)
                    return null; // another owner's route was used as it was
                return RouteExists(r.Route) ? null : r.Route.Describe() + " is missing";
        }
        return null;
    }

    private string? LinkDifference(string device, int mtu)
    {
        LinkInfo link;
        try
        {
            link = _rtnl.GetLink(device);
        }
        catch (NetlinkException e) when (e.Errno == Netlink.Errno.ENODEV)
        {
            return "device " + device + " does not exist";
        }
        if (!link.IsUp)
            return "device " + device + " is down";
        if (mtu != 0 && link.Mtu != (uint)mtu)
            return "device " + device + " has MTU " + link.Mtu + ", planned " + mtu;
        return null;
    }

    public sealed record UndoOutcome(int Undone, List<string> Failures);

    /// <summary>
    /// Undoes <paramref name="entries"/> (a journal's, or part of one) in the journal's undo
    /// order, best effort: one failed step must not keep the others in place (a half-torn-down
    /// gateway is the field failure this exists for). "Already gone" counts as undone.
    /// </summary>
    public UndoOutcome Undo(IReadOnlyList<UndoStep> entries) => Undo(entries, Iptables);

    /// <summary>The same with the iptables programs the chains were installed with (a journal of another configuration).</summary>
    public UndoOutcome Undo(IReadOnlyList<UndoStep> entries, IptablesApplier iptables)
    {
        IptablesApplier mine = Iptables;
        Iptables = iptables;
        try
        {
            return UndoWith(entries);
        }
        finally
        {
            Iptables = mine;
        }
    }

    private UndoOutcome UndoWith(IReadOnlyList<UndoStep> entries)
    {
        var failures = new List<string>();
        int undone = 0;
        foreach (UndoStep step in Journal.UndoOrder(entries))
        {
            string? error = Undo(step);
            if (error is null)
                undone++;
            else
                failures.Add(step.Format() + ": " + error);
        }
        return new UndoOutcome(undone, failures);
    }

    private string? Undo(UndoStep step)
    {
        try
        {
            switch (step)
            {
                case DeleteNat46Device n: return Nat46Delete(n.Device);
                case DeleteTunDevice t: return RemoveTun(t.Device);
                case RemoveFilter f:
                    Iptables.Remove(f.Family, f.Chains);
                    return null;
                case RestoreSysctl s:
                    if (s.Value is null)
                        return "no value recorded";
                    File.WriteAllText(SysctlPath(s.Key), s.Value + "\n");
                    return null;
                case DeleteRoute d:
                    int index;
                    try
                    {
                        index = IndexOrThrow(d.Route.Device);
                    }
                    catch (NetlinkException e) when (e.Errno == Netlink.Errno.ENODEV)
                    {
                        return null; // the device went, and its routes with it
                    }
                    _rtnl.RemoveRoute(KernelRoute.Of(d.Route, index));
                    return null;
                case RestoreRoute r:
                    int at;
                    try
                    {
                        at = IndexOrThrow(r.Route.Device);
                    }
                    catch (NetlinkException e) when (e.Errno == Netlink.Errno.ENODEV)
                    {
                        return "device " + r.Route.Device + " is gone: the route that was there before mapt cannot be put back";
                    }
                    try
                    {
                        _rtnl.AddRoute(KernelRoute.Of(r.Route, at));
                    }
                    catch (NetlinkException e) when (e.Errno == Netlink.Errno.EEXIST)
                    {
                        // Back already (its owner re-added it): nothing to do.
                    }
                    return null;
                case FlushConntrack c: return Conntrack(c.Address);
            }
            return "unknown entry";
        }
        catch (NetlinkException e) when (e.Errno is Netlink.Errno.ESRCH or Netlink.Errno.ENODEV or Netlink.Errno.ENOENT)
        {
            return null; // already gone
        }
        catch (Exception e) when (e is MaptException or IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }
    }

    private string? RemoveTun(string device)
    {
        try
        {
            _rtnl.GetLink(device);
        }
        catch (NetlinkException e) when (e.Errno == Netlink.Errno.ENODEV)
        {
            return null;
        }
        if (_tun is not null)
            _tun.Remove(device);
        else
            Mapt.Translator.TunDevice.Remove(device);
        return null;
    }

    private string? Nat46Delete(string device)
    {
        try
        {
            _rtnl.GetLink(device);
        }
        catch (NetlinkException e) when (e.Errno == Netlink.Errno.ENODEV)
        {
            return null; // no device: nothing of it left in nat46 either
        }
        if (!File.Exists(_nat46Control))
            return "device " + device + " exists but " + _nat46Control + " does not (nat46 module unloaded?)";
        new Nat46Configurator(new Nat46ControlFile(_nat46Control), _logger).Run(Nat46Commands.Teardown(device));
        return null;
    }

    /// <summary>
    /// Flows SNATed to the MAP address (ctnetlink). Left in conntrack they would keep old ports
    /// (outside a new port set) or an old address alive after the rules are gone.
    /// </summary>
    private static string? Conntrack(Mapt.Net.Ipv4Address address)
    {
        try
        {
            using ConntrackClient conntrack = ConntrackClient.Open();
            conntrack.DeleteNatTo(InetAddress.From(address));
            return null;
        }
        catch (NetlinkException e) when (e.Errno == Netlink.Errno.EPROTONOSUPPORT)
        {
            // No ctnetlink (nf_conntrack_netlink not loaded; qemu-user): the conntrack tool, if any.
            string ipv4 = address.ToString();
            ChildResult r;
            try
            {
                r = ChildProcess.Run(new[] { "conntrack", "-D", "--reply-dst", ipv4 }, "", 5000);
            }
            catch (ApplyException x)
            {
                return "no ctnetlink, and " + x.Message;
            }
            // conntrack exits 1 when it deleted nothing: that is done too.
            if (r.Succeeded || r.Stderr.Contains("flow entries have been deleted", StringComparison.Ordinal))
                return null;
            return "conntrack -D --reply-dst " + ipv4 + ": " + r.Describe() + " " + r.Stderr.Trim();
        }
    }

    public static string SysctlPath(string key) => "/proc/sys/" + key.Replace('.', '/');

    private static string ReadSysctl(string key) => File.ReadAllText(SysctlPath(key)).Trim();

    private int IndexOrThrow(string? device) => device is null ? 0 : _rtnl.GetLink(device).Index;

    private int IndexOrZero(string? device)
    {
        if (device is null)
            return 0;
        try
        {
            return _rtnl.GetLink(device).Index;
        }
        catch (NetlinkException e) when (e.Errno == Netlink.Errno.ENODEV)
        {
            return 0; // created later in the plan: no route through it can exist yet
        }
    }
}
