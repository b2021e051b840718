using System.Collections.Generic;
using Mapt.Dhcpv6.Wire;
using Mapt.Map;
using Mapt.Net;

namespace Mapt.Dhcpv6;

/// <summary>
/// A MAP-T domain from S46_CONT_MAPT: the rules (F flags kept), the DMR and the port
/// parameters as the MAP engine understands them. Built only when every rule and the DMR pass
/// the engine's checks; a single bad rule refuses the container (RFC 7598 section 5.2 makes
/// the container one configuration: half of it would map traffic the BR does not expect).
/// </summary>
public sealed class MaptDomain
{
    private MaptDomain(S46MaptContainer wire, MapRuleSet rules, Dmr dmr)
    {
        Wire = wire;
        Rules = rules;
        Dmr = dmr;
    }

    /// <summary>The container as it came, prefixes masked.</summary>
    public S46MaptContainer Wire { get; }
    public MapRuleSet Rules { get; }
    public Dmr Dmr { get; }

    public static bool TryBuild(S46MaptContainer container, out MaptDomain domain, out string reason)
    {
        domain = null!;
        var rules = new List<MapRule>(container.Rules.Length);
        for (int i = 0; i < container.Rules.Length; i++)
        {
            S46Rule r = container.Rules[i];
            PortParameters? parameters = null;
            if (r.PortParameters is S46PortParameters p)
            {
                if (!PortParameters.TryFromWire(p.PsidOffset, p.PsidLength, p.PsidLeftAligned, out PortParameters pp, out MapError perror))
                {
                    reason = "S46_RULE #" + (i + 1) + " S46_PORTPARAMS: " + MapErrors.Describe(perror);
                    return false;
                }
                parameters = pp;
            }
            Ipv6Prefix ipv6 = Ipv6Prefix.Masked(new Ipv6Address(r.Ipv6Prefix), r.Prefix6Length);
            Ipv4Prefix ipv4 = Ipv4Prefix.Masked(new Ipv4Address(r.Ipv4Prefix), r.Prefix4Length);
            if (!MapRule.TryCreate(ipv6, ipv4, r.EaLength, parameters, r.IsForwardingMappingRule, out MapRule? rule, out MapError error))
            {
                reason = "S46_RULE #" + (i + 1) + " (" + ipv6 + ", " + ipv4 + ", ea-len " + r.EaLength + "): " + MapErrors.Describe(error);
                return false;
            }
            rules.Add(rule!);
        }
        if (!Dmr.TryCreate(Ipv6Prefix.Masked(new Ipv6Address(container.Dmr.Prefix), container.Dmr.PrefixLength), out Dmr dmr, out MapError dmrError))
        {
            reason = "S46_DMR /" + container.Dmr.PrefixLength + ": " + MapErrors.Describe(dmrError);
            return false;
        }
        domain = new MaptDomain(container, new MapRuleSet(rules, dmr), dmr);
        reason = "";
        return true;
    }

    public bool SameAs(MaptDomain other) => Wire.SameAs(other.Wire);
}
