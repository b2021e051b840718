using System;
using System.Collections.Generic;
using CommandLine;
using Mapt.Apply;
using Mapt.Netlink;
using Mapt.Platform;
using Mapt.Provisioning;
using Mapt.Status;
using Mapt.Wan;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mapt.Cli;

[Verb("teardown", HelpText = "Undo everything the journal in the run directory says mapt applied (init scripts' stop action).")]
internal sealed class TeardownOptions : VerbOptions
{
    [Option("flash-dir", MetaValue = "DIR", HelpText = "Persistent directory (logs, DUID, lease).")]
    public string? FlashDir { get; set; }

    [Option("run-dir", MetaValue = "DIR", HelpText = "The daemon's runtime directory: journal, lock, state file.")]
    public string? RunDir { get; set; }

    [Option("config", MetaValue = "FILE", HelpText = "Configuration file (key = value).")]
    public string? Config { get; set; }
}

internal static class TeardownVerb
{
    public static int Execute(TeardownOptions options)
    {
        WanConfig config;
        try
        {
            // The WAN name is not needed to undo a journal: it names everything itself.
            config = RunConfig.LoadForTeardown(options.Config, options.FlashDir, options.RunDir);
        }
        catch (ConfigError e)
        {
            Console.Error.WriteLine("mapt teardown: " + e.Message + "; nothing was changed");
            return ExitCodes.Usage;
        }
        // The journal is run as root, with the capabilities it needs or not at all, and not
        // from a directory someone else could have written it to.
        if (RunVerb.Refuse("teardown") is int refused)
            return refused;
        if (AtomicFile.Exists(config.RunDir) && SafeDirectory.Problem(config.RunDir, "run directory") is string unsafeDir)
        {
            Console.Error.WriteLine("mapt teardown: " + unsafeDir + "; nothing was changed");
            return ExitCodes.Failure;
        }
        DaemonView? state = RunningDaemon.ReadState(config.RunDir);
        string running = state is null ? "" : RunningDaemon.PidOf(state);
        if (RunningDaemon.IsAlive(running))
        {
            Console.Error.WriteLine($"mapt teardown: mapt is running (pid {running}); stop it with SIGTERM (it tears down itself), nothing was changed");
            return ExitCodes.Failure;
        }
        // The lock on the run directory is the guard that cannot be missed: the state file can
        // be gone while a daemon still runs.
        using InstanceLock? instance = RunVerb.TakeInstanceLock(config.RunDir, "teardown");
        if (instance is null)
            return ExitCodes.Failure;
        var store = new JournalStore(config.RunDir);
        Journal? journal = store.Read(out string? problem);
        if (journal is null)
        {
            if (problem is not null)
            {
                Console.Error.WriteLine("mapt teardown: " + problem + "; nothing was changed");
                return ExitCodes.Failure;
            }
            Console.Out.WriteLine($"mapt teardown: no journal in {config.RunDir}: nothing of mapt is applied");
            return ExitCodes.Success;
        }
        if (journal.FormatVersion > Journal.Version)
        {
            Console.Error.WriteLine($"mapt teardown: {store.Path} {problem}; nothing was changed (the mapt that wrote it can undo it)");
            return ExitCodes.Failure;
        }
        if (problem is not null)
            Console.Error.WriteLine($"mapt teardown: {store.Path} is damaged ({problem}); undoing the {journal.Entries.Count} change(s) it still lists");
        using RtnlClient rtnl = RtnlClient.Open();
        // The programs the chains were installed with, as the journal says (the configuration may have changed since).
        var iptables = new IptablesApplier(IptablesTools.ByName(journal.Iptables) ?? IptablesTools.ByName(config.Iptables) ?? IptablesTools.Default, NullLogger.Instance);
        var executor = new PlanExecutor(rtnl, iptables, config.Nat46Control, NullLogger.Instance);
        PlanExecutor.UndoOutcome o = executor.Undo(journal.Entries);
        foreach (string f in o.Failures)
            Console.Error.WriteLine("mapt teardown: " + f);
        store.Delete();
        Console.Out.WriteLine($"mapt teardown: {o.Undone} change(s) undone, {o.Failures.Count} failed (journal of pid {journal.Pid}, {journal.MapContent}); journal removed");
        return o.Failures.Count == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

}
