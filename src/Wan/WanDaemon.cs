using System;
using System.Collections.Generic;
using Mapt.Apply;
using Mapt.Dhcpv6;
using Mapt.Netlink;
using Mapt.Platform;
using Microsoft.Extensions.Logging;

namespace Mapt.Wan;

/// <summary>
/// The daemon: the one event loop with the real parts plugged in. rtnetlink events, the
/// DHCPv6 socket, timers and signals become <see cref="WanEvent"/>s for
/// <see cref="WanMachine"/>; its actions are run here (WanDaemon.Apply.cs applies and undoes,
/// WanDaemon.Dhcp.cs drives the client, WanDaemon.Status.cs writes the TR-181 state file).
/// Events raised while an action runs are queued and handled after it, in order.
/// </summary>
public sealed partial class WanDaemon : IDisposable
{
    private const int Sigint = 2, Sighup = 1, Sigusr1 = 10, Sigusr2 = 12, Sigterm = 15;

    private readonly ILoggerFactory _logs;
    private readonly ILogger _log;
    private readonly EventLoop _loop;
    private readonly WanMachine _machine;
    private readonly JournalStore _journalStore;
    private readonly Queue<WanEvent> _pending = new();
    private readonly MapContent? _static;
    private WanConfig _config;
    private RtnlClient? _rtnl;
    private RtnlMonitor? _monitor;
    private IptablesApplier _iptables;
    private bool _dispatching;
    private int _wanIndex;
    private int _mapIndex;
    private bool _flushArmed;

    public WanDaemon(WanConfig config, MapContent? staticContent, ILoggerFactory logs)
    {
        _config = config;
        _static = staticContent;
        _logs = logs;
        _log = logs.CreateLogger("Mapt.Wan");
        _loop = new EventLoop(logs.CreateLogger("Mapt.Platform"));
        _machine = new WanMachine(mapDeviceReady: config.Translator != TranslatorKind.None);
        _journalStore = new JournalStore(config.FlashDir);
        _iptables = new IptablesApplier(IptablesTools.ByName(config.Iptables) ?? IptablesTools.Default, logs.CreateLogger("Mapt.Apply"));
        _since = DateTimeOffset.UtcNow;
    }

    public WanState State => _machine.State;

    /// <summary>Runs until an orderly stop; returns the exit code.</summary>
    public int Run()
    {
        WanLog.Starting(_log, BuildInfo.Version, _config.Wan, _config.MapDevice, WanConfig.TranslatorName(_config.Translator), _config.FlashDir, _config.RunDir);
        AtomicFile.EnsureDirectory(_config.FlashDir);
        AtomicFile.EnsureDirectory(_config.RunDir);
        if (_static is not null)
            WanLog.StaticMap(_log, _config.File, _static.Key);

        _rtnl = RtnlClient.Open();

        foreach (int signal in new[] { Sigterm, Sigint })
            _loop.AddSignal(signal, () => Post(WanEvent.Of(WanEventKind.Stop, signal == Sigterm ? "SIGTERM" : "SIGINT")));
        _loop.AddSignal(Sighup, () => Post(WanEvent.Of(WanEventKind.Reload)));
        _loop.AddSignal(Sigusr1, () => Post(WanEvent.Of(WanEventKind.ForceRenew)));
        _loop.AddSignal(Sigusr2, () => Post(WanEvent.Of(WanEventKind.Dump)));

        _monitor = RtnlMonitor.Open(_rtnl, _logs.CreateLogger("Mapt.Netlink"));
        _monitor.LinkChanged = OnLink;
        _monitor.AddressChanged = OnAddress;
        _monitor.RouteChanged = OnRoute;
        _monitor.Resynced = _ => Reassess("netlink events lost; state dumped again");
        _loop.AddReader(_monitor.Fd, () => { _monitor.Drain(); AfterEvents(); }, "rtnetlink");

        WriteStatus();
        // A journal left behind means the last run died with MAP-T applied: undo it before
        // anything is applied, so nothing lands over its leftovers. With DHCPv6, after Reassess
        // on purpose: the first Solicit is already out, and its wait for Advertises (RFC 8415
        // 18.2.1, >= 1 s) overlaps the undo; no Reply is handled before the loop runs. A static
        // rule would be applied inside Reassess, so then the undo comes first.
        if (_static is not null)
            RecoverJournal(_rtnl);
        Reassess("start");
        if (_static is null)
            RecoverJournal(_rtnl);
        AfterEvents();
        _loop.Run();
        WanLog.Stopped(_log, 0);
        DeleteStatus();
        return 0;
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
            {
                WanEvent next = _pending.Dequeue();
                WanStep step = _machine.Handle(next);
                foreach (WanTransition t in step.Transitions)
                {
                    WanLog.StateEntered(_log, StateName(t.From), StateName(t.To), t.Reason);
                    _since = DateTimeOffset.UtcNow;
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
                    catch (Exception ex) when (ex is not OutOfMemoryException)
                    {
                        WanLog.HandlerFailed(_log, a.Kind + ": " + ex.Message);
                        _lastError = ex.Message;
                    }
                }
                if (step.Transitions.Count != 0 || step.Actions.Count != 0)
                    WriteStatus();
            }
        }
        finally
        {
            _dispatching = false;
        }
    }

    private void Run(WanAction a)
    {
        switch (a.Kind)
        {
            case WanActionKind.Solicit: StartDhcp(rebind: false); break;
            case WanActionKind.Rebind: StartDhcp(rebind: true); break;
            case WanActionKind.Renew: RenewDhcp(); break;
            case WanActionKind.StopDhcp: StopDhcp(); break;
            case WanActionKind.Release: ReleaseDhcp(); break;
            case WanActionKind.Apply: Post(ApplyOffered(replace: false)); break;
            case WanActionKind.Replace: Post(ApplyOffered(replace: true)); break;
            case WanActionKind.Teardown: TearDown(); Post(WanEvent.Of(WanEventKind.TeardownDone)); break;
            case WanActionKind.RestoreRoutes: RestoreRoutes(); break;
            case WanActionKind.ScheduleRetry:
                _loop.AddTimerIn(RetryMs, () => { Post(WanEvent.Of(WanEventKind.RetryDue)); AfterEvents(); });
                break;
            case WanActionKind.Reload: Reload(); break;
            case WanActionKind.Dump:
                _translator?.ReportDrops();
                WriteStatus(); // the state file's counters brought up to date too
                WanLog.Dump(_log, DumpText());
                break;
            case WanActionKind.Exit: RequestExit(); break;
        }
    }

    private static int RetryMs => EnvironmentSwitches.RetryMs ?? 30_000;

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
            Logging.MaptLogging.Flush(_logs);
        });
    }

    // ---- netlink events -------------------------------------------------------------

    private void OnLink(LinkInfo link, bool removed)
    {
        if (link.Name == _config.Wan || (link.Index == _wanIndex && _wanIndex != 0))
        {
            if (removed)
                _wanIndex = 0;
            else
                _wanIndex = link.Index;
            bool up = !removed && link.IsUp && link.HasCarrier;
            if (up != _machine.LinkUp)
                Post(WanEvent.Of(up ? WanEventKind.LinkUp : WanEventKind.LinkDown, removed ? _config.Wan + " removed" : _config.Wan + (up ? " carrier up" : " carrier down")));
            if (up)
                CheckIpv6("link event");
            return;
        }
        if (link.Name == _config.MapDevice || (link.Index == _mapIndex && _mapIndex != 0))
        {
            _mapIndex = removed ? 0 : link.Index;
            if (_config.Translator != TranslatorKind.None)
                return;
            bool present = !removed;
            if (present != _machine.MapDeviceReady)
                Post(WanEvent.Of(present ? WanEventKind.MapDeviceReady : WanEventKind.MapDeviceGone, _config.MapDevice + (present ? " appeared" : " removed")));
        }
    }

    private void OnAddress(AddressInfo address, bool removed)
    {
        if (address.Index == _wanIndex && !address.Address.IsV4)
            CheckIpv6(removed ? "address removed" : "address event");
    }

    private void OnRoute(RouteInfo route, bool removed)
    {
        if (route.Family == AddressFamily.Inet6 && route.IsDefault && route.OutputInterface == _wanIndex && _wanIndex != 0)
        {
            if (removed && _machine.Applied.Length != 0 && _wanGateway.IsSet)
            {
                Post(WanEvent.Of(WanEventKind.RouteLost, "IPv6 default route via " + Text(_wanGateway) + " dev " + _config.Wan));
                return;
            }
            CheckIpv6(removed ? "IPv6 default route removed" : "IPv6 default route");
            return;
        }
        if (removed && IsOwned(route))
            Post(WanEvent.Of(WanEventKind.RouteLost, Describe(route)));
    }

    /// <summary>Reads link, address and route state afresh (start, and after lost events).</summary>
    private void Reassess(string why)
    {
        LinkInfo? wan = null;
        bool mapPresent = false;
        foreach (LinkInfo l in _rtnl!.DumpLinks())
        {
            if (l.Name == _config.Wan)
                wan = l;
            if (l.Name == _config.MapDevice)
            {
                mapPresent = true;
                _mapIndex = l.Index;
            }
        }
        _wanIndex = wan?.Index ?? 0;
        bool up = wan is not null && wan.IsUp && wan.HasCarrier;
        if (up != _machine.LinkUp)
            Post(WanEvent.Of(up ? WanEventKind.LinkUp : WanEventKind.LinkDown, why + (wan is null ? ": " + _config.Wan + " does not exist" : "")));
        if (_config.Translator == TranslatorKind.None && mapPresent != _machine.MapDeviceReady)
            Post(WanEvent.Of(mapPresent ? WanEventKind.MapDeviceReady : WanEventKind.MapDeviceGone, why + ": " + _config.MapDevice + (mapPresent ? " present" : " absent")));
        if (up)
            CheckIpv6(why);
        if (_machine.Applied.Length != 0)
            foreach (OwnedRoute r in _owned)
                if (!RouteExists(r))
                {
                    Post(WanEvent.Of(WanEventKind.RouteLost, r.Text));
                    break;
                }
    }

    /// <summary>IPv6 is ready when the WAN has a usable link-local address and an IPv6 default route.</summary>
    private void CheckIpv6(string why)
    {
        if (_wanIndex == 0)
            return;
        bool linkLocal = false;
        foreach (AddressInfo a in _rtnl!.DumpAddresses(AddressFamily.Inet6, _wanIndex))
            if (a.IsUsable && (a.Address.High >> 54) == 0x3fa) // fe80::/10
                linkLocal = true;
        InetAddress gateway = default;
        foreach (RouteInfo r in _rtnl.DumpRoutes(AddressFamily.Inet6))
            if (r.IsDefault && r.OutputInterface == _wanIndex && r.Type == RouteType.Unicast)
            {
                gateway = r.Gateway;
                break;
            }
        bool ready = linkLocal && gateway.IsSet;
        if (ready)
            _wanGateway = gateway;
        if (ready != _machine.Ipv6Ready && _machine.LinkUp)
        {
            string detail = ready ? "link-local ready, default route via " + Text(gateway) : !linkLocal ? "no usable link-local address" : "no IPv6 default route";
            Post(WanEvent.Of(ready ? WanEventKind.Ipv6Ready : WanEventKind.Ipv6Lost, detail));
        }
    }

    private void RequestExit()
    {
        if (_releasing)
            return; // the Release handler stops the loop when the server answers or time runs out
        _loop.Stop();
    }

    public void Dispose()
    {
        StopTranslator();
        _dhcpSocket?.Dispose();
        _monitor?.Dispose();
        _rtnl?.Dispose();
        _loop.Dispose();
    }

    private static string StateName(WanState s) => s switch
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
