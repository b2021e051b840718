using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Mapt.Map;

/// <summary>
/// The port remap of one CE for each protocol whose port SNAT maps (TCP, UDP, and ICMP's echo
/// identifier): <see cref="PortRemap"/> per protocol, since each has its own kept ports.
/// </summary>
public sealed class SnatRemap
{
    private SnatRemap(PortRemap tcp, PortRemap udp, PortRemap icmp)
    {
        Tcp = tcp;
        Udp = udp;
        Icmp = icmp;
    }

    public PortRemap Tcp { get; }
    public PortRemap Udp { get; }
    public PortRemap Icmp { get; }

    /// <summary>The remap for an IP protocol number (ICMP and ICMPv6 share the echo identifier's), null for others.</summary>
    public PortRemap? For(int protocol) => protocol switch
    {
        6 => Tcp,
        17 => Udp,
        1 or 58 => Icmp,
        _ => null,
    };

    /// <summary>See <see cref="PortRemap.TryCreate"/>: null with <paramref name="why"/> null when the set needs no remap.</summary>
    public static SnatRemap? TryCreate(PortSet set, RemapKeep keep, out string? why)
    {
        PortRemap? tcp = PortRemap.TryCreate(set, keep.Tcp, out why);
        if (tcp is null)
            return null;
        PortRemap? udp = PortRemap.TryCreate(set, keep.Udp, out why);
        if (udp is null)
            return null;
        PortRemap? icmp = PortRemap.TryCreate(set, ReadOnlySpan<int>.Empty, out why);
        return icmp is null ? null : new SnatRemap(tcp, udp, icmp);
    }
}

/// <summary>
/// Ports of the set the remap leaves as they are (config key <c>remap-keep</c>): the ports a
/// gateway forwards to the LAN with an ordinary DNAT. <c>tcp:1232,udp:2256</c>.
/// </summary>
public sealed class RemapKeep : IEquatable<RemapKeep>
{
    public static readonly RemapKeep None = new(Array.Empty<int>(), Array.Empty<int>());

    public RemapKeep(int[] tcp, int[] udp)
    {
        Tcp = tcp;
        Udp = udp;
    }

    public int[] Tcp { get; }
    public int[] Udp { get; }

    public bool IsEmpty => Tcp.Length == 0 && Udp.Length == 0;

    /// <summary>Parses <c>PROTO:PORT[,PROTO:PORT...]</c> (PROTO tcp or udp, PORT 1..65535); null with the reason.</summary>
    public static RemapKeep? TryParse(string text, out string error)
    {
        error = "";
        var tcp = new List<int>();
        var udp = new List<int>();
        foreach (string raw in text.Split(','))
        {
            string item = raw.Trim();
            int colon = item.IndexOf(':');
            string proto = colon < 0 ? "" : item.Substring(0, colon);
            if (colon < 0 || proto is not ("tcp" or "udp")
                || !int.TryParse(item.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
            {
                error = $"'{item}' is not tcp:PORT or udp:PORT (PORT 1..65535)";
                return null;
            }
            List<int> list = proto == "tcp" ? tcp : udp;
            if (!list.Contains(port))
                list.Add(port);
            if (list.Count > PortRemap.MaxKept)
            {
                error = $"more than {PortRemap.MaxKept} {proto} ports";
                return null;
            }
        }
        tcp.Sort();
        udp.Sort();
        return new RemapKeep(tcp.ToArray(), udp.ToArray());
    }

    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (int p in Tcp)
            sb.Append(sb.Length == 0 ? "" : ",").Append("tcp:").Append(p.ToString(CultureInfo.InvariantCulture));
        foreach (int p in Udp)
            sb.Append(sb.Length == 0 ? "" : ",").Append("udp:").Append(p.ToString(CultureInfo.InvariantCulture));
        return sb.ToString();
    }

    public bool Equals(RemapKeep? other) => other is not null && Tcp.AsSpan().SequenceEqual(other.Tcp) && Udp.AsSpan().SequenceEqual(other.Udp);
    public override bool Equals(object? obj) => Equals(obj as RemapKeep);
    public override int GetHashCode() => HashCode.Combine(Tcp.Length, Udp.Length);
}
