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
        List<StatusLine>? lines = RunningDaemon.ReadState(runDir);
        if (lines is null)
        {
            Console.Error.WriteLine($"mapt status: no daemon is running (no state file {path}; is 'mapt run' started with --run-dir {runDir}?)");
            return ExitCodes.StatusNotRunning;
        }
        string pid = RunningDaemon.PidOf(lines);
        if (!RunningDaemon.IsAlive(pid))
        {
            string state = StateFile.Value(lines, Tr181View.Root + "X_MAPT_State") ?? "unknown";
            Console.Error.WriteLine($"mapt status: no daemon is running: {path} names pid {pid}, which is gone (its last state was {state}); 'mapt run' will undo its journal on start, 'mapt teardown' does it now");
            return ExitCodes.StatusNotRunning;
        }
        (string device, bool translates) = StatusReport.CountersOf(lines);
        InterfaceCounters? counters = device.Length == 0 ? null
            : translates ? AtomicFile.Read("/proc/self/net/dev_snmp6/" + device) is { } snmp6 ? InterfaceCounters.ParseSnmp6(snmp6) : null
            : AtomicFile.Read("/proc/self/net/dev") is { } netDev ? InterfaceCounters.Parse(netDev, device) : null;
        List<StatusLine> report = StatusReport.Build(lines, counters, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Console.Out.Write(options.Json ? StatusReport.Json(report) : StatusReport.Text(report));
        return ExitCodes.Success;
    }
}
