using System;
using System.Collections.Generic;
using System.IO;
using Mapt.Apply;
using Mapt.Dhcpv6;
using Mapt.Netlink;
using Mapt.Platform;
using Mapt.Provisioning;
using Microsoft.Extensions.Logging;

namespace Mapt.Wan;

/// <summary>
/// The daemon: the one event loop with the real parts plugged in, and what is left once each
/// part owns its state: the event queue, the machine (<see cref="WanMachine"/>) and the switch
/// that runs its actions. The parts: <see cref="WanWatch"/> (netlink to events),
/// <see cref="DhcpDriver"/> (the DHCPv6 client, its socket, timer and stored lease),
/// <see cref="Provisioner"/> (plans, journal and the executor of src/Apply; adoption at start),
/// <see cref="TranslatorHost"/> (--translator tun) and <see cref="StatusWriter"/> (the state file).
/// Events raised while an action runs are queued and handled after it, in order.
/// </summary>
public sealed class WanDaemon : IDisposable
{
    private const int Sigint = 2, Sighup = 1, Sigquit = 3, Sigusr1 = 10, Sigusr2 = 12, Sigterm = 15;

    private readonly ILoggerFactory _logs;
    private readonly ILogger _log;
    private readonly EventLoop _loop;
    private readonly WanMachine _machine;
    private readonly Queue<WanEvent> _pending = new();
    private readonly MapContent? _static;
    private readonly TranslatorHost? _tun;
    private readonly StatusWriter _status;
    private WanConfig _config;
    private RtnlClient? _rtnl;
    private WanWatch? _watch;
    private DhcpDriver? _dhcp;
    private Provisioner? _provisioner;
    private bool _dispatching;
    private bool _flushArmed;

    public WanDaemon(WanConfig config, MapContent? staticContent, ILoggerFactory logs)
    {
        _config = config;
        _static = staticContent;
        _logs = logs;
        _log = logs.CreateLogger("Mapt.Wan");
        _loop = new EventLoop(logs.CreateLogger("Mapt.Platform"));
        _machine = new WanMachine(mapDeviceReady: config.Translator != TranslatorKind.None);
        _status = new StatusWriter(_machine, _loop, _log);
        if (config.Translator == TranslatorKind.Tun)
            _tun = new TranslatorHost(_loop, logs, WriteStatus);
    }

    public WanState State => _machine.State;

    /// <summary>How long after a failed apply it is tried again (MAPT_RETRY_MS shortens it for tests).</summary>
    internal static int RetryMs => EnvironmentSwitches.RetryMs ?? 30_000;

    /// <summary>Runs until an orderly stop; returns the exit code.</summary>
    public int Run()
    {
        WanLog.Starting(_log, BuildInfo.Version, _config.Wan, _config.MapDevice, WanConfig.TranslatorName(_config.Translator), _config.FlashDir, _config.RunDir);
        AtomicFile.EnsureDirectory(_config.RunDir);
        if (_static is not null)
            WanLog.StaticMap(_log, _config.File, _static.Key);

        _rtnl = RtnlClient.Open();
        foreach (int signal in new[] { Sigterm, Sigint })
            _loop.AddSignal(signal, () => Post(WanEvent.Of(WanEventKind.Stop, signal == Sigterm ? "SIGTERM" : "SIGINT")));
        _loop.AddSignal(Sigquit, () => Post(WanEvent.Of(WanEventKind.Handover, "SIGQUIT")));
        _loop.AddSignal(Sighup, () => Post(WanEvent.Of(WanEventKind.Reload)));
        _loop.AddSignal(Sigusr1, () => Post(WanEvent.Of(WanEventKind.ForceRenew)));
        _loop.AddSignal(Sigusr2, () => Post(WanEvent.Of(WanEventKind.Dump)));

        _provisioner = new Provisioner(_config, _rtnl, _tun, _logs);
        _watch = new WanWatch(_config, _rtnl, _machine, Post, r => _provisioner.Executor.IsOwned(r),
            () => _provisioner.Executor.MissingOwned().Count != 0, _logs);
        _watch.Open(_loop, AfterEvents);
        _dhcp = new DhcpDriver(_config, _loop, _machine, _static, Post, AfterEvents, _logs) { Usable = Usable, LeaseShown = WriteStatus };
        _status.Attach(_provisioner, _dhcp, _watch, _tun);

        WriteStatus();
        _provisioner.UndoLegacy(_config.FlashDir);
        TakeOverOrStartClean();
        _watch.Reassess("start");
        AfterEvents();
        ArmOccupancy(5_000);
        _loop.Run();
        WanLog.Stopped(_log, 0);
        _status.Delete(_config);
        return 0;
    }

    /// <summary>
    /// What the last run left decides the start: its configuration taken over (the stored lease,
    /// or the static rule, is what it applied, and everything is in place or repaired: Up at
    /// once, DHCPv6 renews), or undone; a stored lease that is still valid is then confirmed
    /// with Rebind instead of soliciting.
    /// </summary>
    private void TakeOverOrStartClean()
    {
        (bool linkUp, bool ipv6Ready, bool mapPresent) = _watch!.ReadFacts();
        bool wanReady = linkUp && ipv6Ready && (_config.Translator != TranslatorKind.None || mapPresent);
        Lease? stored = _static is null ? _dhcp!.LoadStored() : null;
        MapContent? candidate = _static ?? (stored is null ? null : MapContent.FromLease(stored));
        if (candidate is not null && Usable(candidate) is not null)
            candidate = null;
        bool adopted = _provisioner!.AdoptOrUndo(candidate, wanReady, _watch.Gateway);
        if (stored is not null)
            _dhcp!.ResumeWith(stored, renew: adopted);
        if (adopted)
            Dispatch(_machine.Adopt(candidate!.Key, "configuration of the last run taken over"));
    }

    /// <summary>Why <paramref name="content"/> cannot be applied here (null: it can): the MAP result, its sense, then the plan.</summary>
    private string? Usable(MapContent content)
    {
        if (!content.TryCompute(out Map.MapResult? result, out string error))
            return error;
        if (Map.SenseCheck.Check(content.Rules, content.Dmr, content.EndUserPrefix, LanPrefixes()) is string nonsense)
            return nonsense;
        PlanSettings settings;
        try
        {
            settings = _provisioner!.Settings(_watch!.Gateway);
        }
        catch (NetlinkException)
        {
            settings = new PlanSettings(_config.Wan, _config.MapDevice, Translator: _config.Translator);
        }
        return Plan.TryCreate(content.ToPlanInput(result), settings, out _, out error) ? null : error;
    }

    /// <summary>The gateway's own IPv4 subnets (every IPv4 address but those on the MAP device): no MAP rule may cover one.</summary>
    private List<Net.Ipv4Prefix> LanPrefixes()
    {
        var prefixes = new List<Net.Ipv4Prefix>();
        foreach (AddressInfo a in _rtnl!.DumpAddresses(AddressFamily.Inet))
            if (a.Index != _watch!.MapIndex && a.Address.IsV4 && (a.Address.V4Value >> 24) != 127)
                prefixes.Add(Net.Ipv4Prefix.Masked(a.Address.ToIpv4(), a.PrefixLength));
        return prefixes;
    }

    /// <summary>Queues an event; handled at once unless an action is running.</summary>
    private void Post(WanEvent e)
    {
        _pending.Enqueue(e);
        if (_dispatching)
            return;
        _dispatching = true;
        try
        {
            while (_pending.Count != 0)
                Dispatch(_machine.Handle(_pending.Dequeue()));
        }
        finally
        {
            _dispatching = false;
        }
    }

    private void Dispatch(WanStep step)
    {
        foreach (WanTransition t in step.Transitions)
        {
            WanLog.StateEntered(_log, StateName(t.From), StateName(t.To), t.Reason);
            _status.Entered();
            if (t.From == WanState.Changing && t.To == WanState.Up)
                _dhcp!.HoldDownUntilMs = _loop.NowMs + DhcpDriver.HoldDownMs;
        }
        // Before the actions: while an apply runs, status already says Provisioning.
        if (_machine.State is WanState.Provisioning or WanState.Changing)
            WriteStatus();
        foreach (WanAction a in step.Actions)
        {
            try
            {
                Run(a);
            }
            catch (Exception ex) when (ex is MaptException or IOException or UnauthorizedAccessException)
            {
                WanLog.HandlerFailed(_log, a.Kind + ": " + ex.Message);
                _provisioner!.LastError = ex.Message;
            }
        }
        if (step.Transitions.Count != 0 || step.Actions.Count != 0)
            WriteStatus();
    }

    private void Run(WanAction a)
    {
        switch (a.Kind)
        {
            case WanActionKind.Solicit:
            case WanActionKind.ResumeDhcp:
                _dhcp!.Start(rebind: false);
                break;
            case WanActionKind.Rebind: _dhcp!.Start(rebind: true); break;
            case WanActionKind.Renew: _dhcp!.Renew(); break;
            case WanActionKind.StopDhcp: _dhcp!.Stop(); break;
            case WanActionKind.Release: _dhcp!.Release(); break;
            case WanActionKind.Apply: Post(ApplyOffered(replace: false)); break;
            case WanActionKind.Replace: Post(ApplyOffered(replace: true)); break;
            case WanActionKind.Teardown: _provisioner!.TearDown(); Post(WanEvent.Of(WanEventKind.TeardownDone)); break;
            case WanActionKind.RestoreRoutes: RestoreRoutes(); break;
            case WanActionKind.ScheduleRetry:
                _loop.AddTimerIn(RetryMs, () => { Post(WanEvent.Of(WanEventKind.RetryDue)); AfterEvents(); });
                break;
            case WanActionKind.Reload: Reload(); break;
            case WanActionKind.Dump:
                _tun?.Translator?.ReportDrops();
                WriteStatus(); // the state file's counters brought up to date too
                WanLog.Dump(_log, _status.Dump(_provisioner!.Store.Path));
                break;
            case WanActionKind.Exit: RequestExit(); break;
        }
    }

    private WanEvent ApplyOffered(bool replace)
    {
        MapContent? content = _dhcp!.Offered;
        if (content is null || content.Key != _machine.Applying)
            return WanEvent.Of(WanEventKind.ApplyFailed, "the content to apply is no longer offered");
        Journal? old = replace ? _provisioner!.Store.Read(out _) : null;
        return _provisioner!.Apply(content, _watch!.Gateway, old);
    }

    /// <summary>
    /// After each batch of events: log lines to flash. A one-shot timer, not a periodic one, so
    /// an idle daemon does not wake up at all.
    /// </summary>
    private void AfterEvents()
    {
        if (_flushArmed)
            return;
        _flushArmed = true;
        _loop.AddTimerIn(1000, () =>
        {
            _flushArmed = false;
            _status.RefreshDrops(_config);
            Logging.MaptLogging.Flush(_logs);
        });
    }

    /// <summary>How often the occupancy warning may repeat; the measuring period is <see cref="Status.PortOccupancy.NextMeasureMs"/>'s.</summary>
    private const int OccupancyWarnMs = 600_000;
    private long _occupancyWarnedMs = -OccupancyWarnMs;
    private int _occupancyEveryMs = Status.PortOccupancy.EveryMs;

    private void ArmOccupancy(int inMs) => _loop.AddTimerIn(inMs, () =>
    {
        int? percent = MeasureOccupancy();
        _occupancyEveryMs = EnvironmentSwitches.OccupancyMs ?? Status.PortOccupancy.NextMeasureMs(percent, _occupancyEveryMs);
        ArmOccupancy(_occupancyEveryMs);
    });

    /// <summary>
    /// The port set's occupancy from a conntrack dump (issue 15): the entries whose reply goes to
    /// the MAP address, their NAT port (virtual with the remap, shown as the real one) per
    /// protocol; shown by `mapt status`, warned about above 90 % (event 640, rate-limited).
    /// Returns the fullest protocol's use in percent, null when nothing was measured.
    /// </summary>
    private int? MeasureOccupancy()
    {
        if (_provisioner?.AppliedPlan is not Plan plan || _provisioner.AppliedResult is not Map.MapResult result || !plan.Input.IsShared)
        {
            _status.Occupancy = null;
            return null;
        }
        InetAddress map = InetAddress.From(result.Ipv4Address);
        var ports = new List<(int, int)>();
        try
        {
            using ConntrackClient conntrack = ConntrackClient.Open();
            foreach (ConntrackEntry e in conntrack.Dump())
                if (e.Reply.Destination == map)
                    ports.Add((e.Reply.Protocol, e.Reply.DestinationPortOrId));
        }
        catch (Exception e) when (e is MaptException or IOException)
        {
            return null; // no conntrack (module absent): nothing to show
        }
        Status.PortOccupancy occupancy = Status.PortOccupancy.Of(result.PortSet, plan.Remap, ports);
        _status.Occupancy = occupancy;
        Status.PortOccupancy.ProtocolUse fullest = occupancy.Fullest;
        if (fullest.Percent > Status.PortOccupancy.WarnPercent && _loop.NowMs - _occupancyWarnedMs >= OccupancyWarnMs)
        {
            _occupancyWarnedMs = _loop.NowMs;
            WanLog.PortSetNearlyFull(_log, fullest.Percent, fullest.Name, fullest.InUse, fullest.Size, fullest.FullestRange,
                plan.Remap is null ? "ranges" : "remap", OccupancyWarnMs / 1000);
        }
        WriteStatus();
        return fullest.Percent;
    }

    /// <summary>Puts back the IPv6 default route (MAP-T needs it) and every route mapt owns that went missing.</summary>
    private void RestoreRoutes()
    {
        WanWatch watch = _watch!;
        if (_machine.Applied.Length != 0 && watch.Gateway.IsSet && watch.WanIndex != 0)
        {
            bool hasDefault = false;
            foreach (RouteInfo r in _rtnl!.DumpRoutes(AddressFamily.Inet6))
                if (r.IsDefault && r.OutputInterface == watch.WanIndex)
                    hasDefault = true;
            if (!hasDefault)
                Restore(new PlannedRoute(Net.Ipv6Prefix.Masked(new Net.Ipv6Address(0, 0), 0), _config.Wan, watch.Gateway.ToIpv6()));
        }
        foreach (PlannedRoute r in _provisioner!.Executor.MissingOwned())
            Restore(r);
    }

    private void Restore(PlannedRoute route)
    {
        try
        {
            _provisioner!.Executor.Restore(route);
            WanLog.RouteRestored(_log, route.Describe());
        }
        catch (NetlinkException e)
        {
            _provisioner!.LastError = "restore " + route.Describe() + ": " + e.Message;
            WanLog.RouteRestoreFailed(_log, route.Describe(), e.Message);
        }
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
            _provisioner!.Reload(fresh, _logs);
            WanLog.Reloaded(_log, fresh.File, "MTU, MSS, iptables and log settings take effect at the next apply, the tr181- keys in the status at once; interface names and directories need a restart");
        }
        catch (Exception e) when (e is ConfigError or IOException or UnauthorizedAccessException)
        {
            WanLog.ReloadRefused(_log, e.Message);
        }
    }

    private void WriteStatus() => _status.Write(_config);

    private void RequestExit()
    {
        if (_dhcp!.Releasing)
            return; // the Release handler stops the loop when the server answers or time runs out
        _loop.Stop();
    }

    public void Dispose()
    {
        _tun?.Dispose();
        _dhcp?.Dispose();
        _watch?.Dispose();
        _rtnl?.Dispose();
        _loop.Dispose();
    }

    /// <summary>RFC 5952 text for IPv6 (netlink's own ToString spells every group).</summary>
    internal static string Text(InetAddress a) => !a.IsSet ? "-" : a.IsV4 ? a.ToString() : new Mapt.Net.Ipv6Address(a.High, a.Low).ToString();

    internal static string StateName(WanState s) => s switch
    {
        WanState.WaitingForLink => "WaitingForLink",
        WanState.WaitingForIPv6 => "WaitingForIPv6",
        WanState.Soliciting => "Soliciting",
        WanState.Provisioning => "Provisioning",
        WanState.Up => "Up",
        WanState.Renewing => "Renewing",
        WanState.Changing => "Changing",
        WanState.TearingDown => "TearingDown",
        _ => "Stopped",
    };
}
