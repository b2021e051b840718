using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using Mapt.Net;

namespace Mapt.Map;

/// <summary>
/// Which CE owns an IPv4 address and port (for abuse and lawful-intercept requests): its
/// End-user prefix and MAP IPv6 address (RFC 7597 section 5.2 run backwards).
/// </summary>
public sealed class ReverseLookup
{
    public MapRule Rule { get; }
    public Ipv4Address Ipv4Address { get; }
    public ushort Port { get; }
    public ulong EaBits { get; }
    /// <summary>The owner's End-user prefix, of length n + o (it may have been delegated longer).</summary>
    public Ipv6Prefix EndUserPrefix { get; }
    public Ipv6Address MapIpv6Address { get; }
    /// <summary>The owner's PSID, right-aligned (0 when not shared).</summary>
    public ushort Psid { get; }

    private ReverseLookup(MapRule rule, Ipv4Address ipv4, ushort port, ulong eaBits, ushort psid)
    {
        Rule = rule;
        Ipv4Address = ipv4;
        Port = port;
        EaBits = eaBits;
        EndUserPrefix = rule.EndUserPrefix(eaBits);
        MapIpv6Address = rule.MapIpv6Address(eaBits);
        Psid = psid;
    }

    /// <summary>With one rule.</summary>
    public static bool TryLookup(MapRule rule, Ipv4Address ipv4, ushort port, [MaybeNullWhen(false)] out ReverseLookup result, out MapError error)
    {
        result = null;
        if (!rule.TryGetEaBits(ipv4, port, out ulong eaBits, out error))
            return false;
        rule.CeFromEaBits(eaBits, out _, out ushort psid);
        result = new ReverseLookup(rule, ipv4, port, eaBits, psid);
        return true;
    }

    /// <summary>With several rules: the one with the longest IPv4 prefix holding the address (FMR or not).</summary>
    public static bool TryLookup(IReadOnlyList<MapRule> rules, Ipv4Address ipv4, ushort port, [MaybeNullWhen(false)] out ReverseLookup result, out MapError error)
    {
        MapRule? best = null;
        for (int i = 0; i < rules.Count; i++)
            if (rules[i].RuleIpv4Prefix.Contains(ipv4) && (best is null || rules[i].RuleIpv4Prefix.Length > best.RuleIpv4Prefix.Length))
                best = rules[i];
        if (best is null)
        {
            result = null;
            error = MapError.Ipv4OutsideRule;
            return false;
        }
        return TryLookup(best, ipv4, port, out result, out error);
    }
}
