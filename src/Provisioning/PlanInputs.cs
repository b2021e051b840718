using System.Collections.Generic;
using Mapt.Map;

namespace Mapt.Provisioning;

/// <summary>The plan's input from the MAP engine's values (src/Map): texts as the kernel prints them back (<see cref="Nat46Text"/>).</summary>
public static class PlanInputs
{
    public static Nat46Rule RuleOf(MapRule rule) => new(
        rule.RuleIpv4Prefix.Address.ToString(), rule.RuleIpv4Prefix.Length,
        Nat46Text.Ipv6(rule.RuleIpv6Prefix.Address), rule.RuleIpv6Prefix.Length,
        rule.EaBitsLength, rule.PsidOffset, rule.PsidLength);

    /// <summary>
    /// <paramref name="result"/> is the CE's computation with its BMR; <paramref name="rules"/>
    /// every rule received, of which those flagged FMR are inserted (the BMR too, when flagged:
    /// it then also maps destinations in its own domain, RFC 7597 section 5.3).
    /// </summary>
    public static PlanInput From(MapResult result, Dmr dmr, IReadOnlyList<MapRule> rules)
    {
        var spans = new List<PortSpan>();
        PortSet set = result.PortSet;
        for (int i = 0; i < set.RangeCount; i++)
        {
            PortRange range = set.GetRange(i);
            spans.Add(new PortSpan(range.First, range.Last));
        }
        var fmrs = new List<Nat46Rule>();
        foreach (MapRule rule in rules)
            if (rule.IsFmr)
                fmrs.Add(RuleOf(rule));
        return new PlanInput(result.Ipv4Address, spans, result.MapIpv6Address, RuleOf(result.Rule), dmr.Prefix, fmrs);
    }
}
