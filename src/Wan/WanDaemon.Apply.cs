using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using Mapt.Apply;
using Mapt.Map;
using Mapt.Netlink;
using Mapt.Provisioning;

namespace Mapt.Wan;

public sealed partial class WanDaemon
{
    private readonly List<OwnedRoute> _owned = new();
    // Destinations whose route was there before mapt exactly as it needs it: left untouched.
    private readonly HashSet<string> _alreadyThere = new();
    private InetAddress _wanGateway;
    private MapContent? _applied;
    private MapResult? _appliedResult;
    private Plan? _appliedPlan;
    private bool _misconfigured;
    private string _lastError = "";

    /// <summary>Apply (or replace with) the offered content; journal first, every step after it.</summary>
    private WanEvent ApplyOffered(bool replace)
    {
        MapContent? content = _offered;
        if (content is null || content.Key != _machine.Applying)
            return WanEvent.Of(WanEventKind.ApplyFailed, "the content to apply is no longer offered");
        long start = Stopwatch.GetTimestamp();
        string step = "plan";
        try
        {
            if (!content.TryCompute(out MapResult? result, out string error))
                throw new ApplyException(error);
            int wanMtu = _config.Mtu != 0 ? _config.Mtu + 20 : (int)_rtnl!.GetLink(_config.Wan).Mtu;
            var settings = new PlanSettings(_config.Wan, _config.MapDevice, wanMtu, _config.Mss == 0 ? null : _config.Mss);
            if (!Plan.TryCreate(content.ToPlanInput(result), settings, out Plan? plan, out string planError))
                throw new ApplyException(planError);

            step = "journal";
            Journal? old = replace ? _journalStore.Read(out _) : null;
            Journal journal = JournalFor(plan!, result, content, old);
            Journal written = journal;
            if (old is not null)
            {
                // Until the change is complete, a crash must undo both plans.
                Journal oldOnly = JournalReplay.OnlyIn(old, journal);
                written = new Journal { Pid = journal.Pid, Wan = journal.Wan, MapDevice = journal.MapDevice, Translator = journal.Translator, MapContent = journal.MapContent, Entries = new List<JournalEntry>(oldOnly.Entries) };
                written.Entries.AddRange(journal.Entries);
            }
            _journalStore.Write(written);

            if (_config.Translator == TranslatorKind.Tun)
            {
                step = "TUN translator " + _config.MapDevice;
                StartTranslator(result, content, settings.MapDeviceMtu);
            }
            var routes = new List<OwnedRoute>();
            foreach (PlanStep s in plan!.Setup)
            {
                step = Plan.KindName(s.Kind) + " " + Shorten(s.Text);
                RunStep(s, plan, routes);
            }
            step = "route towards the DMR";
            OwnedRoute dmrRoute = DmrRoute(content);
            // A route that was already there stays its owner's: not replaced, not restored by
            // the route monitor (a restored copy would outlive mapt's teardown).
            if (!_alreadyThere.Contains(content.Dmr.Prefix.ToString()))
            {
                _rtnl!.ReplaceRoute(dmrRoute.Route);
                routes.Add(dmrRoute);
            }

            if (old is not null)
            {
                step = "removing what only the old plan had";
                JournalReplay.Outcome o = JournalReplay.Run(JournalReplay.OnlyIn(old, journal), Undoer());
                foreach (string f in o.Failures)
                    WanLog.UndoFailed(_log, f, "after the change");
                _journalStore.Write(journal);
            }
            _owned.Clear();
            _owned.AddRange(routes);
            _applied = content;
            _appliedResult = result;
            _appliedPlan = plan;
            _lastError = "";
            WanLog.Applied(_log, ElapsedMs(start), plan.Summary());
            return WanEvent.Of(WanEventKind.ApplyDone);
        }
        catch (Exception e) when (e is ApplyException or NetlinkException or IOException or UnauthorizedAccessException or Platform.PlatformException or ArgumentException)
        {
            _lastError = step + ": " + e.Message;
            WanLog.ApplyFailed(_log, step, e.Message, RetryMs / 1000);
            return WanEvent.Of(WanEventKind.ApplyFailed, step + ": " + e.Message);
        }
    }

    private void RunStep(PlanStep s, Plan plan, List<OwnedRoute> routes)
    {
        bool ours = _config.Translator == TranslatorKind.Nat46;
        switch (s.Kind)
        {
            case PlanStepKind.Nat46:
                if (!ours)
                    return;
                // The whole nat46 setup at its first step: a change writes nothing when the
                // device already holds the new pairs (a new prefix under the same rule), edits
                // the BMR/DMR pair in place when only that differs, and re-creates the device
                // only when the FMRs changed (Nat46Configurator.Ensure).
                if (s.Nat46 == plan.Nat46Setup[0])
                    Nat46().Ensure(plan.Nat46Setup);
                break;
            case PlanStepKind.Link when _config.Translator == TranslatorKind.Tun:
                return; // the translator set its device's MTU and brought it up
            case PlanStepKind.Link:
                LinkInfo dev = _rtnl!.GetLink(s.Device!);
                _mapIndex = dev.Index;
                if (s.Mtu != 0 && dev.Mtu != (uint)s.Mtu)
                    _rtnl.SetMtu(dev.Index, (uint)s.Mtu);
                if (s.Up && !dev.IsUp)
                    _rtnl.SetLinkUp(dev.Index, true);
                break;
            case PlanStepKind.Iptables:
                _iptables.Setup(plan.Ipv4);
                break;
            case PlanStepKind.Ip6tables:
                _iptables.Setup(plan.Ipv6);
                break;
            case PlanStepKind.Sysctl:
                File.WriteAllText(SysctlPath(s.Key!), s.Value + "\n");
                break;
            case PlanStepKind.Route:
                if (_alreadyThere.Contains(s.Destination!))
                    break;
                RouteInfo route = RouteOf(s, _rtnl!.GetLink(s.Device!).Index);
                _rtnl.ReplaceRoute(route);
                routes.Add(new OwnedRoute(route, s.Destination + " dev " + s.Device));
                break;
        }
    }

    /// <summary>The main-table route a plan's route step installs through the device with <paramref name="index"/>.</summary>
    private static RouteInfo RouteOf(PlanStep s, int index)
    {
        if (!RouteText.TryParseDestination(s.Destination!, out InetAddress destination, out byte length))
            throw new ApplyException("bad route destination " + s.Destination);
        return new RouteInfo
        {
            Family = destination.Family,
            Destination = length == 0 ? default : destination,
            DestinationLength = length,
            OutputInterface = index,
            Mtu = (uint)s.Mtu,
            Table = RouteTable.Main,
        };
    }

    /// <summary>The DMR (the BR's prefix) via the WAN's IPv6 gateway: MAP-T keeps its path when the default route flaps.</summary>
    private OwnedRoute DmrRoute(MapContent content)
    {
        Mapt.Net.Ipv6Prefix p = content.Dmr.Prefix;
        var route = new RouteInfo
        {
            Family = AddressFamily.Inet6,
            Destination = InetAddress.V6(p.Address.High, p.Address.Low),
            DestinationLength = (byte)p.Length,
            Gateway = _wanGateway,
            OutputInterface = _rtnl!.GetLink(_config.Wan).Index,
            Table = RouteTable.Main,
        };
        return new OwnedRoute(route, p + " via " + Text(_wanGateway) + " dev " + _config.Wan);
    }

    /// <summary>What is about to change, as undo entries in apply order; sysctls keep the value from before mapt's first change.</summary>
    private Journal JournalFor(Plan plan, MapResult result, MapContent content, Journal? old)
    {
        var entries = new List<JournalEntry>();
        _alreadyThere.Clear();
        string dev = _config.MapDevice;
        if (_config.Translator == TranslatorKind.Nat46)
            entries.Add(JournalEntry.Of(UndoKind.Nat46Device, dev));
        foreach (PlanStep s in plan.Setup)
        {
            switch (s.Kind)
            {
                case PlanStepKind.Iptables:
                    entries.Add(new JournalEntry(UndoKind.Iptables, Array.Empty<string>(), plan.IptablesTeardown));
                    break;
                case PlanStepKind.Ip6tables:
                    entries.Add(new JournalEntry(UndoKind.Ip6tables, Array.Empty<string>(), plan.Ip6tablesTeardown));
                    break;
                case PlanStepKind.Sysctl:
                    string before = OldSysctl(old, s.Key!) ?? File.ReadAllText(SysctlPath(s.Key!)).Trim();
                    entries.Add(JournalEntry.Of(UndoKind.Sysctl, s.Key!, before));
                    break;
                case PlanStepKind.Route:
                    AddRouteEntries(entries, JournalEntry.Of(s.Destination!.Contains(':') ? UndoKind.Route6 : UndoKind.Route4, s.Destination!, s.Device!),
                        RouteOf(s, IndexOrZero(s.Device!)), old);
                    break;
            }
        }
        AddRouteEntries(entries, JournalEntry.Of(UndoKind.Route6, content.Dmr.Prefix.ToString(), _config.Wan, Text(_wanGateway)), DmrRoute(content).Route, old);
        entries.Add(JournalEntry.Of(UndoKind.Conntrack, result.Ipv4Address.ToString(), "psid=" + result.Psid.ToString(CultureInfo.InvariantCulture) + "/" + result.PsidLength.ToString(CultureInfo.InvariantCulture)));
        return new Journal
        {
            Pid = Environment.ProcessId,
            Wan = _config.Wan,
            MapDevice = dev,
            Translator = WanConfig.TranslatorName(_config.Translator),
            MapContent = content.Key,
            Entries = entries,
        };
    }

    /// <summary>
    /// The delete of mapt's route, preceded by the restore of the route it replaces (the journal
    /// runs backwards); nothing when exactly this route was there before mapt. A route the old
    /// journal already owns keeps the old journal's restore line.
    /// </summary>
    private void AddRouteEntries(List<JournalEntry> entries, JournalEntry delete, in RouteInfo ours, Journal? old)
    {
        if (old is not null && old.Entries.Contains(delete))
        {
            foreach (JournalEntry e in old.Entries)
                if (e.Kind == UndoKind.RouteRestore && e.Arg(0) == delete.Arg(0))
                    entries.Add(e);
            entries.Add(delete);
            return;
        }
        List<RouteInfo> table = _rtnl!.DumpRoutes(ours.Family);
        if (ReplacedRoute.TryFind(ours, table, out RouteInfo found))
        {
            if (ReplacedRoute.IsSame(ours, found))
            {
                _alreadyThere.Add(delete.Arg(0));
                WanLog.RouteWasThere(_log, delete.Arg(0));
                return;
            }
            string? device = found.OutputInterface == 0 ? null : _rtnl.GetLink(found.OutputInterface).Name;
            JournalEntry restore = ReplacedRoute.Restore(delete.Arg(0), found, device);
            WanLog.RouteReplaced(_log, delete.Arg(0), string.Join(' ', restore.Args, 1, restore.Args.Length - 1));
            entries.Add(restore);
        }
        entries.Add(delete);
    }

    private int IndexOrZero(string device)
    {
        try
        {
            return _rtnl!.GetLink(device).Index;
        }
        catch (NetlinkException e) when (e.Errno == Netlink.Errno.ENODEV)
        {
            return 0; // created later in the plan: no route through it can exist yet
        }
    }

    private static string? OldSysctl(Journal? old, string key)
    {
        if (old is null)
            return null;
        foreach (JournalEntry e in old.Entries)
            if (e.Kind == UndoKind.Sysctl && e.Arg(0) == key)
                return e.Arg(1);
        return null;
    }

    private static string SysctlPath(string key) => "/proc/sys/" + key.Replace('.', '/');

    /// <summary>Undo everything the journal lists, in reverse, then remove it. MAP-T and its IPv6 routes go together.</summary>
    private void TearDown()
    {
        long start = Stopwatch.GetTimestamp();
        Journal? journal = _journalStore.Read(out string? problem);
        string address = _appliedResult is null ? "-" : _appliedResult.Ipv4Address.ToString();
        int undone = 0, failed = 0;
        if (journal is not null)
        {
            if (problem is not null)
                WanLog.JournalDamaged(_log, problem, journal.Entries.Count);
            JournalReplay.Outcome o = JournalReplay.Run(journal, Undoer());
            foreach (string f in o.Failures)
                WanLog.UndoFailed(_log, f, "teardown");
            undone = o.Undone;
            failed = o.Failures.Count;
            if (failed != 0)
                _lastError = "teardown: " + o.Failures[0];
            // Not fsync'ed: if a power cut brings the journal back, undoing it again is harmless.
            _journalStore.Delete(durable: false);
        }
        StopTranslator();
        _owned.Clear();
        _applied = null;
        _appliedPlan = null;
        _appliedResult = null;
        WanLog.TornDown(_log, ElapsedMs(start), undone, failed, address);
    }

    private void RecoverJournal(RtnlClient rtnl)
    {
        Journal? journal = _journalStore.Read(out string? problem);
        if (journal is null)
            return;
        WanLog.JournalFound(_log, journal.Pid, journal.MapContent, journal.Entries.Count);
        if (problem is not null)
            WanLog.JournalDamaged(_log, problem, journal.Entries.Count);
        JournalReplay.Outcome o = JournalReplay.Run(journal, new SystemUndoer(rtnl, _iptables, _config.Nat46Control));
        foreach (string f in o.Failures)
            WanLog.UndoFailed(_log, f, "recovery");
        _journalStore.Delete();
        WanLog.JournalUndone(_log, o.Undone, o.Failures.Count);
    }

    private void RestoreRoutes()
    {
        if (_machine.Applied.Length != 0 && _wanGateway.IsSet && _wanIndex != 0)
        {
            bool hasDefault = false;
            foreach (RouteInfo r in _rtnl!.DumpRoutes(AddressFamily.Inet6))
                if (r.IsDefault && r.OutputInterface == _wanIndex)
                    hasDefault = true;
            if (!hasDefault)
                Restore(new OwnedRoute(new RouteInfo { Family = AddressFamily.Inet6, Gateway = _wanGateway, OutputInterface = _wanIndex, Table = RouteTable.Main },
                    "default via " + Text(_wanGateway) + " dev " + _config.Wan));
        }
        foreach (OwnedRoute r in _owned)
            if (!RouteExists(r))
                Restore(r);
    }

    private void Restore(OwnedRoute r)
    {
        try
        {
            _rtnl!.ReplaceRoute(r.Route);
            WanLog.RouteRestored(_log, r.Text);
        }
        catch (NetlinkException e)
        {
            _lastError = "restore " + r.Text + ": " + e.Message;
            WanLog.RouteRestoreFailed(_log, r.Text, e.Message);
        }
    }

    private bool IsOwned(RouteInfo route)
    {
        foreach (OwnedRoute r in _owned)
            if (SameRoute(r.Route, route))
                return true;
        return false;
    }

    private bool RouteExists(OwnedRoute owned)
    {
        foreach (RouteInfo r in _rtnl!.DumpRoutes(owned.Route.Family))
            if (SameRoute(owned.Route, r))
                return true;
        return false;
    }

    private static bool SameRoute(in RouteInfo a, in RouteInfo b) =>
        a.Family == b.Family && a.DestinationLength == b.DestinationLength && a.OutputInterface == b.OutputInterface
        && (a.DestinationLength == 0 || a.Destination == b.Destination);

    private static string Describe(RouteInfo r) => r.ToString();

    /// <summary>RFC 5952 text for IPv6 (netlink's own ToString spells every group).</summary>
    internal static string Text(InetAddress a) => !a.IsSet ? "-" : a.IsV4 ? a.ToString() : new Mapt.Net.Ipv6Address(a.High, a.Low).ToString();

    private SystemUndoer Undoer() => new(_rtnl!, _iptables, _config.Nat46Control);

    private Nat46Configurator Nat46() => new(new Nat46ControlFile(_config.Nat46Control), _logs.CreateLogger("Mapt.Apply"));

    private static long ElapsedMs(long start) => (Stopwatch.GetTimestamp() - start) * 1000 / Stopwatch.Frequency;

    private static string Shorten(string text)
    {
        int nl = text.IndexOf('\n');
        string first = nl < 0 ? text : text.Substring(0, nl) + " ...";
        return first.Length > 80 ? first.Substring(0, 80) + "..." : first;
    }

    private void Reload()
    {
        if (_config.File.Length == 0)
        {
            WanLog.Reloaded(_log, "(no config file)", "nothing to reload");
            return;
        }
        try
        {
            var fresh = new WanConfig();
            string text = File.ReadAllText(_config.File);
            WanConfigFile.Apply(fresh, text, _config.File);
            // Names and places cannot change under a running daemon; the rest takes effect at the next apply.
            fresh.Wan = _config.Wan;
            fresh.MapDevice = _config.MapDevice;
            fresh.FlashDir = _config.FlashDir;
            fresh.RunDir = _config.RunDir;
            fresh.Translator = _config.Translator;
            WanConfigFile.Check(fresh);
            _config = fresh;
            _iptables = new IptablesApplier(IptablesTools.ByName(fresh.Iptables) ?? IptablesTools.Default, _logs.CreateLogger("Mapt.Apply"));
            WanLog.Reloaded(_log, fresh.File, "MTU, MSS, iptables and log settings take effect at the next apply, the tr181- keys in the status at once; interface names and directories need a restart");
        }
        catch (Exception e) when (e is ConfigError or IOException or UnauthorizedAccessException)
        {
            WanLog.ReloadRefused(_log, e.Message);
        }
    }
}
