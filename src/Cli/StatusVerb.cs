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
        string? text = AtomicFile.Read(path);
        if (text is null)
        {
            Console.Error.WriteLine($"mapt status: no daemon is running (no state file {path}; is 'mapt run' started with --run-dir {runDir}?)");
            return ExitCodes.StatusNotRunning;
        }
        List<StatusLine> lines = StateFile.Parse(text);
        string pid = StateFile.Value(lines, Tr181View.Root + "X_MAPT_Pid") ?? "";
        if (!IsMapt(pid))
        {
            string state = StateFile.Value(lines, Tr181View.Root + "X_MAPT_State") ?? "unknown";
            Console.Error.WriteLine($"mapt status: no daemon is running: {path} names pid {pid}, which is gone (its last state was {state}); 'mapt run' will undo its journal on start, 'mapt teardown' does it now");
            return ExitCodes.StatusNotRunning;
        }
        string? netDev = AtomicFile.Read("/proc/self/net/dev");
        List<StatusLine> report = StatusReport.Build(lines, netDev, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Console.Out.Write(options.Json ? StatusReport.Json(report) : StatusReport.Text(report));
        return ExitCodes.Success;
    }

    /// <summary>The pid is alive and is mapt (pids are reused after a crash and a reboot).</summary>
    private static bool IsMapt(string pid)
    {
        if (pid.Length == 0 || pid == "0")
            return false;
        string? cmdline = AtomicFile.Read("/proc/" + pid + "/cmdline");
        return cmdline is not null && cmdline.Contains("mapt", StringComparison.Ordinal);
    }
}
