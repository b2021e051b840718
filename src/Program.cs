using Mapt.Cli;
using Mapt.Logging;
using Mapt.Platform;

namespace Mapt;

internal static class Program
{
    private static int Main(string[] args)
    {
        // First of all, so that a fault anywhere later leaves its line on the console and,
        // once the logger registers its segment, on flash.
        NativeShim.CrashInstall();
        if (LoggingTestHook.Requested)
            return LoggingTestHook.Run();
        CrashTestHook.RunIfRequested();
        return CliApp.Run(args);
    }
}
