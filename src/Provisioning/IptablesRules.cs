using System.Collections.Generic;
using System.Globalization;

namespace Mapt.Provisioning;

/// <summary>
/// The packet-filter rules a MAP-T CE needs around the translator device (mapt-reference
/// section 5). Only mapt's own chains hold rules; the gateway's chains get one jump each,
/// scoped to the device, at a stated position:
/// <list type="bullet">
/// <item>nat POSTROUTING, inserted at 1: before the gateway's generic MASQUERADE, which would
/// otherwise take MAP traffic; the gateway's port-forward DNAT lives in PREROUTING and is not
/// touched. POSTROUTING also sees the router's own traffic, which nat46 would drop unless it is
/// SNATed into the rule prefix too.</item>
/// <item>mangle FORWARD and OUTPUT, appended: the MSS clamp only rewrites the MSS option of
/// SYNs, after the gateway's QoS MARK rules, which stay as they are.</item>
/// <item>filter FORWARD and INPUT, appended: the gateway's own verdicts (its port-forward
/// accepts, its blocks) come first; mapt accepts what leaves by the device and the replies.</item>
/// <item>ip6 filter FORWARD, inserted at 1 and 2: the translated traffic of the MAP IPv6
/// address (/128) between the device and the WAN.</item>
/// </list>
/// </summary>
public static class IptablesRules
{
    public const string NatChain = "MAPT_POSTROUTING";
    public const string MssChain = "MAPT_MSS";
    public const string ForwardChain = "MAPT_FORWARD";
    public const string InputChain = "MAPT_INPUT";

    /// <summary>The protocols whose port (or ICMP echo identifier) SNAT maps into the set.</summary>
    public static readonly string[] PortProtocols = { "tcp", "udp", "icmp" };

    public static IptablesRuleset Ipv4(PlanInput input, PlanSettings settings, Mapt.Map.SnatRemap? remap = null)
    {
        string dev = settings.MapDevice;
        var tree = new List<IptablesChain>();
        var chains = new List<IptablesChain>
        {
            new("mangle", MssChain, new[]
            {
                "-p tcp -m tcp --tcp-flags SYN,RST SYN -j TCPMSS --set-mss " + Number(settings.EffectiveMss),
            }),
            new("nat", NatChain, remap is null ? Snat(input, settings.Strategy, tree) : RemapSnat(input, remap)),
            new("filter", ForwardChain, new[]
            {
                "-i " + dev + " -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
                "-o " + dev + " -j ACCEPT",
            }),
            new("filter", InputChain, new[]
            {
                "-m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
            }),
        };
        chains.AddRange(tree);
        var jumps = new List<IptablesJump>
        {
            new("mangle", "FORWARD", 0, "-o " + dev + " -j " + MssChain),
            new("mangle", "FORWARD", 0, "-i " + dev + " -j " + MssChain),
            new("mangle", "OUTPUT", 0, "-o " + dev + " -j " + MssChain),
            new("nat", "POSTROUTING", 1, "-o " + dev + " -j " + NatChain),
            new("filter", "FORWARD", 0, "-o " + dev + " -j " + ForwardChain),
            new("filter", "FORWARD", 0, "-i " + dev + " -j " + ForwardChain),
            new("filter", "INPUT", 0, "-i " + dev + " -j " + InputChain),
        };
        return new IptablesRuleset(IpFamily.Ipv4, chains, jumps);
    }

    public static IptablesRuleset Ipv6(PlanInput input, PlanSettings settings)
    {
        string dev = settings.MapDevice, wan = settings.WanInterface, address = input.MapIpv6Address + "/128";
        var chains = new List<IptablesChain>
        {
            new("filter", ForwardChain, new[]
            {
                // In iptables-save's own order (addresses, interfaces, target): adoption compares rules as text.
                "-s " + address + " -i " + dev + " -o " + wan + " -j ACCEPT",
                "-d " + address + " -i " + wan + " -o " + dev + " -j ACCEPT",
            }),
        };
        var jumps = new List<IptablesJump>
        {
            new("filter", "FORWARD", 1, "-i " + dev + " -j " + ForwardChain),
            new("filter", "FORWARD", 2, "-o " + dev + " -j " + ForwardChain),
        };
        return new IptablesRuleset(IpFamily.Ipv6, chains, jumps);
    }

    /// <summary>
    /// The most port ranges a shared address may have: 2^a - 1 for PSID offset a, so a <= 10.
    /// Every range costs SNAT rules; a PSID offset of 15 would mean 32,767 one-port ranges,
    /// about 100,000 rules and 11 MB of restore text (133 MB and 1.75 s in iptables-restore
    /// here: a 512 MB gateway times out and retries for ever). Such a lease is refused.
    /// </summary>
    public const int MaxPortRanges = 1023;

    /// <summary>Why <paramref name="input"/>'s port set cannot be installed as rules, or null.</summary>
    public static string? CheckSize(PlanInput input)
    {
        if (input.PortSet.Count <= MaxPortRanges)
            return null;
        return $"the port set has {input.PortSet.Count} ranges (PSID offset {input.Bmr.PsidOffset}); mapt installs at most {MaxPortRanges} "
            + $"(PSID offset 10 or less), since every range costs SNAT rules ({RuleCount(input.PortSet.Count, SnatStrategy.RoundRobin) * PortProtocols.Length} here)";
    }

    /// <summary>
    /// SNAT into the port set. A 1:1 address needs no port mapping: plain SNAT. A shared
    /// address whose set is one block (PSID offset 0) gets one rule per protocol. Otherwise
    /// every range gets a SNAT rule per protocol, and new connections are spread over them
    /// (nat rules see only a connection's first packet, so the statistic counters count
    /// connections). Round robin walks a balanced tree of chains (<see cref="SpreadChains"/>):
    /// log2(ranges) levels of at most three rules, instead of up to one rule per range. The
    /// last rule of each protocol (or tree node) is unconditional, so no connection leaves with
    /// its LAN source. ICMP's echo identifier is mapped like a port. Other protocols can only
    /// get the address.
    /// </summary>
    public static List<string> Snat(PlanInput input, SnatStrategy strategy, List<IptablesChain> treeChains)
    {
        var rules = new List<string>();
        string ip = input.Ipv4Address.ToString();
        if (input.IsShared)
        {
            int n = input.PortSet.Count;
            foreach (string protocol in PortProtocols)
            {
                if (n == 1)
                    rules.Add("-p " + protocol + To(ip, input.PortSet[0]));
                else if (strategy == SnatStrategy.RoundRobin)
                    rules.Add("-p " + protocol + " -j " + SpreadChains(ip, input.PortSet, protocol, treeChains));
                else
                    for (int i = 0; i < n; i++)
                    {
                        string to = To(ip, input.PortSet[i]);
                        if (i == n - 1)
                            rules.Add("-p " + protocol + to);
                        else if (strategy == SnatStrategy.FlatRoundRobin)
                            rules.Add("-p " + protocol + " -m statistic --mode nth --every " + Number(n - i) + " --packet 0" + to);
                        else
                            rules.Add("-p " + protocol + " -m statistic --mode random --probability " +
                                (1.0 / (n - i)).ToString("0.0000000000", CultureInfo.InvariantCulture) + to);
                    }
            }
        }
        rules.Add("-j SNAT --to-source " + ip);
        return rules;
    }

    /// <summary>
    /// SNAT with the port remap (issue 15): one rule per protocol into its contiguous virtual
    /// range (`--to-source IP:V0-Vn`), in which the kernel finds any free port; mapt's translator
    /// maps each virtual port onto the set. The kept ports (port forwards) are not in the range:
    /// no outbound connection is given one.
    /// </summary>
    public static List<string> RemapSnat(PlanInput input, Mapt.Map.SnatRemap remap)
    {
        string ip = input.Ipv4Address.ToString();
        var rules = new List<string>();
        foreach (string protocol in PortProtocols)
        {
            Mapt.Map.PortRemap r = remap.For(protocol switch { "tcp" => 6, "udp" => 17, _ => 1 })!;
            rules.Add("-p " + protocol + To(ip, new PortSpan(r.VirtualFirst, r.VirtualLast)));
        }
        rules.Add("-j SNAT --to-source " + ip);
        return rules;
    }

    /// <summary>
    /// The round-robin tree for one protocol; returns its root chain. A node over c ranges
    /// takes every c-th connection for its first range when c is odd, then alternates the rest
    /// between two halves of equal size (`--every 2`): over time every range gets the same share,
    /// and a new connection walks at most three rules per level.
    /// </summary>
    private static string SpreadChains(string ip, IReadOnlyList<PortSpan> spans, string protocol, List<IptablesChain> chains)
    {
        string prefix = "MAPT_SNAT_" + protocol.ToUpperInvariant() + "_";
        // SNAT to ports needs the protocol in its own rule (iptables: "Need TCP, UDP, SCTP or DCCP with port specification").
        string match = "-p " + protocol + " ";
        int next = 0;
        return Node(0, spans.Count);

        string Node(int first, int count)
        {
            string name = prefix + Number(next++);
            var rules = new List<string>();
            chains.Add(new IptablesChain("nat", name, rules));
            int at = first, left = count;
            if (left % 2 == 1)
            {
                rules.Add(match + "-m statistic --mode nth --every " + Number(left) + " --packet 0" + To(ip, spans[at]));
                at++;
                left--;
            }
            int half = left / 2;
            rules.Add(match + "-m statistic --mode nth --every 2 --packet 0 " + Target(at, half));
            rules.Add(match + Target(at + half, half));
            return name;
        }

        string Target(int first, int count) => count == 1 ? To(ip, spans[first]).TrimStart() : "-j " + Node(first, count);
    }

    private static string To(string ip, PortSpan span) => " -j SNAT --to-source " + ip + ":" + span.ToString();

    /// <summary>SNAT rules per protocol for <paramref name="ranges"/> ranges (the jumps of the tree included).</summary>
    public static int RuleCount(int ranges, SnatStrategy strategy)
    {
        if (ranges <= 1)
            return 1;
        if (strategy != SnatStrategy.RoundRobin)
            return ranges;
        static int Node(int c)
        {
            int half = (c - c % 2) / 2;
            return c % 2 + 2 + (half > 1 ? 2 * Node(half) : 0);
        }
        return 1 + Node(ranges);
    }

    /// <summary>The most rules a new connection walks before its SNAT matches (the protocol dispatch included).</summary>
    public static int WorstWalk(int ranges, SnatStrategy strategy)
    {
        if (ranges <= 1)
            return PortProtocols.Length;
        if (strategy != SnatStrategy.RoundRobin)
            return PortProtocols.Length - 1 + ranges;
        int c = ranges, walk = 0;
        while (c > 1)
        {
            walk += c % 2 == 1 ? 3 : 2;
            c = (c - c % 2) / 2;
        }
        return PortProtocols.Length + walk;
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
