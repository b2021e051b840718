using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Threading;
using Mapt.Platform;

namespace Mapt.Cli;

/// <summary>
/// --daemon: the same command line without --daemon is started again as the leader of a new
/// session, stdio on /dev/null (native-shim/spawn.c, posix_spawn with POSIX_SPAWN_SETSID: no
/// setsid program needed, which BusyBox images lack in the util-linux form). No fork() inside
/// a .NET process: the runtime's threads would not follow. The daemon writes the pid file once
/// it holds the instance lock; this process returns 0 when the file names it, or 1 with the
/// daemon's exit status when it ended first (a second instance that lost the race for the
/// lock, a flash write error).
/// </summary>
internal static class Detach
{
    public const string Flag = "--daemon";
    private static readonly TimeSpan PidFileWait = TimeSpan.FromSeconds(10);

    public static unsafe int Spawn(string? pidFile)
    {
        var argv = new List<string>();
        string[] args = Environment.GetCommandLineArgs();
        foreach (string a in args)
            if (a != Flag)
                argv.Add(a);
        if (pidFile is not null)
            AtomicFile.Delete(pidFile, durable: false);

        int pid, rc, errno;
        using (var native = new CStringArray(argv))
        fixed (IntPtr* a = native.Pointers)
        {
            // This binary by its real path (readlink /proc/self/exe): the path names the process
            // (comm), which pidof and init scripts look for. Its environment is this one's (it
            // is mapt, not a helper).
            rc = NativeShim.Detach(Environment.ProcessPath ?? "/proc/self/exe", (byte**)a, null, &pid);
            errno = Errno.Last;
        }
        if (rc != 0)
        {
            Console.Error.WriteLine("mapt run --daemon: could not start the daemon: " + Errno.Name(errno));
            return ExitCodes.Failure;
        }
        if (pidFile is null)
            return ExitCodes.Success;

        string expected = pid.ToString(CultureInfo.InvariantCulture);
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < PidFileWait)
        {
            if (AtomicFile.Read(pidFile)?.Trim() == expected)
                return ExitCodes.Success;
            int status;
            if (NativeShim.ChildEnded(pid, &status) == 1)
            {
                string how = Apply.ChildResult.FromWaitStatus(status, false, "", "").Describe();
                Console.Error.WriteLine($"mapt run --daemon: the daemon (pid {expected}) ended ({how}) before writing {pidFile}; see 'mapt log'");
                return ExitCodes.Failure;
            }
            Thread.Sleep(20);
        }
        Console.Error.WriteLine($"mapt run --daemon: the daemon (pid {expected}) did not write {pidFile} within {PidFileWait.TotalSeconds} s; see 'mapt log'");
        return ExitCodes.Failure;
    }
}
