using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Mapt.Provisioning;
using Microsoft.Extensions.Logging;

namespace Mapt.Apply;

/// <summary>
/// Executes nat46 steps: each command in its own write, then the control file is read back and
/// the device's pairs compared with what the step meant (mapt-reference section 4: a write
/// always "succeeds"; errors go only to the kernel log). A difference stops the sequence.
/// </summary>
public sealed class Nat46Configurator
{
    private readonly INat46Control _control;
    private readonly ILogger _logger;

    public Nat46Configurator(INat46Control control, ILogger logger)
    {
        _control = control;
        _logger = logger;
    }

    public void Run(IReadOnlyList<Nat46Step> steps)
    {
        foreach (Nat46Step step in steps)
            Run(step);
    }

    /// <summary>
    /// Brings the device to the state the setup steps end in: nothing is written when it is
    /// already there (re-applying a plan, a new prefix under the same rule); when only the
    /// BMR/DMR pair differs (always the last pair: FMRs are inserted at the head), one `config`
    /// edits it in place, so the device, the routes through it and its counters stay; a device
    /// holding anything else is deleted first, since nat46 cannot remove a pair reliably
    /// (`remove` matches the printed text, cut at 200 characters). Returns whether anything was
    /// written.
    /// </summary>
    public bool Ensure(IReadOnlyList<Nat46Step> setup)
    {
        if (setup.Count == 0)
            return false;
        Nat46Step last = setup[setup.Count - 1];
        string current = Read(last.Command);
        if (Nat46ReadBack.Compare(current, last.Device, last.ExpectedPairs) is null)
        {
            ApplyLog.Nat46AlreadyConfigured(_logger, last.Device, _control.Path);
            return false;
        }
        List<string>? pairs = Nat46ReadBack.PairsOf(current, last.Device);
        if (pairs is not null)
        {
            if (setup.Count > 1 && OnlyLastPairDiffers(pairs, last.ExpectedPairs!))
            {
                ApplyLog.Nat46EditInPlace(_logger, last.Device, _control.Path);
                Run(new Nat46Step(setup[1].Command, last.Device, last.ExpectedPairs));
                return true;
            }
            Run(new Nat46Step(Nat46Commands.Del(last.Device), last.Device, null));
        }
        Run(setup);
        return true;
    }

    private static bool OnlyLastPairDiffers(List<string> actual, IReadOnlyList<Nat46Pair> expected)
    {
        if (actual.Count != expected.Count)
            return false;
        for (int i = 0; i < expected.Count - 1; i++)
            if (!Nat46ReadBack.Matches(expected[i], actual[i]))
                return false;
        return true;
    }

    private string Read(string forCommand)
    {
        try
        {
            return _control.Read();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ApplyLog.Nat46WriteFailed(_logger, forCommand, _control.Path, e.Message);
            throw new ApplyException($"nat46: cannot read {_control.Path}: {e.Message}");
        }
    }

    public void Run(Nat46Step step)
    {
        string readBack;
        try
        {
            _control.Write(step.Command);
            readBack = _control.Read();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ApplyLog.Nat46WriteFailed(_logger, step.Command, _control.Path, e.Message);
            throw new ApplyException($"nat46: cannot write '{step.Command}' to {_control.Path}: {e.Message}");
        }
        string? difference = Nat46ReadBack.Compare(readBack, step.Device, step.ExpectedPairs);
        if (difference is null)
        {
            ApplyLog.Nat46Written(_logger, step.Command, _control.Path);
            return;
        }
        string meant = Meant(step);
        ApplyLog.Nat46Mismatch(_logger, step.Command, _control.Path, difference, meant, readBack);
        throw new ApplyException($"nat46: after '{step.Command}' {difference}; meant: {meant}; read back: {readBack}");
    }

    private static string Meant(Nat46Step step)
    {
        if (step.ExpectedPairs is null)
            return "(device " + step.Device + " gone)";
        var text = new StringBuilder();
        foreach (Nat46Pair pair in step.ExpectedPairs)
            text.Append('[').Append(pair.ReadBackText()).Append(" debug N] ");
        return text.ToString().TrimEnd();
    }
}
