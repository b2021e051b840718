using System.Collections.Generic;
using Mapt.Net;

namespace Mapt.Map;

/// <summary>
/// All the rules a CE was given, with the Forwarding Mapping Rules kept as a list (RFC 7597
/// section 5: every rule with the F flag is used for mesh destinations, not only the last
/// one), plus the DMR. The lookups are what the translator calls per packet: a scan of a
/// small array, no allocation.
/// </summary>
public sealed class MapRuleSet
{
    private readonly MapRule[] _rules;
    private readonly MapRule[] _fmrs;

    public MapRuleSet(IReadOnlyList<MapRule> rules, Dmr? dmr)
    {
        _rules = new MapRule[rules.Count];
        int fmrCount = 0;
        for (int i = 0; i < rules.Count; i++)
        {
            _rules[i] = rules[i];
            if (rules[i].IsFmr)
                fmrCount++;
        }
        _fmrs = new MapRule[fmrCount];
        fmrCount = 0;
        foreach (MapRule rule in _rules)
            if (rule.IsFmr)
                _fmrs[fmrCount++] = rule;
        Dmr = dmr;
    }

    public IReadOnlyList<MapRule> Rules => _rules;
    public IReadOnlyList<MapRule> ForwardingMappingRules => _fmrs;
    public Dmr? Dmr { get; }

    public bool TrySelectBasicMappingRule(Ipv6Prefix endUserPrefix, out MapRule? rule, out MapError error) =>
        BasicMappingRule.TrySelect(_rules, endUserPrefix, out rule, out error);

    /// <summary>The FMR with the longest IPv4 prefix containing <paramref name="destination"/>, if any.</summary>
    public bool TryFindFmr(Ipv4Address destination, out MapRule? rule)
    {
        rule = null;
        foreach (MapRule candidate in _fmrs)
            if (candidate.RuleIpv4Prefix.Contains(destination)
                && (rule is null || candidate.RuleIpv4Prefix.Length > rule.RuleIpv4Prefix.Length))
                rule = candidate;
        return rule is not null;
    }

    /// <summary>The FMR with the longest IPv6 prefix containing <paramref name="source"/>, if any.</summary>
    public bool TryFindFmr(Ipv6Address source, out MapRule? rule)
    {
        rule = null;
        foreach (MapRule candidate in _fmrs)
            if (candidate.RuleIpv6Prefix.Contains(source)
                && (rule is null || candidate.RuleIpv6Prefix.Length > rule.RuleIpv6Prefix.Length))
                rule = candidate;
        return rule is not null;
    }

    /// <summary>
    /// The IPv6 destination for an IPv4 destination and port as the CE sends it: through an
    /// FMR when one covers the address (mesh), else embedded in the DMR (RFC 7599 section 5).
    /// False when no FMR covers it and there is no DMR, or the FMR's owner has no such port.
    /// </summary>
    public bool TryMapDestination(Ipv4Address destination, ushort port, out Ipv6Address address, out MapError error)
    {
        if (TryFindFmr(destination, out MapRule? fmr))
            return fmr!.TryMapIpv4ToIpv6(destination, port, out address, out error);
        if (Dmr is { } dmr)
        {
            address = dmr.Embed(destination);
            error = MapError.None;
            return true;
        }
        address = default;
        error = MapError.NoMatchingRule;
        return false;
    }

    /// <summary>
    /// The reverse, for a packet arriving from the MAP domain: a source inside an FMR is
    /// another CE (its IPv4 address and the PSID its ports must carry, interface ID checked);
    /// a source inside the DMR is the BR translating for an IPv4 host (RFC 6052 extraction,
    /// <paramref name="psid"/> 0 and <paramref name="fromFmr"/> false).
    /// </summary>
    public bool TryMapSource(Ipv6Address source, out Ipv4Address ipv4, out ushort psid, out bool fromFmr, out MapError error)
    {
        psid = 0;
        fromFmr = TryFindFmr(source, out MapRule? fmr);
        if (fromFmr)
            return fmr!.TryMapIpv6ToIpv4(source, out ipv4, out psid, out error);
        if (Dmr is { } dmr)
            return dmr.TryExtract(source, out ipv4, out error);
        ipv4 = default;
        error = MapError.Ipv6OutsideRule;
        return false;
    }
}
