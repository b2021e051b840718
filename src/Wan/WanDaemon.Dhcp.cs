using System;
using Mapt.Dhcpv6;
using Mapt.Platform;

namespace Mapt.Wan;

public sealed partial class WanDaemon
{
    private const int SocketRetryMs = 250;
    private const int ReleaseWaitMs = 3000;

    private readonly SwitchableTransport _transport = new();
    private Dhcpv6Client? _client;
    private Dhcpv6Socket? _dhcpSocket;
    private TimerHandle? _dhcpTimer;
    private TimerHandle? _socketRetry;
    private Lease? _lease;
    private MapContent? _offered;
    private bool _releasing;
    private bool _dhcpWanted;

    private void StartDhcp(bool rebind)
    {
        if (_static is not null)
        {
            // Origin Static: the rule is the lease; it never expires and needs no server.
            _offered = _static;
            Post(WanEvent.Reply(_static.Key, "static rule"));
            return;
        }
        _dhcpWanted = true;
        if (!OpenSocket())
            return;
        long now = _loop.NowMs;
        if (_client is null)
        {
            byte[] duid = DuidStore.LoadOrCreate(_config.FlashDir, _dhcpSocket!.Mac, _log, new Random());
            var settings = new Dhcpv6ClientSettings(_config.Wan, duid)
            {
                RequestMapE = _config.RequestMapE,
                RequestLw4o6 = _config.RequestLw4o6,
                SkipInitialDelay = Platform.EnvironmentSwitches.DhcpNoDelay,
            };
            _client = new Dhcpv6Client(settings, _transport, _logs.CreateLogger("Mapt.Dhcpv6"));
            _client.LeaseChanged = OnLease;
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
        if (_dhcpSocket is not null)
            return true;
        if (!Dhcpv6Socket.TryOpen(_config.Wan, out Dhcpv6Socket? socket, out bool notReady, out string error))
        {
            WanLog.SocketNotReady(_log, _config.Wan, notReady ? "link-local address not ready" : error, SocketRetryMs);
            _loop.Cancel(_socketRetry);
            _socketRetry = _loop.AddTimerIn(SocketRetryMs, () =>
            {
                _socketRetry = null;
                if (_dhcpWanted)
                    StartDhcp(rebind: _client?.Lease is not null);
                AfterEvents();
            });
            return false;
        }
        _dhcpSocket = socket!;
        _transport.Socket = socket;
        _loop.AddReader(socket!.Fd, () =>
        {
            if (_client is not null && _dhcpSocket is not null)
                Schedule(_dhcpSocket.Drain(_client, _loop.NowMs));
            AfterEvents();
        }, "dhcpv6");
        return true;
    }

    private void CloseSocket()
    {
        _loop.Cancel(_socketRetry);
        _socketRetry = null;
        if (_dhcpSocket is null)
            return;
        _loop.Remove(_dhcpSocket.Fd);
        _dhcpSocket.Dispose();
        _dhcpSocket = null;
        _transport.Socket = null;
    }

    private void RenewDhcp()
    {
        if (_client is not null)
            Schedule(_client.RenewNow(_loop.NowMs));
    }

    private void StopDhcp()
    {
        _dhcpWanted = false;
        if (_client is not null)
            Schedule(_client.LinkDown(_loop.NowMs));
        CloseSocket();
    }

    private void ReleaseDhcp()
    {
        _dhcpWanted = false;
        if (_client is null || _client.Lease is null || _dhcpSocket is null)
            return;
        _releasing = true;
        Schedule(_client.Release(_loop.NowMs));
        _loop.AddTimerIn(ReleaseWaitMs, () =>
        {
            if (!_releasing)
                return;
            WanLog.ReleaseTimedOut(_log);
            _releasing = false;
            _loop.Stop();
        });
    }

    /// <summary>Arms the client's one timer at the deadline it returned.</summary>
    private void Schedule(long deadline)
    {
        _loop.Cancel(_dhcpTimer);
        _dhcpTimer = null;
        if (_client is not null && _client.State is ClientState.Renewing or ClientState.Rebinding && _machine.State == WanState.Up)
            Post(WanEvent.Of(WanEventKind.RenewStarted, _client.State == ClientState.Renewing ? "Renew" : "Rebind"));
        if (deadline == long.MaxValue || _client is null)
            return;
        _dhcpTimer = _loop.AddTimer(deadline, () =>
        {
            _dhcpTimer = null;
            if (_client is not null)
                Schedule(_client.Step(_loop.NowMs));
            AfterEvents();
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
                _lease = lease;
                _offered = lease is null ? null : MapContent.FromLease(lease);
                _misconfigured = false;
                string key = _offered?.Key ?? "";
                if (_offered is not null && !_offered.TryCompute(out _, out string error))
                {
                    // Unusable MAP content is treated as none: nothing half-applied.
                    WanLog.Misconfigured(_log, error);
                    _misconfigured = true;
                    _lastError = error;
                    key = "";
                }
                Post(WanEvent.Reply(key, ChangeName(change)));
                WriteStatus(); // lease timers move on a renewal even when the state does not
                break;
            case LeaseChange.Expired:
                _lease = null;
                _offered = null;
                Post(WanEvent.Of(WanEventKind.LeaseLost, "valid lifetime over without a reply"));
                break;
            case LeaseChange.Released:
                _lease = null;
                if (_releasing)
                {
                    _releasing = false;
                    _loop.Stop();
                }
                break;
        }
    }

    private static string ChangeName(LeaseChange c) => c switch
    {
        LeaseChange.Acquired => "Reply to Request",
        LeaseChange.Renewed => "Reply to Renew/Rebind",
        LeaseChange.Changed => "Reply to Renew/Rebind with new content",
        _ => "Reply without option 95",
    };
}
