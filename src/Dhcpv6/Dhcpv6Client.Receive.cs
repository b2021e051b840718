using System;
using System.Collections.Generic;
using Mapt.Dhcpv6.Wire;
using Mapt.Net;
using Microsoft.Extensions.Logging;

namespace Mapt.Dhcpv6;

public sealed partial class Dhcpv6Client
{
    /// <summary>
    /// One datagram from port 547. Anything that is not the answer to the exchange in
    /// progress, from the right server, for this client, well-formed and with an acceptable
    /// MAP-T container, is dropped and counted (<see cref="Dropped"/>); the lease in force is
    /// never touched by it. Anyone on the link can send these, as fast as the link goes: the
    /// drops are Debug lines, and the refused MAP-T container, which only the server of the
    /// exchange should send, a rate-limited error that is never synced on its own.
    /// </summary>
    public long OnMessage(ReadOnlySpan<byte> bytes, Ipv6Address source, long nowMs)
    {
        if (!Dhcpv6Message.TryParse(bytes, out Dhcpv6Message m, out ParseError error))
        {
            Count(Dhcpv6DropReason.Malformed);
            LastRejection = error.ToString();
            if (_logger.IsEnabled(LogLevel.Debug))
                Dhcpv6Log.Malformed(_logger, source.ToString(), LastRejection, Dhcpv6DropReasons.Name(Dhcpv6DropReason.Malformed));
            return Step(nowMs);
        }
        Dhcpv6DropReason? reason = Check(m, out string notThis);
        if (reason is { } dropped)
        {
            Count(dropped);
            if (_logger.IsEnabled(LogLevel.Debug))
                Dhcpv6Log.Dropped(_logger, source.ToString(), notThis, Dhcpv6DropReasons.Name(dropped));
            return Step(nowMs);
        }
        string from = source.ToString();
        // Section 21.24/21.25: honoured from any Advertise or Reply of this exchange, even one
        // that is otherwise refused.
        HonourMaxRt(m);
        MaptDomain? mapt = null;
        if (m.HasMaptOption)
        {
            string why = "";
            if (m.Mapt is null)
                why = m.MaptError.ToString();
            else if (!MaptDomain.TryBuild(m.Mapt, out mapt, out why))
                mapt = null;
            if (mapt is null)
            {
                Count(Dhcpv6DropReason.MaptRejected);
                LastRejection = why;
                Dhcpv6Log.MaptRejected(_logger, from, why);
                return Step(nowMs);
            }
        }
        if (State == ClientState.Soliciting)
            OnAdvertise(m, source, nowMs);
        else if (State == ClientState.Releasing)
            FinishRelease("status " + StatusName(m.Status));
        else
            OnReply(m, source, mapt, nowMs);
        return Step(nowMs);
    }

    private void Count(Dhcpv6DropReason reason)
    {
        _drops[(int)reason]++;
        DroppedTotal++;
    }

    /// <summary>
    /// Type, transaction, client and server identity (RFC 8415 section 16.3, 16.10, 18.2.11):
    /// null when the message answers the exchange in progress, else why not
    /// (<paramref name="why"/> in words, with the values, for the Debug line).
    /// </summary>
    private Dhcpv6DropReason? Check(Dhcpv6Message m, out string why)
    {
        why = "";
        if (m.Type == Dhcpv6MessageType.Reconfigure)
        {
            why = "Reconfigure refused (no reconfigure key was negotiated, section 18.2.11)";
            return Dhcpv6DropReason.ReconfigureRefused;
        }
        if (State == ClientState.Idle || !_tx.IsActive)
        {
            why = Name(m.Type) + " while no exchange is in progress";
            return Dhcpv6DropReason.Unsolicited;
        }
        Dhcpv6MessageType expected = State == ClientState.Soliciting ? Dhcpv6MessageType.Advertise : Dhcpv6MessageType.Reply;
        if (m.Type != expected)
        {
            why = Name(m.Type) + " where " + Name(expected) + " was expected";
            return Dhcpv6DropReason.UnexpectedType;
        }
        if (m.TransactionId != _xid)
        {
            why = Name(m.Type) + " for transaction " + m.TransactionId.ToString("x6") + ", the exchange in progress is " + _xid.ToString("x6");
            return Dhcpv6DropReason.WrongTransactionId;
        }
        if (m.ClientId is null || !m.ClientId.AsSpan().SequenceEqual(_settings.Duid))
        {
            why = Name(m.Type) + " without this client's DUID";
            return Dhcpv6DropReason.WrongClientId;
        }
        if (m.ServerId is null)
        {
            why = Name(m.Type) + " without a server identifier";
            return Dhcpv6DropReason.MissingServerId;
        }
        if (_settings.PinnedServerId is byte[] pinned && !m.ServerId.AsSpan().SequenceEqual(pinned))
        {
            why = Name(m.Type) + " from server " + Convert.ToHexString(m.ServerId) + ", not the configured server-duid " + Convert.ToHexString(pinned);
            return Dhcpv6DropReason.WrongServerId;
        }
        byte[]? server = State switch
        {
            ClientState.Requesting => _serverId,
            ClientState.Renewing or ClientState.Releasing => Lease!.ServerId,
            _ => null,
        };
        if (server is not null && !m.ServerId.AsSpan().SequenceEqual(server))
        {
            why = Name(m.Type) + " from server " + Convert.ToHexString(m.ServerId) + ", the exchange is with " + Convert.ToHexString(server);
            return Dhcpv6DropReason.WrongServerId;
        }
        return null;
    }

    private void HonourMaxRt(Dhcpv6Message m)
    {
        if (m.SolMaxRt >= Dhcpv6Limits.MinMaxRtSeconds && m.SolMaxRt <= Dhcpv6Limits.MaxMaxRtSeconds && m.SolMaxRt * 1000 != _solMaxRtMs)
        {
            _solMaxRtMs = (int)m.SolMaxRt * 1000;
            if (_sending == Dhcpv6MessageType.Solicit && _tx.IsActive)
                _tx.SetMrt(_solMaxRtMs);
            Dhcpv6Log.MaxRtSet(_logger, "SOL_MAX_RT", m.SolMaxRt.ToString());
        }
        if (m.InfMaxRt >= Dhcpv6Limits.MinMaxRtSeconds && m.InfMaxRt <= Dhcpv6Limits.MaxMaxRtSeconds && m.InfMaxRt * 1000 != _infMaxRtMs)
        {
            _infMaxRtMs = (int)m.InfMaxRt * 1000;
            Dhcpv6Log.MaxRtSet(_logger, "INF_MAX_RT", m.InfMaxRt.ToString());
        }
    }

    /// <summary>
    /// Section 18.2.9: an Advertise without a usable prefix is ignored; the best preference
    /// wins; 255 is taken at once; after the first RT the first usable one is taken.
    /// </summary>
    private void OnAdvertise(Dhcpv6Message m, Ipv6Address source, long nowMs)
    {
        IaPd? ia = OurIa(m);
        if (m.Status != Dhcpv6StatusCode.Success || ia is null || ia.Status != Dhcpv6StatusCode.Success || ia.Prefixes.Length == 0)
        {
            Dhcpv6StatusCode status = m.Status != Dhcpv6StatusCode.Success ? m.Status : ia?.Status ?? Dhcpv6StatusCode.NoPrefixAvail;
            Dhcpv6Log.ServerStatus(_logger, source.ToString(), StatusName(status), m.Status != Dhcpv6StatusCode.Success ? m.StatusMessage : ia?.StatusMessage ?? "no IA_PD", "Advertise ignored");
            return;
        }
        _advertiseCount++;
        if (_bestAdvertise is null || m.Preference > _bestAdvertise.Preference)
        {
            _bestAdvertise = m;
            _serverAddress = source;
        }
        if (m.Preference == 255 || _firstRtOver)
            ChooseServer(nowMs);
    }

    private void ChooseServer(long nowMs)
    {
        Dhcpv6Message best = _bestAdvertise!;
        _serverId = best.ServerId;
        _offered = OurIa(best)!.Prefixes;
        Dhcpv6Log.ServerChosen(_logger, _serverAddress.ToString(), best.Preference.ToString(), _advertiseCount.ToString());
        _bestAdvertise = null;
        Begin(ClientState.Requesting, Dhcpv6MessageType.Request, RetransmissionTable.Request, nowMs, 0);
    }

    /// <summary>Reply to Request, Renew or Rebind (section 18.2.10).</summary>
    private void OnReply(Dhcpv6Message m, Ipv6Address source, MaptDomain? mapt, long nowMs)
    {
        string server = source.ToString();
        if (m.Status != Dhcpv6StatusCode.Success)
        {
            if (m.Status == Dhcpv6StatusCode.NotOnLink && State == ClientState.Rebinding)
            {
                Dhcpv6Log.ServerStatus(_logger, server, StatusName(m.Status), m.StatusMessage, "the lease is not valid on this link; soliciting again");
                DropLease(LeaseChange.Expired);
                BeginSolicit(nowMs);
                return;
            }
            Dhcpv6Log.ServerStatus(_logger, server, StatusName(m.Status), m.StatusMessage, "reply ignored, retrying on schedule");
            return;
        }
        IaPd? ia = OurIa(m);
        if (ia is null)
        {
            Dhcpv6Log.ServerStatus(_logger, server, "Success", "but no IA_PD for IAID " + _settings.IaId, "reply ignored, retrying on schedule");
            return;
        }
        if (ia.Status == Dhcpv6StatusCode.NoBinding && State is ClientState.Renewing or ClientState.Rebinding)
        {
            // Section 18.2.10.1: the server lost the binding; ask it again with Request.
            Dhcpv6Log.ServerStatus(_logger, server, StatusName(ia.Status), ia.StatusMessage, "requesting the prefix again");
            _serverId = m.ServerId;
            _serverAddress = source;
            _offered = Lease!.Prefixes;
            Begin(ClientState.Requesting, Dhcpv6MessageType.Request, RetransmissionTable.Request, nowMs, 0);
            return;
        }
        if (ia.Status != Dhcpv6StatusCode.Success)
        {
            if (State == ClientState.Requesting)
            {
                Dhcpv6Log.ServerStatus(_logger, server, StatusName(ia.Status), ia.StatusMessage, "soliciting again");
                BeginSolicit(nowMs);
            }
            else
                Dhcpv6Log.ServerStatus(_logger, server, StatusName(ia.Status), ia.StatusMessage, "reply ignored, the lease runs on");
            return;
        }
        // Section 21.22: a prefix whose preferred lifetime exceeds its valid one is discarded;
        // valid 0 means the server withdrew it.
        var prefixes = new List<DelegatedPrefix>(ia.Prefixes.Length);
        uint shortestPreferred = uint.MaxValue;
        foreach (DelegatedPrefix p in ia.Prefixes)
            if (p.ValidLifetime > 0 && p.PreferredLifetime <= p.ValidLifetime)
            {
                prefixes.Add(p);
                shortestPreferred = Math.Min(shortestPreferred, p.PreferredLifetime);
            }
        if (prefixes.Count == 0)
        {
            Dhcpv6Log.ServerStatus(_logger, server, "Success", "but no prefix with a valid lifetime", "reply ignored, retrying on schedule");
            return;
        }
        // Section 21.21: T1 > T2 makes the IA invalid; 0 leaves the times to the client (0.5 and 0.8).
        if (ia.T1 != 0 && ia.T2 != 0 && ia.T1 > ia.T2)
        {
            Dhcpv6Log.ServerStatus(_logger, server, "Success", "but T1 " + ia.T1 + " > T2 " + ia.T2, "reply ignored, retrying on schedule");
            return;
        }
        uint t1 = ia.T1 != 0 ? ia.T1 : shortestPreferred == Lease.Infinity ? Lease.Infinity : shortestPreferred / 2;
        uint t2 = ia.T2 != 0 ? ia.T2 : shortestPreferred == Lease.Infinity ? Lease.Infinity : (uint)(shortestPreferred * 4L / 5);
        // The floors bound what a server (or someone posing as one) can make the CE do per minute.
        t1 = Math.Max(t1, _settings.MinT1Seconds);
        t2 = Math.Max(Math.Max(t2, _settings.MinT2Seconds), t1);
        var dns = new Ipv6Address[m.DnsServers.Length];
        for (int i = 0; i < dns.Length; i++)
            dns[i] = new Ipv6Address(m.DnsServers[i]);
        var lease = new Lease(m.ServerId!, source, _settings.IaId, prefixes.ToArray(), t1, t2, nowMs, dns, m.DomainList, mapt) { S46Options = m.S46Options };

        Lease? old = Lease;
        // A lease in force (Renew, Rebind, or a Request after NoBinding) is compared with the new one.
        LeaseChange change = LeaseChange.Acquired;
        if (old is not null)
        {
            if (old.Mapt is not null && lease.Mapt is null)
                change = LeaseChange.MaptWithdrawn;
            else if (!old.SameContentAs(lease))
                change = LeaseChange.Changed;
            else
                change = LeaseChange.Renewed;
        }
        Lease = lease;
        State = ClientState.Bound;
        _tx = default;
        string mapText = MapText(lease);
        Dhcpv6Log.LeaseEvent(_logger, ChangeName(change), server, lease.EndUserPrefix.ToString(), t1.ToString(), t2.ToString(), prefixes[0].ValidLifetime.ToString(), mapText);
        if (change == LeaseChange.MaptWithdrawn)
            Dhcpv6Log.MaptWithdrawn(_logger);
        else if (change == LeaseChange.Changed)
            Dhcpv6Log.LeaseChanged(_logger, lease.EndUserPrefix.ToString(), mapText);
        LeaseChanged?.Invoke(change, lease);
    }

    private void DropLease(LeaseChange change)
    {
        Lease = null;
        LeaseChanged?.Invoke(change, null);
    }

    private IaPd? OurIa(Dhcpv6Message m)
    {
        foreach (IaPd ia in m.IaPds)
            if (ia.IaId == _settings.IaId)
                return ia;
        return null;
    }

    internal static string MapText(Lease lease)
    {
        if (lease.Mapt is null)
            return "none";
        string text = lease.Mapt.Rules.Rules.Count + " rule(s), DMR " + lease.Mapt.Dmr;
        if (lease.TryComputeMapping(out Mapt.Map.MapResult? r, out Mapt.Map.MapError e))
            text += ", BMR " + r!.Rule + " -> " + r.Ipv4Address + " PSID " + r.PortSet.Psid;
        else
            text += ", no usable BMR: " + Mapt.Map.MapErrors.Describe(e);
        return text;
    }

    internal static string ChangeName(LeaseChange change) => change switch
    {
        LeaseChange.Acquired => "acquired",
        LeaseChange.Renewed => "renewed",
        LeaseChange.Changed => "changed",
        LeaseChange.MaptWithdrawn => "renewed without MAP-T",
        LeaseChange.Expired => "expired",
        _ => "released",
    };

    internal static string StatusName(Dhcpv6StatusCode status) => status switch
    {
        Dhcpv6StatusCode.Success => "Success",
        Dhcpv6StatusCode.UnspecFail => "UnspecFail",
        Dhcpv6StatusCode.NoAddrsAvail => "NoAddrsAvail",
        Dhcpv6StatusCode.NoBinding => "NoBinding",
        Dhcpv6StatusCode.NotOnLink => "NotOnLink",
        Dhcpv6StatusCode.UseMulticast => "UseMulticast",
        Dhcpv6StatusCode.NoPrefixAvail => "NoPrefixAvail",
        _ => ((ushort)status).ToString(),
    };
}
