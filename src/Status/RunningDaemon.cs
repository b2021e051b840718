using System;
using Mapt.Platform;

namespace Mapt.Status;

/// <summary>Whether the daemon a state file names is alive (pids are reused after a crash and a reboot).</summary>
public static class RunningDaemon
{
    /// <summary>The state file's view, or null when there is none.</summary>
    public static DaemonView? ReadState(string runDir)
    {
        string? text = AtomicFile.Read(StateFile.PathIn(runDir));
        return text is null ? null : StateFile.Parse(text);
    }

    public static string PidOf(DaemonView state) => state.Value(state.Vendor(Tr181View.Root, "Pid")) ?? "";

    public static string StateOf(DaemonView state) => state.Value(state.Vendor(Tr181View.Root, "State")) ?? "unknown";

    /// <summary>The pid is alive and its command line is mapt's.</summary>
    public static bool IsAlive(string pid)
    {
        if (pid.Length == 0 || pid == "0")
            return false;
        string? cmdline = AtomicFile.Read("/proc/" + pid + "/cmdline");
        return cmdline is not null && cmdline.Contains("mapt", StringComparison.Ordinal);
    }
}
