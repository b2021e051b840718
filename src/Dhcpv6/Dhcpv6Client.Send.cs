using System;
using Mapt.Dhcpv6.Wire;

namespace Mapt.Dhcpv6;

public sealed partial class Dhcpv6Client
{
    /// <summary>Builds and sends the message of the exchange in progress (RFC 8415 section 18.2).</summary>
    private void SendCurrent(long nowMs)
    {
        Span<byte> buffer = stackalloc byte[512];
        int length = BuildCurrent(buffer, nowMs);
        if (!_transport.Send(buffer.Slice(0, length)))
        {
            _tx.SendFailed(nowMs);
            Dhcpv6Log.SendFailed(_logger, Name(_sending), _settings.InterfaceName, Transmission.RetryAfterFailedSendMs.ToString());
        }
        else
            Dhcpv6Log.Sent(_logger, Name(_sending), _xid.ToString("x6"), _tx.Count.ToString(), (_tx.NextSendMs - nowMs).ToString());
    }

    internal int BuildCurrent(Span<byte> buffer, long nowMs)
    {
        var w = new Dhcpv6Writer(buffer);
        w.WriteHeader(_sending, _xid);
        w.WriteClientId(_settings.Duid);
        // Section 21.9: 0 in the first message of an exchange, then the time since it.
        w.WriteElapsedTime(_tx.Count <= 1 ? 0 : nowMs - _tx.FirstSendMs);
        ReadOnlySpan<DelegatedPrefix> prefixes = ReadOnlySpan<DelegatedPrefix>.Empty;
        switch (_sending)
        {
            case Dhcpv6MessageType.Request:
                w.WriteServerId(_serverId);
                prefixes = _offered;
                break;
            case Dhcpv6MessageType.Renew:
            case Dhcpv6MessageType.Release:
                w.WriteServerId(Lease!.ServerId);
                prefixes = Lease.Prefixes;
                break;
            case Dhcpv6MessageType.Rebind:
                prefixes = Lease!.Prefixes;
                break;
        }
        // Section 18.2.7: Release carries no ORO.
        if (_sending != Dhcpv6MessageType.Release)
            WriteOro(ref w);
        Span<DelegatedPrefix> hints = prefixes.Length <= 4 ? new DelegatedPrefix[prefixes.Length] : new DelegatedPrefix[4];
        for (int i = 0; i < hints.Length; i++)
            // Lifetimes are the server's to set; the client sends 0 (section 18.2.4).
            hints[i] = new DelegatedPrefix(prefixes[i].Prefix, prefixes[i].Length, 0, 0);
        w.WriteIaPd(_settings.IaId, 0, 0, hints);
        return w.Length;
    }

    /// <summary>
    /// DNS (23, 24), SOL_MAX_RT (82: section 21.24 says a Solicit MUST ask for it) and MAP-T
    /// (95); 94 and 96 only when configured, since asking for what the CE cannot configure
    /// can make an ISP withhold native IPv4.
    /// </summary>
    private void WriteOro(ref Dhcpv6Writer w)
    {
        Span<ushort> codes = stackalloc ushort[6];
        int n = 0;
        codes[n++] = DnsOptionCode.DnsServers;
        codes[n++] = DnsOptionCode.DomainList;
        codes[n++] = Dhcpv6OptionCode.SolMaxRt;
        if (_settings.RequestMapE)
            codes[n++] = S46OptionCode.ContainerMapE;
        codes[n++] = S46OptionCode.ContainerMapT;
        if (_settings.RequestLw4o6)
            codes[n++] = S46OptionCode.ContainerLw4o6;
        w.WriteOro(codes.Slice(0, n));
    }

    internal static string Name(Dhcpv6MessageType type) => type switch
    {
        Dhcpv6MessageType.Solicit => "Solicit",
        Dhcpv6MessageType.Advertise => "Advertise",
        Dhcpv6MessageType.Request => "Request",
        Dhcpv6MessageType.Confirm => "Confirm",
        Dhcpv6MessageType.Renew => "Renew",
        Dhcpv6MessageType.Rebind => "Rebind",
        Dhcpv6MessageType.Reply => "Reply",
        Dhcpv6MessageType.Release => "Release",
        _ => "message type " + ((byte)type).ToString(),
    };
}
