using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Mapt.Provisioning;

/// <summary>
/// iptables-restore text, meant for ONE <c>iptables-restore --noflush --wait</c> per change: each
/// table's block is committed atomically, so a change never leaves a moment where traffic
/// through the MAP device goes un-NATed.
/// <list type="bullet">
/// <item>Setup declares mapt's chains (":NAME - [0:0]" creates a chain, or with --noflush
/// empties an existing one: measured on both backends), fills them, removes every installed
/// jump into them and inserts the wanted jumps at their stated positions, and removes mapt
/// chains the new ruleset no longer has. Applying the same ruleset twice, or a new one over an
/// old one, therefore gives exactly the new ruleset, in one commit per table.</item>
/// <item>Teardown deletes the installed jumps, then flushes and deletes mapt's chains.</item>
/// </list>
/// Both take what is installed (read with iptables-save) so that they never name a rule that
/// is not there: a restore fails as a whole on one bad line.
/// </summary>
public static class IptablesScript
{
    public static string Setup(IptablesRuleset wanted, IptablesState installed)
    {
        var text = new StringBuilder();
        foreach (string table in IptablesRuleset.TableOrder)
        {
            bool any = false;
            foreach (IptablesChain chain in wanted.Chains)
                any |= chain.Table == table;
            foreach (IptablesChain chain in installed.Chains)
                any |= chain.Table == table;
            foreach (IptablesJump jump in installed.Jumps)
                any |= jump.Table == table;
            if (!any)
                continue;
            text.Append('*').Append(table).Append('\n');
            foreach (IptablesChain chain in wanted.Chains)
                if (chain.Table == table)
                    text.Append(':').Append(chain.Name).Append(" - [0:0]\n");
            foreach (IptablesChain chain in wanted.Chains)
                if (chain.Table == table)
                    foreach (string rule in chain.Rules)
                        text.Append("-A ").Append(chain.Name).Append(' ').Append(rule).Append('\n');
            foreach (IptablesJump jump in installed.Jumps)
                if (jump.Table == table)
                    text.Append("-D ").Append(jump.Chain).Append(' ').Append(jump.RuleSpec).Append('\n');
            foreach (IptablesJump jump in wanted.Jumps)
                if (jump.Table == table)
                    AppendJump(text, jump);
            foreach (IptablesChain chain in installed.Chains)
                if (chain.Table == table && !Has(wanted.Chains, chain))
                    text.Append("-F ").Append(chain.Name).Append("\n-X ").Append(chain.Name).Append('\n');
            text.Append("COMMIT\n");
        }
        return text.ToString();
    }

    /// <summary>Removes what is installed; "" when nothing of mapt is there (nothing to run).</summary>
    public static string Teardown(IptablesState installed)
    {
        var text = new StringBuilder();
        foreach (string table in IptablesRuleset.TableOrder)
        {
            var block = new StringBuilder();
            foreach (IptablesJump jump in installed.Jumps)
                if (jump.Table == table)
                    block.Append("-D ").Append(jump.Chain).Append(' ').Append(jump.RuleSpec).Append('\n');
            foreach (IptablesChain chain in installed.Chains)
                if (chain.Table == table)
                    block.Append("-F ").Append(chain.Name).Append('\n');
            foreach (IptablesChain chain in installed.Chains)
                if (chain.Table == table)
                    block.Append("-X ").Append(chain.Name).Append('\n');
            if (block.Length > 0)
                text.Append('*').Append(table).Append('\n').Append(block).Append("COMMIT\n");
        }
        return text.ToString();
    }

    /// <summary>
    /// The same rules as one iptables command each (chains created, filled, jumps added): what
    /// the benchmark runs as the per-command baseline. Lines are argument lists without the
    /// program name.
    /// </summary>
    public static List<string> AsCommands(IptablesRuleset ruleset)
    {
        var lines = new List<string>();
        foreach (IptablesChain chain in ruleset.Chains)
            lines.Add("-t " + chain.Table + " -N " + chain.Name);
        foreach (IptablesChain chain in ruleset.Chains)
            foreach (string rule in chain.Rules)
                lines.Add("-t " + chain.Table + " -A " + chain.Name + " " + rule);
        foreach (IptablesJump jump in ruleset.Jumps)
            lines.Add("-t " + jump.Table + (jump.Position == 0 ? " -A " + jump.Chain : " -I " + jump.Chain + " " + jump.Position.ToString(CultureInfo.InvariantCulture)) + " " + jump.RuleSpec);
        return lines;
    }

    private static void AppendJump(StringBuilder text, IptablesJump jump)
    {
        if (jump.Position == 0)
            text.Append("-A ").Append(jump.Chain);
        else
            text.Append("-I ").Append(jump.Chain).Append(' ').Append(jump.Position.ToString(CultureInfo.InvariantCulture));
        text.Append(' ').Append(jump.RuleSpec).Append('\n');
    }

    private static bool Has(IReadOnlyList<IptablesChain> chains, IptablesChain chain)
    {
        foreach (IptablesChain c in chains)
            if (c.Table == chain.Table && c.Name == chain.Name)
                return true;
        return false;
    }
}
