using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Mapt.Provisioning;
using Microsoft.Extensions.Logging;

namespace Mapt.Apply;

/// <summary>
/// Applies restore texts with ONE `iptables-restore --noflush --wait` (or ip6tables-restore) per
/// change, so each change commits atomically per table. What is installed is read first, one
/// `iptables-save -t TABLE` per table mapt uses (a gateway's whole ruleset is not mapt's
/// business, and can be megabytes), so setup replaces an older ruleset in the same commit and
/// teardown removes exactly what is there (twice is harmless). A read that did not come back
/// whole is a failure, never a smaller truth.
/// </summary>
public sealed class IptablesApplier
{
    /// <summary>The largest `iptables-save -t TABLE` output read (a gateway's table of a few hundred thousand rules).</summary>
    public const int MaxSaveBytes = 64 * 1024 * 1024;

    private const int FirstReadBytes = 1024 * 1024;

    /// <summary>The tables mapt's rules live in, per family (IptablesRules).</summary>
    private static readonly string[] Tables4 = { "mangle", "nat", "filter" };
    private static readonly string[] Tables6 = { "filter" };

    private readonly IptablesTools _tools;
    private readonly ILogger _logger;
    private readonly int _timeoutMs;

    public IptablesApplier(IptablesTools tools, ILogger logger, int timeoutMs = 15000)
    {
        _tools = tools;
        _logger = logger;
        _timeoutMs = timeoutMs;
    }

    public IptablesTools Tools => _tools;

    /// <summary>What of mapt is installed now in the tables it uses.</summary>
    public IptablesState Read(IpFamily family) => Read(new[] { family })[family];

    /// <summary>
    /// What of mapt is installed in each of <paramref name="families"/>: one `iptables-save -t
    /// TABLE` per table, all started side by side (each is mostly a process start; one after
    /// the other, the four of a check were half of a restart's adoption time).
    /// </summary>
    public Dictionary<IpFamily, IptablesState> Read(IReadOnlyList<IpFamily> families)
    {
        var reads = new List<(IpFamily Family, string Table)>();
        foreach (IpFamily family in families)
            foreach (string table in family == IpFamily.Ipv4 ? Tables4 : Tables6)
                reads.Add((family, table));
        var requests = new ChildRequest[reads.Count];
        for (int i = 0; i < reads.Count; i++)
            requests[i] = SaveRequest(reads[i].Family, reads[i].Table, FirstReadBytes);
        ChildResult[] results = ChildProcess.RunAll(requests, _timeoutMs);
        var texts = new Dictionary<IpFamily, StringBuilder>();
        for (int i = 0; i < reads.Count; i++)
        {
            (IpFamily family, string table) = reads[i];
            ChildResult result = results[i];
            // A table bigger than the first buffer is read again, alone, with room for all of it.
            if (result.Succeeded && result.StdoutTruncated)
                result = ReadAgain(family, table, result);
            if (!texts.TryGetValue(family, out StringBuilder? text))
                texts[family] = text = new StringBuilder();
            text.Append(SaveText(family, table, result));
        }
        var states = new Dictionary<IpFamily, IptablesState>();
        foreach (KeyValuePair<IpFamily, StringBuilder> text in texts)
            states[text.Key] = IptablesState.Parse(text.Value.ToString());
        return states;
    }

    private ChildRequest SaveRequest(IpFamily family, string table, int capacity)
        => new(new[] { _tools.Save(family), "-t", table }, "", capacity);

    private ChildResult ReadAgain(IpFamily family, string table, ChildResult first)
    {
        if (first.StdoutLength > MaxSaveBytes)
            throw Truncated(family, table, MaxSaveBytes);
        return ChildProcess.RunAll(new[] { SaveRequest(family, table, (int)first.StdoutLength + 64 * 1024) }, _timeoutMs)[0];
    }

    /// <summary>
    /// One table's listing from its iptables-save result: the text, or "" for a table the kernel
    /// has not set up; an <see cref="ApplyException"/> when the program failed or its output
    /// did not come back whole.
    /// </summary>
    private string SaveText(IpFamily family, string table, ChildResult result)
    {
        // A table the kernel has not set up (its module not loaded yet) holds nothing of mapt's.
        if (!result.Succeeded && result.ExitCode == 1 && result.Stderr.Contains("does not exist", System.StringComparison.Ordinal))
            return "";
        if (!result.Succeeded)
            throw new ApplyException($"{_tools.Save(family)} -t {table} failed ({result.Describe()}): {result.Stderr.Trim()}");
        if (result.StdoutTruncated)
            throw Truncated(family, table, (int)result.StdoutKept);
        return result.Stdout;
    }

    private ApplyException Truncated(IpFamily family, string table, int capacity)
        => new($"{_tools.Save(family)} -t {table}: the table's listing did not come back whole (more than {capacity.ToString(CultureInfo.InvariantCulture)} bytes); "
            + "nothing was changed, since removing or adding mapt's rules from a partial listing could leave duplicates behind");

    /// <summary>Installs <paramref name="ruleset"/>, replacing whatever of mapt is there, in one restore.</summary>
    public void Setup(IptablesRuleset ruleset) => Setup(ruleset, Read(ruleset.Family));

    /// <summary>The same over <paramref name="installed"/>, read just before (with the other family's tables, side by side).</summary>
    public void Setup(IptablesRuleset ruleset, IptablesState installed)
        => Restore(ruleset.Family, IptablesScript.Setup(ruleset, installed));

    /// <summary>Removes every mapt chain and jump of the family; nothing when none is installed.</summary>
    public void Teardown(IpFamily family) => Remove(family, Read(family));

    /// <summary>Removes the named chains and the jumps into them, as installed now (others of mapt's are left).</summary>
    public void Remove(IpFamily family, IReadOnlyList<IptablesChainName> chains) => Remove(family, Read(family).Only(chains));

    private void Remove(IpFamily family, IptablesState installed)
    {
        string text = IptablesScript.Teardown(installed);
        if (text.Length == 0)
        {
            ApplyLog.NothingInstalled(_logger, family == IpFamily.Ipv4 ? "iptables" : "ip6tables");
            return;
        }
        Restore(family, text);
    }

    /// <summary>One restore run; throws <see cref="ApplyException"/> with the program's stderr on failure.</summary>
    public void Restore(IpFamily family, string text)
    {
        string program = _tools.Restore(family);
        long start = Stopwatch.GetTimestamp();
        ChildResult result = ChildProcess.Run(new[] { program, "--noflush", "--wait" }, text, _timeoutMs);
        long ms = (Stopwatch.GetTimestamp() - start) * 1000 / Stopwatch.Frequency;
        if (!result.Succeeded)
        {
            string stderr = result.Stderr.Trim();
            ApplyLog.RestoreFailed(_logger, program, result.Describe(), stderr);
            throw new ApplyException($"{program} --noflush failed ({result.Describe()}): {stderr}");
        }
        int lines = 0;
        foreach (char c in text)
            if (c == '\n')
                lines++;
        ApplyLog.RestoreApplied(_logger, program, lines, ms);
    }
}
