using System;
using System.Collections.Generic;

namespace Mapt.Provisioning;

/// <summary>
/// What of mapt is installed in one family's tables, read from iptables-save output: chains
/// named MAPT_* and the rules elsewhere that jump into them. Counters are ignored.
/// </summary>
public sealed class IptablesState
{
    public static readonly IptablesState Empty = new(Array.Empty<IptablesChain>(), Array.Empty<IptablesJump>());

    public IReadOnlyList<IptablesChain> Chains { get; }
    public IReadOnlyList<IptablesJump> Jumps { get; }

    public IptablesState(IReadOnlyList<IptablesChain> chains, IReadOnlyList<IptablesJump> jumps)
    {
        Chains = chains;
        Jumps = jumps;
    }

    public bool IsEmpty => Chains.Count == 0 && Jumps.Count == 0;

    /// <summary>What a fresh setup of <paramref name="ruleset"/> leaves installed.</summary>
    public static IptablesState After(IptablesRuleset ruleset) => new(ruleset.Chains, ruleset.Jumps);

    /// <summary>Reads iptables-save (or ip6tables-save) text; lines it does not know are skipped.</summary>
    public static IptablesState Parse(string save)
    {
        var chains = new List<IptablesChain>();
        var jumps = new List<IptablesJump>();
        string table = "";
        foreach (string raw in save.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            // "-c" output puts "[p:b] " before the rule.
            if (line.StartsWith('[') && line.IndexOf("] ", StringComparison.Ordinal) is int close and > 0)
                line = line.Substring(close + 2);
            if (line.StartsWith('*'))
            {
                table = line.Substring(1).Trim();
            }
            else if (line.StartsWith(':' + IptablesRuleset.ChainPrefix, StringComparison.Ordinal))
            {
                int space = line.IndexOf(' ');
                chains.Add(new IptablesChain(table, space < 0 ? line.Substring(1) : line.Substring(1, space - 1), Array.Empty<string>()));
            }
            else if (line.StartsWith("-A ", StringComparison.Ordinal))
            {
                int space = line.IndexOf(' ', 3);
                if (space < 0)
                    continue;
                string chain = line.Substring(3, space - 3);
                string spec = line.Substring(space + 1);
                if (!chain.StartsWith(IptablesRuleset.ChainPrefix, StringComparison.Ordinal) && JumpsToMapt(spec))
                    jumps.Add(new IptablesJump(table, chain, 0, spec));
            }
        }
        return new IptablesState(chains, jumps);
    }

    private static bool JumpsToMapt(string spec)
    {
        foreach (string verb in new[] { "-j ", "-g " })
        {
            int at = spec.IndexOf(verb + IptablesRuleset.ChainPrefix, StringComparison.Ordinal);
            if (at == 0 || (at > 0 && spec[at - 1] == ' '))
                return true;
        }
        return false;
    }
}
