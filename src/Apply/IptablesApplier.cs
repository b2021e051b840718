using System.Diagnostics;
using Mapt.Provisioning;
using Microsoft.Extensions.Logging;

namespace Mapt.Apply;

/// <summary>
/// Applies restore texts with ONE `iptables-restore --noflush --wait` (or ip6tables-restore) per
/// change, so each change commits atomically per table. What is installed is read with
/// iptables-save first, so setup replaces an older ruleset in the same commit and teardown
/// removes exactly what is there (twice is harmless).
/// </summary>
public sealed class IptablesApplier
{
    private readonly IptablesTools _tools;
    private readonly ILogger _logger;
    private readonly int _timeoutMs;

    public IptablesApplier(IptablesTools tools, ILogger logger, int timeoutMs = 15000)
    {
        _tools = tools;
        _logger = logger;
        _timeoutMs = timeoutMs;
    }

    /// <summary>What of mapt is installed now.</summary>
    public IptablesState Read(IpFamily family)
    {
        string save = family == IpFamily.Ipv4 ? _tools.Save4 : _tools.Save6;
        ChildResult result = ChildProcess.Run(new[] { save }, "", _timeoutMs);
        if (!result.Succeeded)
            throw new ApplyException($"{save} failed ({result.Describe()}): {result.Stderr.Trim()}");
        return IptablesState.Parse(result.Stdout);
    }

    /// <summary>Installs <paramref name="ruleset"/>, replacing whatever of mapt is there, in one restore.</summary>
    public void Setup(IptablesRuleset ruleset)
    {
        IptablesState installed = Read(ruleset.Family);
        Restore(ruleset.Family, IptablesScript.Setup(ruleset, installed));
    }

    /// <summary>Removes every mapt chain and jump of the family; nothing when none is installed.</summary>
    public void Teardown(IpFamily family)
    {
        string text = IptablesScript.Teardown(Read(family));
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
        string program = family == IpFamily.Ipv4 ? _tools.Restore4 : _tools.Restore6;
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
