using System;
using System.Threading;
using Mapt.Platform;
using Microsoft.Extensions.Logging;

namespace Mapt.Logging;

/// <summary>
/// Test-only, for the published-binary tests (tests/Logging): MAPT_TEST_LOG=DIR starts
/// logging to the flash ring in DIR (boot marker), logs MAPT_TEST_LOG_LINES information lines
/// (event 898, default none), one error line (event 899, text from MAPT_TEST_LOG_TEXT), then
/// - with MAPT_TEST_CRASH set, dies the way that hook says (the crash line lands in the segment);
/// - with MAPT_TEST_LOG_WAIT=1, prints "logged" and waits to be killed (SIGKILL test);
/// - otherwise stops cleanly (the stop line) and exits 0.
/// Test builds only (<see cref="EnvironmentSwitches"/>): in a release build this is never reached.
/// </summary>
internal static class LoggingTestHook
{
    public static bool Requested => EnvironmentSwitches.TestLog is { Length: > 0 };

    public static int Run()
    {
        // Not rate limited: filling the ring with one event is what the hook is asked to do.
        var options = new LoggingOptions { FlashDir = EnvironmentSwitches.TestLog, RateLimited = false };
        MaptLoggerFactory factory = MaptLogging.CreateFactory(options);
        ILogger log = factory.CreateLogger("Mapt.Logging.TestHook");
        int lines = EnvironmentSwitches.TestLogLines;
        for (int i = 0; i < lines; i++)
            LoggingLog.TestHookFlood(log, i);
        LoggingLog.TestHookLine(log, EnvironmentSwitches.TestLogText ?? "-");
        CrashTestHook.RunIfRequested();
        if (EnvironmentSwitches.TestLogWait)
        {
            Console.Out.WriteLine("logged");
            Console.Out.Flush();
            Thread.Sleep(Timeout.Infinite);
        }
        factory.Dispose();
        return 0;
    }
}
