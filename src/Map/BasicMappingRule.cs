using System.Collections.Generic;
using Mapt.Net;

namespace Mapt.Map;

/// <summary>The choice of the Basic Mapping Rule among the rules a CE was given (RFC 7597 section 5).</summary>
public static class BasicMappingRule
{
    /// <summary>
    /// The rule whose IPv6 prefix has the longest match with the End-user prefix (every rule
    /// is a candidate, FMR or not). On a tie the first given wins.
    /// </summary>
    public static bool TrySelect(IReadOnlyList<MapRule> rules, Ipv6Prefix endUserPrefix, out MapRule? rule, out MapError error)
    {
        rule = null;
        for (int i = 0; i < rules.Count; i++)
        {
            MapRule candidate = rules[i];
            if (candidate.RuleIpv6Prefix.Contains(endUserPrefix)
                && (rule is null || candidate.RuleIpv6Prefix.Length > rule.RuleIpv6Prefix.Length))
                rule = candidate;
        }
        error = rule is null ? MapError.NoMatchingRule : MapError.None;
        return rule is not null;
    }
}
