using System.Collections.Generic;
using Mapt.Net;

namespace Mapt.Map;

/// <summary>
/// MAP content from the network checked for sense, not only for syntax: rules and a DMR can be
/// well-formed and still make no sense for a CE, or take traffic the gateway needs for
/// something else. What is refused here is never applied (the daemon's event 615, `mapt
/// plan`'s exit 2).
/// </summary>
public static class SenseCheck
{
    /// <summary>
    /// IPv4 ranges a MAP rule can never serve as a CE's public address (RFC 6890 special-purpose
    /// blocks that are not unicast on the Internet, or are host- or link-local). Private,
    /// shared (100.64/10) and documentation ranges are not refused: operators use them in
    /// their own networks and labs, and a BR translating them is their choice.
    /// </summary>
    private static readonly (Ipv4Prefix Prefix, string What)[] NotAnAddress =
    {
        (Ipv4Prefix.Masked(new Ipv4Address(0, 0, 0, 0), 8), "'this network' (RFC 6890)"),
        (Ipv4Prefix.Masked(new Ipv4Address(127, 0, 0, 0), 8), "loopback (RFC 6890)"),
        (Ipv4Prefix.Masked(new Ipv4Address(169, 254, 0, 0), 16), "link-local (RFC 6890)"),
        (Ipv4Prefix.Masked(new Ipv4Address(224, 0, 0, 0), 4), "multicast (RFC 5771)"),
        (Ipv4Prefix.Masked(new Ipv4Address(240, 0, 0, 0), 4), "reserved, and the limited broadcast 255.255.255.255 (RFC 6890)"),
    };

    /// <summary>IPv6 global unicast (RFC 4291 section 2.4): where a BR's prefix must be.</summary>
    private static readonly Ipv6Prefix GlobalUnicast = Ipv6Prefix.Masked(new Ipv6Address(0x2000_0000_0000_0000, 0), 3);

    /// <summary>
    /// Why the content cannot be used, or null. <paramref name="lanPrefixes"/> are the gateway's
    /// own IPv4 subnets (empty where unknown): a rule covering one would translate the LAN's
    /// own traffic away.
    /// </summary>
    public static string? Check(IReadOnlyList<MapRule> rules, Dmr dmr, Ipv6Prefix endUserPrefix, IReadOnlyList<Ipv4Prefix> lanPrefixes)
    {
        for (int i = 0; i < rules.Count; i++)
        {
            MapRule rule = rules[i];
            string name = (rule.IsFmr ? "FMR " : "rule ") + rule.RuleIpv6Prefix + " " + rule.RuleIpv4Prefix;
            if (rule.IsFmr && rule.RuleIpv4Prefix.Length == 0)
                return name + ": an FMR covering 0.0.0.0/0 would send every IPv4 destination to a CE of the domain instead of the BR";
            foreach ((Ipv4Prefix prefix, string what) in NotAnAddress)
                if (Overlap(rule.RuleIpv4Prefix, prefix))
                    return name + ": its IPv4 prefix overlaps " + prefix + ", " + what + ", which no CE can be given";
            foreach (Ipv4Prefix lan in lanPrefixes)
                if (Overlap(rule.RuleIpv4Prefix, lan))
                    return name + ": its IPv4 prefix overlaps the gateway's own subnet " + lan + "; the LAN's traffic would be translated away";
        }
        if (!GlobalUnicast.Contains(dmr.Prefix))
            return "DMR " + dmr + " is not global unicast (2000::/3): no BR can be reached there";
        if (dmr.Prefix.Contains(endUserPrefix) || endUserPrefix.Contains(dmr.Prefix))
            return "DMR " + dmr + " overlaps the delegated prefix " + endUserPrefix + ": traffic to the BR would stay in the LAN";
        return null;
    }

    private static bool Overlap(Ipv4Prefix a, Ipv4Prefix b) => a.Contains(b) || b.Contains(a);
}
