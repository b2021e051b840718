using System.Collections.Generic;

namespace Mapt.Provisioning;

/// <summary>Everything mapt puts into one family's tables: its chains and the jumps into them.</summary>
public sealed record IptablesRuleset(IpFamily Family, IReadOnlyList<IptablesChain> Chains, IReadOnlyList<IptablesJump> Jumps)
{
    /// <summary>mapt's chains are named for it: teardown removes exactly these and nothing else.</summary>
    public const string ChainPrefix = "MAPT_";

    /// <summary>The tables in the order a restore text lists them.</summary>
    public static readonly string[] TableOrder = { "raw", "mangle", "nat", "filter", "security" };

    public string RestoreCommand => Family == IpFamily.Ipv4 ? "iptables-restore" : "ip6tables-restore";
}
