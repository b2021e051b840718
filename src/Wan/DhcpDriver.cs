using System;
using Mapt.Dhcpv6;
using Mapt.Platform;
using Microsoft.Extensions.Logging;

namespace Mapt.Wan;

/// <summary>
/// Drives the DHCPv6 client for the machine: its socket on the WAN (opened when the link-local
/// address is ready, closed on link down), its one timer, the stored lease on flash, and the
/// translation of lease changes into <see cref="WanEvent"/>s. It owns the lease in force and
/// the MAP content offered by it; whether that content is usable is the daemon's question
/// (<see cref="Usable"/>).
/// </summary>
internal sealed class DhcpDriver : IDisposable
{
    private const int SocketRetryMs = 250;
    // An orderly stop waits this long for the Reply to Release: a shutdown must not be held by
    // the server (the first Release and one retransmission fit; RFC 8415 section 18.2.7 lets it go).
    private const int ReleaseWaitMs = 1500;

    /// <summary>
    /// After a change of MAP content has been applied, the next one waits this long: a server
    /// alternating its answers cannot make the gateway rebuild NAT, routes and the translator
    /// more than twice a minute. The newest content wins when the hold-down ends.
    /// </summary>
    public const int HoldDownMs = 30_000;

    private readonly WanConfig _config;
    private readonly EventLoop _loop;
    private readonly WanMachine _machine;
    private readonly Action<WanEvent> _post;
    private readonly Action _afterEvents;
    private readonly ILoggerFactory _logs;
    private readonly ILogger _log;
    private readonly MapContent? _static;
    private readonly LeaseStore _store;
    private readonly SwitchableTransport _transport = new();
    private Dhcpv6Client? _client;
    private Dhcpv6Socket? _socket;
    private TimerHandle? _timer;
    private TimerHandle? _socketRetry;
    private bool _wanted;
    private bool _storeFailed;
    // A lease read from flash at start, used by the first start of the client instead of Solicit.
    private Lease? _resume;
    private bool _resumeWithRenew;
    private TimerHandle? _holdTimer;
    // The last time the stored lease was written, and what it held, for the write throttle.
    private long _storedAtMs = long.MinValue;
    private string _storedKey = "";

    public DhcpDriver(WanConfig config, EventLoop loop, WanMachine machine, MapContent? staticContent, Action<WanEvent> post, Action afterEvents, ILoggerFactory logs)
    {
        _config = config;
        _loop = loop;
        _machine = machine;
        _static = staticContent;
        _post = post;
        _afterEvents = afterEvents;
        _logs = logs;
        _log = logs.CreateLogger("Mapt.Wan");
        _store = new LeaseStore(config.FlashDir);
    }

    /// <summary>Called after every lease event: lease timers, and a refused content, show in the status even when the state does not move.</summary>
    public Action LeaseShown { get; set; } = () => { };

    /// <summary>Why a lease's MAP content cannot be used (null: it can): the daemon's checks.</summary>
    public Func<MapContent, string?> Usable { get; set; } = _ => null;

    public Lease? Lease { get; private set; }
    /// <summary>The MAP content of the newest usable reply (null when none, withdrawn or unusable).</summary>
    public MapContent? Offered { get; private set; }
    /// <summary>The last reply's MAP content was refused (TR-181 Error_Misconfigured).</summary>
    public bool Misconfigured { get; private set; }
    public string MisconfiguredReason { get; private set; } = "";
    /// <summary>A Release is under way: the loop stops when it ends.</summary>
    public bool Releasing { get; private set; }
    public ClientState? State => _client?.State;

    /// <summary>The client, once started (its drop counters are shown in the status).</summary>
    public Dhcpv6Client? Client => _client;

    /// <summary>Until when a new MAP content is held back (set by the daemon after each applied change).</summary>
    public long HoldDownUntilMs { get; set; }

    /// <summary>
    /// The lease kept on flash, if it is still valid: with the journal of this boot it is what
    /// a restart adopts; after a reboot, what the first message confirms (Rebind) instead of a
    /// Solicit. Its content is checked like a received one.
    /// </summary>
    public Lease? LoadStored()
    {
        LeaseRecord? record = _store.Read(out string? problem);
        if (record is null)
        {
            if (problem is not null)
                WanLog.StoredLeaseUnusable(_log, _store.Path, problem);
            return null;
        }
        string bootId = Clock.KernelBootId();
        long? age = record.AgeMs(bootId, Clock.BootTimeMs(), Clock.UnixNow());
        Lease? lease = record.ToLease(_loop.NowMs, age ?? 0, out string why);
        if (lease is null)
        {
            WanLog.StoredLeaseUnusable(_log, _store.Path, why);
            return null;
        }
        if (age is not null && _loop.NowMs >= lease.ExpiresAtMs)
        {
            WanLog.StoredLeaseUnusable(_log, _store.Path, "expired " + ((_loop.NowMs - lease.ExpiresAtMs) / 1000) + " s ago");
            _store.Delete();
            return null;
        }
        return lease;
    }

    /// <summary>The first start of the client resumes <paramref name="lease"/> (Renew: a restart in the same boot; Rebind: after a reboot).</summary>
    public void ResumeWith(Lease lease, bool renew)
    {
        _resume = lease;
        _resumeWithRenew = renew;
        Lease = lease;
        MapContent? content = MapContent.FromLease(lease);
        Offered = content is not null && Usable(content) is null ? content : null;
    }

    public void Start(bool rebind)
    {
        if (_static is not null)
        {
            // Origin Static: the rule is the lease; it never expires and needs no server.
            Offered = _static;
            _post(WanEvent.Reply(_static.Key, "static rule"));
            return;
        }
        _wanted = true;
        if (!OpenSocket())
            return;
        long now = _loop.NowMs;
        if (_client is null)
        {
            byte[] duid = DuidStore.LoadOrCreate(_config.FlashDir, _socket!.Mac, _log, new Random());
            var settings = new Dhcpv6ClientSettings(_config.Wan, duid)
            {
                RequestMapE = _config.RequestMapE,
                RequestLw4o6 = _config.RequestLw4o6,
                PinnedServerId = _config.ServerDuid,
                SkipInitialDelay = EnvironmentSwitches.DhcpNoDelay,
            };
            _client = new Dhcpv6Client(settings, _transport, _logs.CreateLogger("Mapt.Dhcpv6"));
            _client.LeaseChanged = OnLease;
            if (_resume is not null)
            {
                Lease resume = _resume;
                _resume = null;
                Schedule(_client.Resume(resume, now, rebind: !_resumeWithRenew));
            }
            else
                Schedule(_client.Start(now));
        }
        else
        {
            Schedule(rebind || _client.Lease is not null ? _client.LinkUp(now) : _client.Start(now));
        }
    }

    /// <summary>False while the WAN has no link-local address past DAD: a timer tries again.</summary>
    private bool OpenSocket()
    {
        if (_socket is not null)
            return true;
        if (!Dhcpv6Socket.TryOpen(_config.Wan, out Dhcpv6Socket? socket, out bool notReady, out string error))
        {
            WanLog.SocketNotReady(_log, _config.Wan, notReady ? "link-local address not ready" : error, SocketRetryMs);
            _loop.Cancel(_socketRetry);
            _socketRetry = _loop.AddTimerIn(SocketRetryMs, () =>
            {
                _socketRetry = null;
                if (_wanted)
                    Start(rebind: _client?.Lease is not null);
                _afterEvents();
            });
            return false;
        }
        _socket = socket!;
        _transport.Socket = socket;
        _loop.AddReader(socket!.Fd, () =>
        {
            if (_client is not null && _socket is not null)
                Schedule(_socket.Drain(_client, _loop.NowMs));
            _afterEvents();
        }, "dhcpv6");
        return true;
    }

    private void CloseSocket()
    {
        _loop.Cancel(_socketRetry);
        _socketRetry = null;
        if (_socket is null)
            return;
        _loop.Remove(_socket.Fd);
        _socket.Dispose();
        _socket = null;
        _transport.Socket = null;
    }

    public void Renew()
    {
        if (_client is not null)
            Schedule(_client.RenewNow(_loop.NowMs));
    }

    public void Stop()
    {
        _wanted = false;
        if (_client is not null)
            Schedule(_client.LinkDown(_loop.NowMs));
        CloseSocket();
    }

    /// <summary>Sends Release; the loop stops when the server answers or after <see cref="ReleaseWaitMs"/>. False when there is nothing to release.</summary>
    public bool Release()
    {
        _wanted = false;
        if (_client is null || _client.Lease is null || _socket is null)
            return false;
        Releasing = true;
        Schedule(_client.Release(_loop.NowMs));
        _loop.AddTimerIn(ReleaseWaitMs, () =>
        {
            if (!Releasing)
                return;
            WanLog.ReleaseTimedOut(_log);
            Releasing = false;
            _loop.Stop();
        });
        return true;
    }

    /// <summary>Arms the client's one timer at the deadline it returned.</summary>
    private void Schedule(long deadline)
    {
        _loop.Cancel(_timer);
        _timer = null;
        if (_client is not null && _client.State is ClientState.Renewing or ClientState.Rebinding && _machine.State == WanState.Up)
            _post(WanEvent.Of(WanEventKind.RenewStarted, _client.State == ClientState.Renewing ? "Renew" : "Rebind"));
        if (deadline == long.MaxValue || _client is null)
            return;
        _timer = _loop.AddTimer(deadline, () =>
        {
            _timer = null;
            if (_client is not null)
                Schedule(_client.Step(_loop.NowMs));
            _afterEvents();
        });
    }

    private void OnLease(LeaseChange change, Lease? lease)
    {
        switch (change)
        {
            case LeaseChange.Acquired:
            case LeaseChange.Renewed:
            case LeaseChange.Changed:
            case LeaseChange.MaptWithdrawn:
                Lease = lease;
                Store(lease!);
                Offered = lease is null ? null : MapContent.FromLease(lease);
                Misconfigured = false;
                string key = Offered?.Key ?? "";
                if (Offered is not null && Usable(Offered) is string error)
                {
                    // Unusable MAP content is treated as none: nothing half-applied.
                    WanLog.Misconfigured(_log, error);
                    Misconfigured = true;
                    MisconfiguredReason = error;
                    Offered = null;
                    key = "";
                }
                if (key != _machine.Applied && _machine.Applied.Length != 0 && _loop.NowMs < HoldDownUntilMs)
                    HoldBack(change);
                else
                    _post(WanEvent.Reply(key, ChangeName(change)));
                LeaseShown();
                break;
            case LeaseChange.Expired:
                Lease = null;
                Offered = null;
                Forget();
                _post(WanEvent.Of(WanEventKind.LeaseLost, "valid lifetime over without a reply"));
                break;
            case LeaseChange.Released:
                Lease = null;
                Forget();
                if (Releasing)
                {
                    Releasing = false;
                    _loop.Stop();
                }
                break;
        }
    }

    /// <summary>A change within the hold-down: posted when it ends, with whatever the newest reply offers then.</summary>
    private void HoldBack(LeaseChange change)
    {
        long wait = HoldDownUntilMs - _loop.NowMs;
        WanLog.ChangeHeldDown(_log, (wait + 999) / 1000, HoldDownMs / 1000);
        if (_holdTimer is not null)
            return;
        _holdTimer = _loop.AddTimer(HoldDownUntilMs, () =>
        {
            _holdTimer = null;
            if (Lease is not null)
                _post(WanEvent.Reply(Offered?.Key ?? "", ChangeName(change) + ", held down " + HoldDownMs / 1000 + " s"));
            _afterEvents();
        });
    }

    /// <summary>
    /// The lease on flash: at once when its content changed; a renewal that only moved the
    /// lifetimes at most every <see cref="StoreEveryMs"/> (the stored times then lag, which only
    /// shortens what a reboot believes is left of the lease).
    /// </summary>
    private const long StoreEveryMs = 300_000;

    private void Store(Lease lease)
    {
        string key = (MapContent.FromLease(lease)?.Key ?? "") + " " + lease.EndUserPrefix;
        if (key == _storedKey && _loop.NowMs - _storedAtMs < StoreEveryMs)
            return;
        _storedKey = key;
        _storedAtMs = _loop.NowMs;
        long bootTime = Clock.BootTimeMs() - (_loop.NowMs - lease.AcquiredAtMs);
        string? error = _store.Write(LeaseRecord.Of(lease, Clock.KernelBootId(), bootTime, Clock.UnixNow() - (_loop.NowMs - lease.AcquiredAtMs) / 1000));
        if (error is not null && !_storeFailed)
        {
            _storeFailed = true;
            WanLog.LeaseNotStored(_log, _store.Path, error);
        }
        else if (error is null)
            _storeFailed = false;
    }

    private void Forget()
    {
        _storedKey = "";
        string? error = _store.Delete();
        if (error is not null)
            WanLog.LeaseNotStored(_log, _store.Path, error);
    }

    private static string ChangeName(LeaseChange c) => c switch
    {
        LeaseChange.Acquired => "Reply to Request",
        LeaseChange.Renewed => "Reply to Renew/Rebind",
        LeaseChange.Changed => "Reply to Renew/Rebind with new content",
        _ => "Reply without option 95",
    };

    public void Dispose() => CloseSocket();
}
