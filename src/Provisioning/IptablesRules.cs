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

    public static IptablesRuleset Ipv4(PlanInput input, PlanSettings settings)
    {
        string dev = settings.MapDevice;
        var chains = new List<IptablesChain>
        {
            new("mangle", MssChain, new[]
            {
                "-p tcp -m tcp --tcp-flags SYN,RST SYN -j TCPMSS --set-mss " + Number(settings.EffectiveMss),
            }),
            new("nat", NatChain, Snat(input, settings.Strategy)),
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
                "-i " + dev + " -o " + wan + " -s " + address + " -j ACCEPT",
                "-i " + wan + " -o " + dev + " -d " + address + " -j ACCEPT",
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
    /// SNAT into the port set. A shared address gets one rule per range and protocol, spread so
    /// every range takes new connections (nat rules see only a connection's first packet, so
    /// the statistic counters count connections); the last rule of each protocol is
    /// unconditional, so no connection leaves with its LAN source. ICMP's echo identifier is
    /// mapped like a port. Other protocols can only get the address. A 1:1 address needs no
    /// port mapping: plain SNAT.
    /// </summary>
    public static List<string> Snat(PlanInput input, SnatStrategy strategy)
    {
        var rules = new List<string>();
        string ip = input.Ipv4Address;
        if (input.IsShared)
        {
            int n = input.PortSet.Count;
            foreach (string protocol in PortProtocols)
            {
                for (int i = 0; i < n; i++)
                {
                    string to = " -j SNAT --to-source " + ip + ":" + input.PortSet[i].ToString();
                    if (i == n - 1)
                        rules.Add("-p " + protocol + to);
                    else if (strategy == SnatStrategy.RoundRobin)
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

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
