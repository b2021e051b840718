using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using Mapt.Apply;
using Mapt.Map;
using Mapt.Net;
using Mapt.Netlink;
using Mapt.Platform;
using Mapt.Provisioning;
using Mapt.Translator;
using Microsoft.Extensions.Logging;

namespace Mapt.Wan;

/// <summary>
/// Puts MAP content on the system and takes it off, for the machine: the plan for the content,
/// the journal written before the first change (<see cref="Plan.Undo"/> of what was observed),
/// the steps run by the executor (src/Apply), and at start the decision between taking over
/// what a previous run left (adoption), repairing it, or undoing it. It owns what is applied:
/// the content, its MAP result and plan, the journal, the last error.
/// </summary>
internal sealed class Provisioner
{
    private readonly ILogger _log;
    private readonly TranslatorHost? _tun;
    private WanConfig _config;

    public Provisioner(WanConfig config, RtnlClient rtnl, TranslatorHost? tun, ILoggerFactory logs)
    {
        _config = config;
        _tun = tun;
        _log = logs.CreateLogger("Mapt.Wan");
        Rtnl = rtnl;
        Store = new JournalStore(config.RunDir);
        Executor = new PlanExecutor(rtnl, NewIptables(config, logs), config.Nat46Control, logs.CreateLogger("Mapt.Apply"), tun);
    }

    public RtnlClient Rtnl { get; }
    public JournalStore Store { get; }
    public PlanExecutor Executor { get; }
    public MapContent? Applied { get; private set; }
    public MapResult? AppliedResult { get; private set; }
    public Plan? AppliedPlan { get; private set; }
    public string LastError { get; set; } = "";
    public long LastChangeUnix { get; private set; }

    private static IptablesApplier NewIptables(WanConfig config, ILoggerFactory logs) =>
        new(IptablesTools.ByName(config.Iptables) ?? IptablesTools.Default, logs.CreateLogger("Mapt.Apply"));

    /// <summary>A reloaded configuration: MTU, MSS and the iptables programs take effect at the next apply.</summary>
    public void Reload(WanConfig config, ILoggerFactory logs)
    {
        _config = config;
        Executor.Iptables = NewIptables(config, logs);
    }

    /// <summary>The gateway's side of a plan: names, translator, MTU, MSS, the WAN's next hop.</summary>
    public PlanSettings Settings(InetAddress gateway)
    {
        int wanMtu = _config.Mtu != 0 ? _config.Mtu + 20 : (int)Rtnl.GetLink(_config.Wan).Mtu;
        return new PlanSettings(_config.Wan, _config.MapDevice, wanMtu, _config.Mss == 0 ? null : _config.Mss,
            Translator: _config.Translator, WanGateway: gateway.IsSet ? gateway.ToIpv6() : null,
            Snat: _config.Snat, RemapKeep: _config.RemapKeep);
    }

    /// <summary>The plan for <paramref name="content"/>, or null with why it cannot be applied.</summary>
    public Plan? PlanFor(MapContent content, InetAddress gateway, out string error)
    {
        if (!content.TryCompute(out MapResult? result, out error))
            return null;
        if (!Plan.TryCreate(content.ToPlanInput(result), Settings(gateway), out Plan? plan, out error))
            return null;
        return plan;
    }

    private Journal NewJournal(MapContent content, List<UndoStep> entries) => new()
    {
        BootId = Clock.KernelBootId(),
        Pid = Environment.ProcessId,
        Wan = _config.Wan,
        MapDevice = _config.MapDevice,
        Translator = WanConfig.TranslatorName(_config.Translator),
        Iptables = _config.Iptables,
        MapContent = content.Key,
        Entries = entries,
    };

    /// <summary>
    /// Applies <paramref name="content"/>: journal first, then every step. With
    /// <paramref name="old"/> (a change, or the repair of an adopted run), the new plan is put
    /// over the old one and only what the old one alone had is removed after: no window
    /// without NAT, and until the change is complete a crash undoes both.
    /// </summary>
    public WanEvent Apply(MapContent content, InetAddress gateway, Journal? old)
    {
        long start = Stopwatch.GetTimestamp();
        string step = "plan";
        try
        {
            Plan plan = PlanFor(content, gateway, out string error) ?? throw new ApplyException(error);
            content.TryCompute(out MapResult? result, out _);

            step = "reading what is installed";
            Observation seen = Executor.Observe(plan, old);
            step = "journal";
            LogRouteFindings(plan, seen);
            Journal journal = NewJournal(content, plan.Undo(seen));
            List<UndoStep> onlyOld = old is null ? new List<UndoStep>() : Journal.OnlyIn(old, journal);
            var both = new List<UndoStep>(onlyOld);
            both.AddRange(journal.Entries);
            Store.Write(journal.With(both, content.Key));

            if (_tun is not null)
                _tun.Next = new MapAddressing(result!, new MapRuleSet(content.Rules, content.Dmr), plan.Remap);
            foreach (PlanStep s in plan.Setup)
            {
                step = s.Kind + " " + Shorten(s.Text);
                Executor.Run(s, seen);
            }
            if (onlyOld.Count != 0)
            {
                step = "removing what only the old plan had";
                PlanExecutor.UndoOutcome o = Executor.Undo(onlyOld);
                foreach (string f in o.Failures)
                    WanLog.UndoFailed(_log, f, "after the change");
            }
            if (old is not null)
                Store.Write(journal);
            Executor.OwnFrom(journal);
            Applied = content;
            AppliedResult = result;
            AppliedPlan = plan;
            LastError = "";
            LastChangeUnix = Clock.UnixNow();
            WanLog.Applied(_log, ElapsedMs(start), plan.Summary());
            return WanEvent.Of(WanEventKind.ApplyDone);
        }
        catch (Exception e) when (e is MaptException or IOException or UnauthorizedAccessException)
        {
            LastError = step + ": " + e.Message;
            WanLog.ApplyFailed(_log, step, e.Message, WanDaemon.RetryMs / 1000);
            return WanEvent.Of(WanEventKind.ApplyFailed, step + ": " + e.Message);
        }
    }

    private void LogRouteFindings(Plan plan, Observation seen)
    {
        foreach (PlanStep s in plan.Setup)
        {
            if (s is not RouteStep r)
                continue;
            RouteFinding f = seen.RouteAt(r.Route.Destination);
            switch (f.Kind)
            {
                case RouteFindingKind.Identical:
                    WanLog.RouteWasThere(_log, r.Route.Describe());
                    break;
                case RouteFindingKind.Replaced when r.Mode == RouteMode.Replace:
                    WanLog.RouteReplaced(_log, r.Route.Describe(), f.Theirs!.Describe());
                    break;
                case RouteFindingKind.Foreign:
                    WanLog.RouteHeldByAnother(_log, r.Route.Destination.ToString(), f.Theirs!.Describe());
                    break;
            }
        }
    }

    /// <summary>Undoes everything the journal lists, in reverse, then removes it. MAP-T and its IPv6 routes go together.</summary>
    public void TearDown()
    {
        long start = Stopwatch.GetTimestamp();
        Journal? journal = Store.Read(out string? problem);
        string address = AppliedResult is null ? "-" : AppliedResult.Ipv4Address.ToString();
        int undone = 0, failed = 0;
        if (journal is not null)
        {
            if (problem is not null)
                WanLog.JournalDamaged(_log, problem, journal.Entries.Count);
            PlanExecutor.UndoOutcome o = Executor.Undo(journal.Entries);
            foreach (string f in o.Failures)
                WanLog.UndoFailed(_log, f, "teardown");
            undone = o.Undone;
            failed = o.Failures.Count;
            if (failed != 0)
                LastError = "teardown: " + o.Failures[0];
            Store.Delete();
        }
        else if (problem is not null)
        {
            WanLog.JournalUnreadable(_log, problem);
        }
        _tun?.Stop(removeDevice: true);
        Executor.ClearOwned();
        Applied = null;
        AppliedPlan = null;
        AppliedResult = null;
        LastChangeUnix = Clock.UnixNow();
        WanLog.TornDown(_log, ElapsedMs(start), undone, failed, address);
    }

    /// <summary>
    /// At start: what a previous run of this boot left applied. Taken over as it is when the
    /// stored lease (or the static rule) is the content it applied and everything is in place:
    /// no teardown, no conntrack flush. Repaired (the missing steps applied again over it) when
    /// something differs. Otherwise undone, and the start is clean. Returns whether MAP-T is up.
    /// </summary>
    public bool AdoptOrUndo(MapContent? candidate, bool wanReady, InetAddress gateway)
    {
        long start = Stopwatch.GetTimestamp();
        Journal? journal = Store.Read(out string? problem);
        if (journal is null)
        {
            if (problem is not null)
                WanLog.JournalUnreadable(_log, problem);
            return false;
        }
        if (journal.FormatVersion != Journal.Version && journal.FormatVersion != 1)
        {
            WanLog.JournalUnknown(_log, Store.Path, problem ?? "unknown format");
            UndoWithoutJournal();
            Store.Delete();
            return false;
        }
        string boot = Clock.KernelBootId();
        if (journal.BootId.Length != 0 && boot.Length != 0 && journal.BootId != boot)
        {
            WanLog.JournalOfAnotherBoot(_log, Store.Path, journal.BootId);
            Store.Delete();
            return false;
        }
        string? why = problem is not null ? "the journal is damaged (" + problem + ")"
            : journal.FormatVersion != Journal.Version ? "the journal was written by an older mapt without a stored lease"
            : candidate is null ? "no valid lease is stored"
            : candidate.Key != journal.MapContent ? "the stored lease's MAP content is not what was applied"
            : journal.Wan != _config.Wan || journal.MapDevice != _config.MapDevice || journal.Translator != WanConfig.TranslatorName(_config.Translator)
                || (journal.Iptables.Length != 0 && journal.Iptables != _config.Iptables)
                ? "the WAN, MAP device, translator or iptables backend of the configuration changed"
            : !wanReady ? "the WAN has no link or no IPv6 now"
            : null;
        Plan? plan = null;
        if (why is null)
        {
            plan = PlanFor(candidate!, gateway, out string error);
            if (plan is null)
                why = "the stored lease cannot be planned: " + error;
        }
        if (why is not null)
        {
            WanLog.JournalFound(_log, journal.Pid, journal.MapContent, journal.Entries.Count, why);
            PlanExecutor.UndoOutcome o = Executor.Undo(journal.Entries, IptablesOf(journal));
            foreach (string f in o.Failures)
                WanLog.UndoFailed(_log, f, "recovery");
            Store.Delete();
            WanLog.JournalUndone(_log, o.Undone, o.Failures.Count);
            return false;
        }

        List<string> differences = Executor.Differences(plan!, journal);
        if (differences.Count == 0)
        {
            candidate!.TryCompute(out MapResult? result, out _);
            // mapt's own translator runs in this process: attach it to the device left behind.
            if (_tun is not null)
            {
                _tun.Next = new MapAddressing(result!, new MapRuleSet(candidate.Rules, candidate.Dmr), plan!.Remap);
                foreach (PlanStep s in plan!.Setup)
                    if (s is TunDeviceStep t)
                        _tun.Ensure(t);
            }
            Executor.OwnFrom(journal);
            Store.Write(NewJournal(candidate, journal.Entries));
            Applied = candidate;
            AppliedResult = result;
            AppliedPlan = plan;
            LastChangeUnix = Clock.UnixNow();
            WanLog.Adopted(_log, journal.Pid, ElapsedMs(start), plan!.Summary());
            return true;
        }
        WanLog.Repairing(_log, journal.Pid, differences.Count, string.Join("; ", differences));
        if (Apply(candidate!, gateway, journal).Kind == WanEventKind.ApplyDone)
            return true;
        Journal? both = Store.Read(out _);
        PlanExecutor.UndoOutcome undo = Executor.Undo((both ?? journal).Entries);
        foreach (string f in undo.Failures)
            WanLog.UndoFailed(_log, f, "recovery");
        Store.Delete();
        _tun?.Stop(removeDevice: true);
        WanLog.JournalUndone(_log, undo.Undone, undo.Failures.Count);
        return false;
    }

    /// <summary>
    /// A journal this mapt cannot read (a newer format): what can be found of mapt without it
    /// is removed: its chains and jumps in both families, the MAP device it would have created
    /// (nat46 or TUN) with every route through it. Sysctls and conntrack are left.
    /// </summary>
    private void UndoWithoutJournal()
    {
        var entries = new List<UndoStep>();
        if (_config.Translator == TranslatorKind.Nat46)
            entries.Add(new DeleteNat46Device(_config.MapDevice));
        else if (_config.Translator == TranslatorKind.Tun)
            entries.Add(new DeleteTunDevice(_config.MapDevice));
        foreach (IpFamily family in new[] { IpFamily.Ipv4, IpFamily.Ipv6 })
        {
            var chains = new List<IptablesChainName>();
            try
            {
                foreach (IptablesChain c in Executor.Iptables.Read(family).Chains)
                    chains.Add(new IptablesChainName(c.Table, c.Name));
            }
            catch (ApplyException e)
            {
                WanLog.UndoFailed(_log, "read " + (family == IpFamily.Ipv4 ? "iptables" : "ip6tables"), e.Message);
            }
            entries.Add(new RemoveFilter(family, chains));
        }
        PlanExecutor.UndoOutcome o = Executor.Undo(entries);
        foreach (string f in o.Failures)
            WanLog.UndoFailed(_log, f, "recovery");
        WanLog.JournalUndone(_log, o.Undone, o.Failures.Count);
    }

    /// <summary>
    /// mapt 0.1 kept its journal on flash, without a boot id: after an update of the binary while
    /// MAP-T was up, what it lists is in this kernel and is undone; after a reboot nothing of it
    /// is (mapt's device and chains are gone) and replaying it would write back sysctls and
    /// routes of the previous boot, so it is only removed.
    /// </summary>
    public void UndoLegacy(string flashDir)
    {
        string path = flashDir.TrimEnd('/') + "/" + JournalStore.FileName;
        string? text = OwnedFile.Read(path, out string? refusal);
        if (refusal is not null)
        {
            WanLog.JournalUnreadable(_log, path + " not read: " + refusal);
            return;
        }
        if (text is null)
            return;
        Journal old = Journal.Parse(text, out _);
        if (InKernel(old))
        {
            WanLog.LegacyJournal(_log, path, "mapt's device or chains are in this kernel: undoing the " + old.Entries.Count + " change(s) it lists");
            PlanExecutor.UndoOutcome o = Executor.Undo(old.Entries, IptablesOf(old));
            foreach (string f in o.Failures)
                WanLog.UndoFailed(_log, f, "recovery");
            WanLog.JournalUndone(_log, o.Undone, o.Failures.Count);
        }
        else
        {
            WanLog.LegacyJournal(_log, path, "nothing of it is in this kernel (written before a reboot): removed without replay");
        }
        try
        {
            AtomicFile.Delete(path);
        }
        catch (PlatformException e)
        {
            WanLog.JournalUnreadable(_log, "cannot remove " + path + ": " + e.Message);
        }
    }

    private bool InKernel(Journal old)
    {
        try
        {
            if (old.MapDevice.Length != 0)
            {
                Rtnl.GetLink(old.MapDevice);
                return true;
            }
        }
        catch (NetlinkException)
        {
            // no such device: look at the chains
        }
        try
        {
            foreach (IptablesState state in Executor.Iptables.Read(new[] { IpFamily.Ipv4, IpFamily.Ipv6 }).Values)
                if (state.Chains.Count != 0)
                    return true;
            return false;
        }
        catch (ApplyException)
        {
            return false;
        }
    }

    /// <summary>The iptables programs a journal's chains were installed with (a restart may come with another backend configured).</summary>
    private IptablesApplier IptablesOf(Journal journal) =>
        journal.Iptables.Length == 0 || journal.Iptables == _config.Iptables || IptablesTools.ByName(journal.Iptables) is not IptablesTools tools
            ? Executor.Iptables
            : new IptablesApplier(tools, _log);

    private static long ElapsedMs(long start) => (Stopwatch.GetTimestamp() - start) * 1000 / Stopwatch.Frequency;

    private static string Shorten(string text)
    {
        int nl = text.IndexOf('\n');
        string first = nl < 0 ? text : text.Substring(0, nl) + " ...";
        return first.Length > 80 ? first.Substring(0, 80) + "..." : first;
    }
}
