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

    /// <summary>Reads iptables-save (or ip6tables-save) text, mapt's chains with their rules; lines it does not know are skipped.</summary>
    public static IptablesState Parse(string save)
    {
        var chains = new List<IptablesChain>();
        var rules = new Dictionary<(string, string), List<string>>();
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
                string name = space < 0 ? line.Substring(1) : line.Substring(1, space - 1);
                var list = new List<string>();
                rules[(table, name)] = list;
                chains.Add(new IptablesChain(table, name, list));
            }
            else if (line.StartsWith("-A ", StringComparison.Ordinal))
            {
                int space = line.IndexOf(' ', 3);
                if (space < 0)
                    continue;
                string chain = line.Substring(3, space - 3);
                string spec = line.Substring(space + 1);
                if (chain.StartsWith(IptablesRuleset.ChainPrefix, StringComparison.Ordinal))
                {
                    if (rules.TryGetValue((table, chain), out List<string>? list))
                        list.Add(spec);
                }
                else if (JumpsToMapt(spec))
                {
                    jumps.Add(new IptablesJump(table, chain, 0, spec));
                }
            }
        }
        return new IptablesState(chains, jumps);
    }

    /// <summary>Only what concerns the named chains: them and the jumps into them (a journal's undo touches nothing else of mapt's).</summary>
    public IptablesState Only(IReadOnlyList<IptablesChainName> names)
    {
        var chains = new List<IptablesChain>();
        var jumps = new List<IptablesJump>();
        foreach (IptablesChain c in Chains)
            if (Contains(names, c.Table, c.Name))
                chains.Add(c);
        foreach (IptablesJump j in Jumps)
            if (Contains(names, j.Table, TargetOf(j.RuleSpec)))
                jumps.Add(j);
        return new IptablesState(chains, jumps);
    }

    /// <summary>
    /// How the installed state differs from <paramref name="ruleset"/> (its chains with exactly
    /// these rules, each planned jump once, no other jump into them), or null when it is the
    /// same: what adoption checks before it takes a running configuration over.
    /// </summary>
    public string? Difference(IptablesRuleset ruleset)
    {
        foreach (IptablesChain wanted in ruleset.Chains)
        {
            IptablesChain? have = null;
            foreach (IptablesChain c in Chains)
                if (c.Table == wanted.Table && c.Name == wanted.Name)
                    have = c;
            if (have is null)
                return wanted.Table + " chain " + wanted.Name + " is missing";
            if (have.Rules.Count != wanted.Rules.Count)
                return wanted.Table + " chain " + wanted.Name + " has " + have.Rules.Count + " rule(s), planned " + wanted.Rules.Count;
            for (int i = 0; i < wanted.Rules.Count; i++)
                if (have.Rules[i] != wanted.Rules[i])
                    return wanted.Table + " chain " + wanted.Name + " rule " + (i + 1) + " is '" + have.Rules[i] + "', planned '" + wanted.Rules[i] + "'";
        }
        foreach (IptablesChain c in Chains)
            if (!Contains(ruleset.Chains, c))
                return c.Table + " chain " + c.Name + " is not in the plan";
        foreach (IptablesJump wanted in ruleset.Jumps)
        {
            int count = 0;
            foreach (IptablesJump j in Jumps)
                if (j.Table == wanted.Table && j.Chain == wanted.Chain && j.RuleSpec == wanted.RuleSpec)
                    count++;
            if (count != 1)
                return wanted.Table + " " + wanted.Chain + " holds the jump '" + wanted.RuleSpec + "' " + count + " time(s)";
        }
        if (Jumps.Count != ruleset.Jumps.Count)
            return Jumps.Count + " jump(s) into mapt's chains installed, planned " + ruleset.Jumps.Count;
        return null;
    }

    private static bool Contains(IReadOnlyList<IptablesChainName> names, string table, string chain)
    {
        foreach (IptablesChainName n in names)
            if (n.Table == table && n.Chain == chain)
                return true;
        return false;
    }

    private static bool Contains(IReadOnlyList<IptablesChain> chains, IptablesChain chain)
    {
        foreach (IptablesChain c in chains)
            if (c.Table == chain.Table && c.Name == chain.Name)
                return true;
        return false;
    }

    private static bool JumpsToMapt(string spec) => TargetOf(spec).StartsWith(IptablesRuleset.ChainPrefix, StringComparison.Ordinal);

    /// <summary>The chain a rule jumps or goes to ("-j NAME", "-g NAME"), or "".</summary>
    private static string TargetOf(string spec)
    {
        string[] words = spec.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i + 1 < words.Length; i++)
            if (words[i] is "-j" or "-g" or "--jump" or "--goto")
                return words[i + 1];
        return "";
    }
}
