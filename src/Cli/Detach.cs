using System;
using System.Collections.Generic;
using System.Threading;
using Mapt.Apply;
using Mapt.Platform;

namespace Mapt.Cli;

/// <summary>
/// --daemon: the same command line is started again in a new session (setsid, in the
/// background of a shell that exits at once) with its stdio on /dev/null, and this process
/// returns once the child wrote its pid file (or at once without --pidfile). No fork() inside
/// a .NET process: the runtime's threads would not follow. Not `setsid -f`: busybox's setsid
/// (the gateway images') has no -f; a background job is never a process-group leader, so
/// every setsid gets its new session without forking.
/// </summary>
internal static class Detach
{
    public const string ChildVariable = "MAPT_DETACHED";

    public static int Spawn(string? pidFile)
    {
        string[] args = Environment.GetCommandLineArgs();
        var argv = new List<string> { "/bin/sh", "-c", "MAPT_DETACHED=1 setsid \"$0\" \"$@\" </dev/null >/dev/null 2>&1 &", Environment.ProcessPath ?? "/proc/self/exe" };
        for (int i = 1; i < args.Length; i++)
            argv.Add(args[i]);
        if (pidFile is not null)
            AtomicFile.Delete(pidFile, durable: false);
        ChildResult r = ChildProcess.Run(argv, "", 10_000);
        if (!r.Succeeded)
        {
            Console.Error.WriteLine("mapt run --daemon: could not detach (" + r.Describe() + "): " + r.Stderr.Trim());
            return ExitCodes.Failure;
        }
        if (pidFile is null)
            return ExitCodes.Success;
        for (int i = 0; i < 100; i++)
        {
            if (AtomicFile.Exists(pidFile))
                return ExitCodes.Success;
            Thread.Sleep(50);
        }
        Console.Error.WriteLine("mapt run --daemon: the daemon did not write " + pidFile + " within 5 s; see 'mapt log'");
        return ExitCodes.Failure;
    }
}
