using System.Collections.Generic;

namespace Mapt.Provisioning;

/// <summary>Everything mapt puts into one family's tables: its chains and the jumps into them.</summary>
public sealed record IptablesRuleset(IpFamily Family, IReadOnlyList<IptablesChain> Chains, IReadOnlyList<IptablesJump> Jumps)
{
    /// <summary>mapt's chains are named for it: teardown removes exactly these and nothing else.</summary>
    public const string ChainPrefix = "MAPT_";

    /// <summary>The tables in the order a restore text lists them.</summary>
    public static readonly string[] TableOrder = { "raw", "mangle", "nat", "filter", "security" };

    /// <summary>A name mapt gives its chains: the prefix, then letters, digits, '_' or '-' (at most 28 characters, XT_FUNCTION_MAXNAMELEN - 1).</summary>
    public static bool IsMaptChain(string name)
    {
        if (!name.StartsWith(ChainPrefix, System.StringComparison.Ordinal) || name.Length > 28 || name.Length == ChainPrefix.Length)
            return false;
        foreach (char c in name)
            if (!(c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-'))
                return false;
        return true;
    }

    public string RestoreCommand => Family == IpFamily.Ipv4 ? "iptables-restore" : "ip6tables-restore";
}
