using System;
using System.Collections.Generic;
using CommandLine;
using Mapt.Platform;
using Mapt.Status;

namespace Mapt.Cli;

[Verb("status", HelpText = "The TR-181 Device.MAP. view of the running daemon.")]
internal sealed class StatusOptions : VerbOptions
{
    [Option("run-dir", MetaValue = "DIR", HelpText = "The daemon's runtime directory.")]
    public string? RunDir { get; set; }

    [Option("json", HelpText = "Print one JSON object instead of text.")]
    public bool Json { get; set; }
}

internal static class StatusVerb
{
    public const string DefaultRunDir = "/run/mapt";

    public static int Execute(StatusOptions options)
    {
        string runDir = options.RunDir ?? DefaultRunDir;
        string path = StateFile.PathIn(runDir);
        DaemonView? daemon = RunningDaemon.ReadState(runDir);
        if (daemon is null)
        {
            Console.Error.WriteLine($"mapt status: no daemon is running (no state file {path}; is 'mapt run' started with --run-dir {runDir}?)");
            return ExitCodes.StatusNotRunning;
        }
        string pid = RunningDaemon.PidOf(daemon);
        if (!RunningDaemon.IsAlive(pid))
        {
            string state = RunningDaemon.StateOf(daemon);
            Console.Error.WriteLine($"mapt status: no daemon is running: {path} names pid {pid}, which is gone (its last state was {state}); 'mapt run' will undo its journal on start, 'mapt teardown' does it now");
            return ExitCodes.StatusNotRunning;
        }
        string? counters = AtomicFile.Read(StatusReport.CountersFile(daemon));
        List<StatusLine> report = StatusReport.Build(daemon, counters, EventLoop.MonotonicMs);
        Console.Out.Write(options.Json ? StatusReport.Json(report) : StatusReport.Text(report));
        return ExitCodes.Success;
    }
}
