using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Mapt.Dhcpv6.Wire;
using Mapt.Net;

namespace Mapt.Dhcpv6;

/// <summary>
/// A lease as kept on flash, so that it outlives the process and the reboot: the server, the
/// delegated prefixes with their lifetimes, T1/T2, when it was obtained (wall clock, and the
/// kernel's boot id with CLOCK_BOOTTIME, which a clock set by NTP after boot cannot move), and
/// the MAP-T container exactly as received, decoded again when read with the same checks as on
/// the wire. Versioned text:
/// <code>
/// mapt-lease 1
/// boot 3f2a9c1e-...
/// boottime-ms 81234
/// obtained 1796400000
/// server-id 000100012...
/// server-address fe80::1
/// iaid 1
/// t1 1800
/// t2 2880
/// prefix 2001:db8:12:3400::/56 3600 7200
/// s46 005f0026...
/// end
/// </code>
/// </summary>
public sealed class LeaseRecord
{
    public const int Version = 1;
    public const string Magic = "mapt-lease";

    public string BootId { get; init; } = "";
    /// <summary>CLOCK_BOOTTIME in ms when the Reply was received.</summary>
    public long BootTimeMs { get; init; }
    /// <summary>Wall clock (Unix seconds) when the Reply was received.</summary>
    public long ObtainedUnix { get; init; }
    public byte[] ServerId { get; init; } = Array.Empty<byte>();
    public Ipv6Address ServerAddress { get; init; }
    public uint IaId { get; init; }
    public uint T1 { get; init; }
    public uint T2 { get; init; }
    public DelegatedPrefix[] Prefixes { get; init; } = Array.Empty<DelegatedPrefix>();
    public Ipv6Address[] DnsServers { get; init; } = Array.Empty<Ipv6Address>();
    /// <summary>The S46 containers of the Reply, header included, as received.</summary>
    public byte[][] S46 { get; init; } = Array.Empty<byte[]>();

    public static LeaseRecord Of(Lease lease, string bootId, long bootTimeMs, long obtainedUnix)
    {
        var s46 = new byte[lease.S46Options.Length][];
        for (int i = 0; i < s46.Length; i++)
            s46[i] = lease.S46Options[i].Bytes;
        return new LeaseRecord
        {
            BootId = bootId, BootTimeMs = bootTimeMs, ObtainedUnix = obtainedUnix, ServerId = lease.ServerId,
            ServerAddress = lease.ServerAddress, IaId = lease.IaId, T1 = lease.T1, T2 = lease.T2, Prefixes = lease.Prefixes,
            DnsServers = lease.DnsServers, S46 = s46,
        };
    }

    /// <summary>The longest valid lifetime, in seconds (Lease.Infinity: never ends).</summary>
    public uint ValidLifetime
    {
        get
        {
            uint longest = 0;
            foreach (DelegatedPrefix p in Prefixes)
                longest = Math.Max(longest, p.ValidLifetime);
            return longest;
        }
    }

    /// <summary>
    /// How long ago the lease was obtained, in ms, seen from this boot (<paramref name="bootId"/>,
    /// CLOCK_BOOTTIME) or, after a reboot, by the wall clock; null when the wall clock lies
    /// before the lease (a gateway without RTC before NTP): then nobody knows.
    /// </summary>
    public long? AgeMs(string bootId, long bootTimeMs, long nowUnix)
    {
        if (bootId.Length != 0 && bootId == BootId && bootTimeMs >= BootTimeMs)
            return bootTimeMs - BootTimeMs;
        if (nowUnix < ObtainedUnix)
            return null;
        return (nowUnix - ObtainedUnix) * 1000;
    }

    /// <summary>
    /// The lease again, its times on the client's monotonic clock (<paramref name="nowMs"/> is
    /// now, <paramref name="ageMs"/> how long ago it was obtained), the MAP-T container decoded
    /// and checked as if just received; null with the reason when it no longer passes.
    /// </summary>
    public Lease? ToLease(long nowMs, long ageMs, out string problem)
    {
        problem = "";
        MaptDomain? mapt = null;
        var raw = new List<S46RawOption>();
        foreach (byte[] option in S46)
        {
            var reader = new Dhcpv6Reader(option);
            if (!reader.TryReadOption(out Dhcpv6Option o, out ParseError error) || !reader.End)
            {
                problem = "stored S46 option: " + error;
                return null;
            }
            raw.Add(new S46RawOption(o.Code, 0, option));
            if (o.Code != S46OptionCode.ContainerMapT || mapt is not null)
                continue;
            if (!Dhcpv6Reader.TryReadMaptContainer(o, out S46MaptContainer container, out ParseError mapError))
            {
                problem = "stored MAP-T container: " + mapError;
                return null;
            }
            if (!MaptDomain.TryBuild(container, out MaptDomain domain, out string why))
            {
                problem = "stored MAP-T container: " + why;
                return null;
            }
            mapt = domain;
        }
        if (Prefixes.Length == 0)
        {
            problem = "no delegated prefix";
            return null;
        }
        return new Lease(ServerId, ServerAddress, IaId, Prefixes, T1, T2, nowMs - ageMs, DnsServers, Array.Empty<string>(), mapt)
        {
            S46Options = raw.ToArray(),
        };
    }

    public string Format()
    {
        var text = new StringBuilder();
        text.Append(Magic).Append(' ').Append(Version.ToString(CultureInfo.InvariantCulture)).Append('\n');
        text.Append("boot ").Append(BootId).Append('\n');
        text.Append("boottime-ms ").Append(BootTimeMs.ToString(CultureInfo.InvariantCulture)).Append('\n');
        text.Append("obtained ").Append(ObtainedUnix.ToString(CultureInfo.InvariantCulture)).Append('\n');
        text.Append("server-id ").Append(Convert.ToHexString(ServerId).ToLowerInvariant()).Append('\n');
        text.Append("server-address ").Append(ServerAddress.ToString()).Append('\n');
        text.Append("iaid ").Append(IaId.ToString(CultureInfo.InvariantCulture)).Append('\n');
        text.Append("t1 ").Append(T1.ToString(CultureInfo.InvariantCulture)).Append('\n');
        text.Append("t2 ").Append(T2.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (DelegatedPrefix p in Prefixes)
            text.Append("prefix ").Append(Ipv6Prefix.Masked(new Ipv6Address(p.Prefix), p.Length).ToString()).Append(' ')
                .Append(p.PreferredLifetime.ToString(CultureInfo.InvariantCulture)).Append(' ')
                .Append(p.ValidLifetime.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (Ipv6Address dns in DnsServers)
            text.Append("dns ").Append(dns.ToString()).Append('\n');
        foreach (byte[] s46 in S46)
            text.Append("s46 ").Append(Convert.ToHexString(s46).ToLowerInvariant()).Append('\n');
        text.Append("end\n");
        return text.ToString();
    }

    /// <summary>Reads a stored lease; null with <paramref name="error"/> naming the line when it is not one, or of an unknown version.</summary>
    public static LeaseRecord? Parse(string text, out string error)
    {
        error = "";
        string[] lines = text.Split('\n');
        if (lines[0] != Magic + " " + Version.ToString(CultureInfo.InvariantCulture))
        {
            error = lines[0].StartsWith(Magic + " ", StringComparison.Ordinal)
                ? "written in another format (" + lines[0] + "; this mapt reads " + Magic + " " + Version.ToString(CultureInfo.InvariantCulture) + ")"
                : "line 1: not a stored lease";
            return null;
        }
        string boot = "";
        long bootTime = 0, obtained = 0;
        byte[]? serverId = null;
        Ipv6Address server = default;
        uint iaid = 0, t1 = 0, t2 = 0;
        var prefixes = new List<DelegatedPrefix>();
        var dns = new List<Ipv6Address>();
        var s46 = new List<byte[]>();
        bool ended = false;
        for (int i = 1; i < lines.Length; i++)
        {
            string line = lines[i];
            if (line.Length == 0)
                continue;
            string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            bool ok = f.Length >= 2 || f[0] == "end";
            switch (f[0])
            {
                case "boot": boot = f.Length > 1 ? f[1] : ""; break;
                case "boottime-ms": ok &= long.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out bootTime); break;
                case "obtained": ok &= long.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out obtained); break;
                case "server-id": ok &= TryHex(f[1], out serverId) && serverId!.Length is > 0 and <= Dhcpv6Limits.MaxDuidLength; break;
                case "server-address": ok &= Ipv6Address.TryParse(f[1], out server); break;
                case "iaid": ok &= uint.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out iaid); break;
                case "t1": ok &= uint.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out t1); break;
                case "t2": ok &= uint.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out t2); break;
                case "prefix":
                    ok &= f.Length == 4 && Ipv6Prefix.TryParse(f[1], out Ipv6Prefix p, out _)
                        && uint.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out uint preferred)
                        && uint.TryParse(f[3], NumberStyles.None, CultureInfo.InvariantCulture, out uint valid)
                        && Add(prefixes, new DelegatedPrefix(p.Address.Value, (byte)p.Length, preferred, valid));
                    break;
                case "dns": ok &= Ipv6Address.TryParse(f[1], out Ipv6Address d) && Add(dns, d); break;
                case "s46": ok &= TryHex(f[1], out byte[]? bytes) && Add(s46, bytes!); break;
                case "end": ended = true; break;
                default: ok = false; break;
            }
            if (!ok)
            {
                error = $"line {i + 1}: '{line}' is not a stored-lease line";
                return null;
            }
            if (prefixes.Count > Dhcpv6Limits.MaxPrefixesPerIa || s46.Count > 8 || dns.Count > Dhcpv6Limits.MaxDnsServers)
            {
                error = $"line {i + 1}: more entries than a Reply can carry";
                return null;
            }
        }
        if (!ended || serverId is null)
        {
            error = !ended ? "cut short (no 'end' line)" : "no server-id";
            return null;
        }
        return new LeaseRecord
        {
            BootId = boot, BootTimeMs = bootTime, ObtainedUnix = obtained, ServerId = serverId, ServerAddress = server, IaId = iaid,
            T1 = t1, T2 = t2, Prefixes = prefixes.ToArray(), DnsServers = dns.ToArray(), S46 = s46.ToArray(),
        };
    }

    private static bool Add<T>(List<T> list, T item)
    {
        list.Add(item);
        return true;
    }

    private static bool TryHex(string text, out byte[]? bytes)
    {
        bytes = null;
        if (text.Length == 0 || text.Length % 2 != 0 || text.Length > 2 * Dhcpv6Limits.MaxMessageLength)
            return false;
        try
        {
            bytes = Convert.FromHexString(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
