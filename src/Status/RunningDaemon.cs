using System;
using System.Collections.Generic;
using Mapt.Platform;

namespace Mapt.Status;

/// <summary>Whether the daemon a state file names is alive (pids are reused after a crash and a reboot).</summary>
public static class RunningDaemon
{
    /// <summary>The state file's lines, or null when there is none.</summary>
    public static List<StatusLine>? ReadState(string runDir)
    {
        string? text = AtomicFile.Read(StateFile.PathIn(runDir));
        return text is null ? null : StateFile.Parse(text);
    }

    public static string PidOf(List<StatusLine> state) => StateFile.Value(state, Tr181View.Root + "X_MAPT_Pid") ?? "";

    /// <summary>The pid is alive and its command line is mapt's.</summary>
    public static bool IsAlive(string pid)
    {
        if (pid.Length == 0 || pid == "0")
            return false;
        string? cmdline = AtomicFile.Read("/proc/" + pid + "/cmdline");
        return cmdline is not null && cmdline.Contains("mapt", StringComparison.Ordinal);
    }
}
