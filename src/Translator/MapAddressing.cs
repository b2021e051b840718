using System;
using Mapt.Map;
using Mapt.Net;

namespace Mapt.Translator;

/// <summary>
/// The thin adapter between the MAP engine and the packet path: the CE's values from its
/// <see cref="MapResult"/> (IPv4 address, port set, MAP IPv6 address, RFC 7599 §6) kept in
/// the shapes a packet has (a uint, 16 bytes), and the remote side through the
/// <see cref="MapRuleSet"/> (FMR for the mesh, else the DMR by RFC 6052, RFC 7599 §5).
/// Nothing here allocates.
/// </summary>
public sealed class MapAddressing
{
    private readonly byte[] _ipv6 = new byte[16];
    private readonly PortSet _ports;
    private readonly MapRuleSet _rules;

    public MapAddressing(MapResult result, MapRuleSet rules, SnatRemap? remap = null)
    {
        if (result.Ipv4PrefixLength != 32)
            throw new ArgumentException("an IPv4 prefix per CE (o + r < 32) is not translated: one address per CE", nameof(result));
        Ipv4 = result.Ipv4Address.Value;
        MapIpv6Address = result.MapIpv6Address;
        MapIpv6Address.WriteBytes(_ipv6);
        _ports = result.PortSet;
        _rules = rules;
        Remap = remap;
    }

    /// <summary>With <c>snat = remap</c>: the SNAT's virtual ports mapped onto the set (issue 15); null: ports pass as they are.</summary>
    public SnatRemap? Remap { get; }

    public uint Ipv4 { get; }
    public Ipv6Address MapIpv6Address { get; }
    public ReadOnlySpan<byte> MapIpv6 => _ipv6;
    public PortSet PortSet => _ports;
    public int PsidLength => _ports.PsidLength;
    public Dmr? Dmr => _rules.Dmr;

    /// <summary>Whether the CE may use <paramref name="port"/> (RFC 7597 §5.1).</summary>
    public bool PortInSet(int port) => _ports.Contains((ushort)port);

    /// <summary>
    /// The port the CE's side of a packet leaving it carries (TCP/UDP source port, echo id of
    /// a request): the virtual port's real one with the remap, a kept port as it is, else the
    /// port itself; false when the result is not in the set: the invariant the remap keeps,
    /// checked on every packet (a packet never leaves with a port outside the set).
    /// </summary>
    public bool TryOutboundPort(int protocol, int port, out int real)
    {
        real = Remap?.For(protocol) is PortRemap r ? r.ToReal(port) : port;
        return real > 0 && _ports.Contains((ushort)real);
    }

    /// <summary>
    /// The port the CE's side of a packet coming in carries, as the LAN side's conntrack knows
    /// it: a real port of the set becomes its virtual port (kept ports stay); false when the
    /// port is not in the set.
    /// </summary>
    public bool TryInboundPort(int protocol, int port, out int local)
    {
        local = port;
        if (!_ports.Contains((ushort)port))
            return false;
        if (Remap?.For(protocol) is PortRemap r)
            local = r.ToVirtual(port);
        return local > 0;
    }

    /// <summary>A remote IPv4 address (and its port, for the mesh) as the IPv6 address that stands for it.</summary>
    public bool TryMapToIpv6(uint ipv4, int port, Span<byte> ipv6)
    {
        if (ipv4 == Ipv4)
            return false;
        if (!_rules.TryMapDestination(new Ipv4Address(ipv4), (ushort)port, out Ipv6Address address, out _))
            return false;
        address.WriteBytes(ipv6);
        return true;
    }

    /// <summary>A remote IPv6 address as its IPv4 address: a peer CE's by its FMR, else by the DMR.</summary>
    public bool TryMapToIpv4(ReadOnlySpan<byte> ipv6, out uint ipv4)
    {
        ipv4 = 0;
        Ipv6Address address = Ipv6Address.FromBytes(ipv6);
        Ipv4Address v4;
        if (_rules.TryFindFmr(address, out MapRule? fmr))
        {
            if (!fmr!.TryMapIpv6ToIpv4(address, out v4, out _, out _))
                return false;
        }
        else if (_rules.Dmr is not { } dmr || !dmr.TryExtract(address, out v4, out _))
        {
            return false;
        }
        ipv4 = v4.Value;
        return ipv4 != Ipv4;
    }

    public bool IsMapIpv6(ReadOnlySpan<byte> ipv6) => ipv6.Slice(0, 16).SequenceEqual(_ipv6);
}
