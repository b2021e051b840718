using System;
using System.Collections.Generic;
using CommandLine;
using Mapt.Apply;
using Mapt.Netlink;
using Mapt.Platform;
using Mapt.Status;
using Mapt.Wan;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mapt.Cli;

[Verb("teardown", HelpText = "Undo everything the journal on flash says mapt applied (init scripts' stop action).")]
internal sealed class TeardownOptions : VerbOptions
{
    [Option("flash-dir", MetaValue = "DIR", HelpText = "Where the journal is kept.")]
    public string? FlashDir { get; set; }

    [Option("run-dir", MetaValue = "DIR", HelpText = "The daemon's runtime directory.")]
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
        if (AtomicFile.Exists(config.FlashDir) && SafeDirectory.Problem(config.FlashDir, "flash directory") is string unsafeDir)
        {
            Console.Error.WriteLine("mapt teardown: " + unsafeDir + "; nothing was changed");
            return ExitCodes.Failure;
        }
        List<StatusLine>? state = RunningDaemon.ReadState(config.RunDir);
        string running = state is null ? "" : RunningDaemon.PidOf(state);
        if (RunningDaemon.IsAlive(running))
        {
            Console.Error.WriteLine($"mapt teardown: mapt is running (pid {running}); stop it with SIGTERM (it tears down itself), nothing was changed");
            return ExitCodes.Failure;
        }
        var store = new JournalStore(config.FlashDir);
        Journal? journal = store.Read(out string? problem);
        if (journal is null)
        {
            Console.Out.WriteLine($"mapt teardown: no journal in {config.FlashDir}: nothing of mapt is applied");
            return ExitCodes.Success;
        }
        // The state file can be gone while a daemon still runs (run dir wiped, another
        // --run-dir): the lock on the journal's directory is the guard that cannot be missed.
        using InstanceLock? instance = RunVerb.TakeInstanceLock(config.FlashDir, "teardown");
        if (instance is null)
            return ExitCodes.Failure;
        if (problem is not null)
            Console.Error.WriteLine($"mapt teardown: {store.Path} is damaged ({problem}); undoing the {journal.Entries.Count} change(s) it still lists");
        using RtnlClient rtnl = RtnlClient.Open();
        var iptables = new IptablesApplier(IptablesTools.ByName(config.Iptables) ?? IptablesTools.Default, NullLogger.Instance);
        JournalReplay.Outcome o = JournalReplay.Run(journal, new SystemUndoer(rtnl, iptables, config.Nat46Control));
        foreach (string f in o.Failures)
            Console.Error.WriteLine("mapt teardown: " + f);
        store.Delete();
        Console.Out.WriteLine($"mapt teardown: {o.Undone} change(s) undone, {o.Failures.Count} failed (journal of pid {journal.Pid}, {journal.MapContent}); journal removed");
        return o.Failures.Count == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

}
