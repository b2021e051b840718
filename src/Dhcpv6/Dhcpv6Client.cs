using System;
using Mapt.Dhcpv6.Wire;
using Mapt.Net;
using Microsoft.Extensions.Logging;

namespace Mapt.Dhcpv6;

/// <summary>
/// The DHCPv6 client of a CE (RFC 8415 section 18) asking for a delegated prefix and MAP-T
/// (RFC 7598). A state (<see cref="State"/>) plus one step function: every entry point takes
/// the monotonic time and returns the next deadline at which <see cref="Step"/> must run.
/// No clock, no socket, no thread of its own: the event loop feeds it messages and time.
/// Received messages are handled in Dhcpv6Client.Receive.cs, sent ones built in
/// Dhcpv6Client.Send.cs.
/// </summary>
public sealed partial class Dhcpv6Client
{
    private readonly Dhcpv6ClientSettings _settings;
    private readonly IDhcpv6Transport _transport;
    private readonly ILogger _logger;
    private Transmission _tx;
    private Dhcpv6MessageType _sending;
    private uint _xid;
    private bool _linkUp = true;
    private int _solMaxRtMs = RetransmissionTable.Solicit.MrtMs;
    private int _infMaxRtMs = RetransmissionTable.InformationRequest.MrtMs;
    private readonly long[] _drops = new long[Dhcpv6DropReasons.Count];

    // Soliciting: the best Advertise so far, and whether the first RT has run out (section 18.2.1).
    private Dhcpv6Message? _bestAdvertise;
    private int _advertiseCount;
    private bool _firstRtOver;

    // Requesting: the chosen server and the prefixes it offered.
    private byte[]? _serverId;
    private Ipv6Address _serverAddress;
    private DelegatedPrefix[] _offered = Array.Empty<DelegatedPrefix>();

    public Dhcpv6Client(Dhcpv6ClientSettings settings, IDhcpv6Transport transport, ILogger logger)
    {
        _settings = settings;
        _transport = transport;
        _logger = logger;
    }

    public ClientState State { get; private set; }
    /// <summary>The lease in force, or null.</summary>
    public Lease? Lease { get; private set; }
    /// <summary>The transaction id of the exchange in progress (RFC 8415 section 16.1).</summary>
    public uint TransactionId => _xid;
    /// <summary>SOL_MAX_RT in force, in ms (section 21.24).</summary>
    public int SolMaxRtMs => _solMaxRtMs;
    /// <summary>INF_MAX_RT in force, in ms (section 21.25); kept for Information-request.</summary>
    public int InfMaxRtMs => _infMaxRtMs;
    /// <summary>Datagrams dropped for <paramref name="reason"/> since the client was made.</summary>
    public long Dropped(Dhcpv6DropReason reason) => _drops[(int)reason];
    /// <summary>Every drop, whatever the reason: the daemon refreshes `mapt status` when it moves.</summary>
    public long DroppedTotal { get; private set; }
    /// <summary>Messages refused as malformed or with a refused MAP-T container (what `mapt probe` reports as exit 5).</summary>
    public int MalformedCount => (int)(Dropped(Dhcpv6DropReason.Malformed) + Dropped(Dhcpv6DropReason.MaptRejected));
    /// <summary>Well-formed messages dropped: wrong transaction, client or server id, type or state.</summary>
    public int DroppedCount => (int)DroppedTotal - MalformedCount;
    /// <summary>Why the last malformed message or MAP-T container was refused.</summary>
    public string LastRejection { get; private set; } = "";

    /// <summary>Called on every lease event, after <see cref="Lease"/> is updated.</summary>
    public Action<LeaseChange, Lease?>? LeaseChanged { get; set; }

    /// <summary>Starts soliciting (section 18.2.1).</summary>
    public long Start(long nowMs)
    {
        Dhcpv6Log.Started(_logger, _settings.InterfaceName, Convert.ToHexString(_settings.Duid));
        BeginSolicit(nowMs);
        return Step(nowMs);
    }

    /// <summary>
    /// Starts from a lease kept on flash instead of soliciting: no Solicit delay, and the lease
    /// confirmed straight away (RFC 8415 section 18.2.4, 18.2.5). With <paramref name="rebind"/>
    /// (after a reboot: the link may be another one, section 18.2.12) any server may answer;
    /// without it (the process restarted, the server known) the lease's server is asked with
    /// Renew, or Rebind once T2 has passed. An expired lease is dropped and Solicit starts.
    /// </summary>
    public long Resume(Lease lease, long nowMs, bool rebind)
    {
        Dhcpv6Log.Started(_logger, _settings.InterfaceName, Convert.ToHexString(_settings.Duid));
        if (nowMs >= lease.ExpiresAtMs)
        {
            BeginSolicit(nowMs);
            return Step(nowMs);
        }
        Lease = lease;
        bool renew = !rebind && nowMs < lease.T2AtMs;
        Dhcpv6Log.Resumed(_logger, lease.EndUserPrefix.ToString(), lease.ServerAddress.ToString(), renew ? "Renew" : "Rebind",
            ((nowMs - lease.AcquiredAtMs) / 1000).ToString());
        if (renew)
            Begin(ClientState.Renewing, Dhcpv6MessageType.Renew, RetransmissionTable.Renew, nowMs, Until(lease.T2AtMs, nowMs));
        else
            BeginRebind(nowMs);
        return Step(nowMs);
    }

    /// <summary>Sends Renew now, as if T1 had come (tests and forced renews).</summary>
    public long RenewNow(long nowMs)
    {
        if (Lease is not null && State == ClientState.Bound)
            Begin(ClientState.Renewing, Dhcpv6MessageType.Renew, RetransmissionTable.Renew, nowMs, Until(Lease.T2AtMs, nowMs));
        return Step(nowMs);
    }

    /// <summary>Releases the lease (section 18.2.7): the orderly stop.</summary>
    public long Release(long nowMs)
    {
        if (Lease is null)
        {
            State = ClientState.Idle;
            _tx = default;
            return long.MaxValue;
        }
        Begin(ClientState.Releasing, Dhcpv6MessageType.Release, RetransmissionTable.Release, nowMs, 0);
        return Step(nowMs);
    }

    /// <summary>The WAN link lost carrier: nothing is sent until it returns; the lease keeps running on its lifetimes.</summary>
    public long LinkDown(long nowMs)
    {
        _linkUp = false;
        Dhcpv6Log.LinkDown(_logger, _settings.InterfaceName);
        return Step(nowMs);
    }

    /// <summary>
    /// Carrier is back. With a lease: Rebind to learn whether it still holds on this link
    /// (section 18.2.12: Confirm covers addresses only; for delegated prefixes Rebind is used).
    /// Without one: solicit afresh.
    /// </summary>
    public long LinkUp(long nowMs)
    {
        _linkUp = true;
        if (Lease is not null && State is ClientState.Bound or ClientState.Renewing or ClientState.Rebinding)
        {
            Dhcpv6Log.LinkUp(_logger, _settings.InterfaceName, "rebinding to confirm the lease");
            BeginRebind(nowMs);
        }
        else if (State is ClientState.Soliciting or ClientState.Requesting)
        {
            Dhcpv6Log.LinkUp(_logger, _settings.InterfaceName, "soliciting again");
            BeginSolicit(nowMs);
        }
        else
            Dhcpv6Log.LinkUp(_logger, _settings.InterfaceName, "nothing to do");
        return Step(nowMs);
    }

    /// <summary>Runs due timers and transmissions; returns when it must run next.</summary>
    public long Step(long nowMs)
    {
        // Lease timers first: they decide which exchange should be running.
        if (Lease is not null && State != ClientState.Releasing && nowMs >= Lease.ExpiresAtMs)
            Expire(nowMs);
        else if (Lease is not null && State is ClientState.Bound or ClientState.Renewing && nowMs >= Lease.T2AtMs)
        {
            Dhcpv6Log.Rebinding(_logger, Lease.ServerAddress.ToString());
            BeginRebind(nowMs);
        }
        else if (Lease is not null && State == ClientState.Bound && nowMs >= Lease.T1AtMs)
            Begin(ClientState.Renewing, Dhcpv6MessageType.Renew, RetransmissionTable.Renew, nowMs, Until(Lease.T2AtMs, nowMs));

        if (_tx.IsActive && _linkUp)
        {
            if (State == ClientState.Soliciting && _tx.Count >= 1 && nowMs >= _tx.NextSendMs)
            {
                _firstRtOver = true;
                if (_bestAdvertise is not null)
                    ChooseServer(nowMs);
            }
            if (_tx.IsActive && nowMs >= _tx.NextSendMs)
            {
                if (_tx.TrySend(nowMs, _sending == Dhcpv6MessageType.Solicit))
                    SendCurrent(nowMs);
                else
                    Exhausted(nowMs);
            }
        }
        return NextDeadline();
    }

    private long NextDeadline()
    {
        long next = long.MaxValue;
        if (_tx.IsActive && _linkUp)
            next = _tx.NextSendMs;
        if (Lease is not null && State != ClientState.Releasing)
        {
            next = Math.Min(next, Lease.ExpiresAtMs);
            if (State == ClientState.Bound)
                next = Math.Min(next, Lease.T1AtMs);
            if (State is ClientState.Bound or ClientState.Renewing)
                next = Math.Min(next, Lease.T2AtMs);
        }
        return next;
    }

    private void Exhausted(long nowMs)
    {
        switch (State)
        {
            case ClientState.Requesting:
                Dhcpv6Log.RequestGaveUp(_logger, _serverAddress.ToString(), _tx.Count.ToString());
                BeginSolicit(nowMs);
                Step(nowMs);
                break;
            case ClientState.Renewing:
                Dhcpv6Log.Rebinding(_logger, Lease!.ServerAddress.ToString());
                BeginRebind(nowMs);
                Step(nowMs);
                break;
            case ClientState.Rebinding:
                Expire(nowMs);
                Step(nowMs);
                break;
            case ClientState.Releasing:
                FinishRelease("no reply after " + _tx.Count + " attempts");
                break;
            default:
                _tx = default;
                break;
        }
    }

    private void BeginSolicit(long nowMs)
    {
        _bestAdvertise = null;
        _advertiseCount = 0;
        _firstRtOver = false;
        _serverId = null;
        Begin(ClientState.Soliciting, Dhcpv6MessageType.Solicit, RetransmissionTable.Solicit.WithMrt(_solMaxRtMs), nowMs, 0);
    }

    private void BeginRebind(long nowMs) =>
        Begin(ClientState.Rebinding, Dhcpv6MessageType.Rebind, RetransmissionTable.Rebind, nowMs, Until(Lease!.ExpiresAtMs, nowMs));

    /// <summary>A new exchange: a fresh transaction id (section 16.1) and a fresh retransmission state.</summary>
    private void Begin(ClientState state, Dhcpv6MessageType sending, RetransmissionParameters parameters, long nowMs, int mrdMs)
    {
        State = state;
        _sending = sending;
        _xid = (uint)_settings.Random.Next(1 << 24);
        bool skipDelay = _settings.SkipInitialDelay || sending != Dhcpv6MessageType.Solicit;
        _tx = new Transmission(parameters, _settings.Random, nowMs, mrdMs, skipDelay);
    }

    private static int Until(long deadlineMs, long nowMs)
    {
        if (deadlineMs == long.MaxValue)
            return 0;
        return (int)Math.Clamp(deadlineMs - nowMs, 1, int.MaxValue);
    }

    private void Expire(long nowMs)
    {
        Lease old = Lease!;
        Dhcpv6Log.Expired(_logger, old.EndUserPrefix.ToString());
        Lease = null;
        LeaseChanged?.Invoke(LeaseChange.Expired, null);
        BeginSolicit(nowMs);
    }

    private void FinishRelease(string outcome)
    {
        Lease old = Lease!;
        Dhcpv6Log.Released(_logger, old.EndUserPrefix.ToString(), old.ServerAddress.ToString(), outcome);
        Lease = null;
        State = ClientState.Idle;
        _tx = default;
        LeaseChanged?.Invoke(LeaseChange.Released, null);
    }
}
