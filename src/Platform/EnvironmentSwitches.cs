using System;
using System.Collections.Generic;
using System.Globalization;

namespace Mapt.Platform;

/// <summary>
/// Every environment variable mapt reads, in one place (tests/Platform/EnvironmentSwitchesTests.cs
/// fails when src/ reads one anywhere else). mapt's behaviour comes from its flags and its
/// configuration file; the environment only carries test hooks, and every switch below is
/// test-only.
/// Test-only switches are compiled out of release builds: they are read only in a build made
/// with <c>-p:MaptTestHooks=true</c> (the MAPT_TEST_HOOKS symbol; `./build.sh test` publishes
/// such a build to out/test/RID/mapt beside the release one in out/RID/mapt). In a release build
/// each accessor below is a constant, the compiler drops the read and the name with it, and no
/// environment can change what the binary does: tests/Platform/ReleaseBinaryTests.cs checks
/// that none of the names is left in the release binaries.
/// </summary>
internal static class EnvironmentSwitches
{
    /// <summary>True in a build with test hooks (never in a release build).</summary>
#if MAPT_TEST_HOOKS
    public const bool TestHooks = true;
#else
    public const bool TestHooks = false;
#endif

    public const string DhcpNoDelayName = "MAPT_DHCP_NO_DELAY";
    public const string RetryMsName = "MAPT_RETRY_MS";
    public const string OccupancyMsName = "MAPT_OCCUPANCY_MS";
    public const string CliEchoName = "MAPT_CLI_ECHO";
    public const string TestCrashName = "MAPT_TEST_CRASH";
    public const string TestLogName = "MAPT_TEST_LOG";
    public const string TestLogLinesName = "MAPT_TEST_LOG_LINES";
    public const string TestLogTextName = "MAPT_TEST_LOG_TEXT";
    public const string TestLogWaitName = "MAPT_TEST_LOG_WAIT";
    public const string TestChildPathName = "MAPT_TEST_CHILD_PATH";

    // Each accessor is written "TestHooks ? read : default" with TestHooks a constant: in a release
    // build the compiler keeps the default alone, not even the name's string.

    /// <summary>MAPT_DHCP_NO_DELAY=1: the first Solicit goes out at once, without RFC 8415's random 0-1 s delay.</summary>
    public static bool DhcpNoDelay => TestHooks ? Environment.GetEnvironmentVariable(DhcpNoDelayName) == "1" : false;

    /// <summary>MAPT_RETRY_MS=N: a failed apply is retried after N ms instead of 30 s.</summary>
    public static int? RetryMs => TestHooks ? Number(Environment.GetEnvironmentVariable(RetryMsName)) : null;

    /// <summary>MAPT_OCCUPANCY_MS=N: the port set's occupancy measured every N ms, without the idle back-off.</summary>
    public static int? OccupancyMs => TestHooks ? Number(Environment.GetEnvironmentVariable(OccupancyMsName)) : null;

    /// <summary>MAPT_CLI_ECHO=1: the verb is not run; how the command line bound is printed (CLI binding tests).</summary>
    public static bool CliEcho => TestHooks ? Environment.GetEnvironmentVariable(CliEchoName) == "1" : false;

    /// <summary>MAPT_TEST_CRASH=segv|abort|bus|nullref: die (or throw) the way a native bug would (src/Platform/CrashTestHook.cs).</summary>
    public static string? TestCrash => TestHooks ? Environment.GetEnvironmentVariable(TestCrashName) : null;

    /// <summary>MAPT_TEST_LOG=DIR: no verb; log to the flash ring in DIR and exit (src/Logging/LoggingTestHook.cs).</summary>
    public static string? TestLog => TestHooks ? Environment.GetEnvironmentVariable(TestLogName) : null;

    /// <summary>MAPT_TEST_LOG_LINES=N: with MAPT_TEST_LOG, N information lines first.</summary>
    public static int TestLogLines => TestHooks ? Number(Environment.GetEnvironmentVariable(TestLogLinesName)) ?? 0 : 0;

    /// <summary>MAPT_TEST_LOG_TEXT=TEXT: with MAPT_TEST_LOG, the text of the error line.</summary>
    public static string? TestLogText => TestHooks ? Environment.GetEnvironmentVariable(TestLogTextName) : null;

    /// <summary>MAPT_TEST_LOG_WAIT=1: with MAPT_TEST_LOG, wait to be killed instead of stopping.</summary>
    public static bool TestLogWait => TestHooks ? Environment.GetEnvironmentVariable(TestLogWaitName) == "1" : false;

    /// <summary>MAPT_TEST_CHILD_PATH=DIRS: where helpers are looked up and the PATH they get, instead of the fixed one (a slow iptables-restore in a test).</summary>
    public static string? TestChildPath => TestHooks ? Environment.GetEnvironmentVariable(TestChildPathName) is { Length: > 0 } p ? p : null : null;

    private static int? Number(string? text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : null;

    /// <summary>Every switch: its name, whether it is test-only, what it does (for the tests and README "Security").</summary>
    public static IReadOnlyList<(string Name, bool TestOnly, string Meaning)> All() => new[]
    {
        (DhcpNoDelayName, true, "1: the first Solicit without RFC 8415's random 0-1 s delay"),
        (RetryMsName, true, "N: a failed apply retried after N ms instead of 30 s"),
        (OccupancyMsName, true, "N: the port set's occupancy measured every N ms, without the idle back-off"),
        (CliEchoName, true, "1: print how the command line bound instead of running the verb"),
        (TestCrashName, true, "segv|abort|bus|nullref: die the way a native bug would"),
        (TestLogName, true, "DIR: log to the flash ring in DIR and exit, no verb"),
        (TestLogLinesName, true, "N: with MAPT_TEST_LOG, N information lines"),
        (TestLogTextName, true, "TEXT: with MAPT_TEST_LOG, the error line's text"),
        (TestLogWaitName, true, "1: with MAPT_TEST_LOG, wait to be killed"),
        (TestChildPathName, true, "DIRS: helpers looked up there (and their PATH) instead of /usr/sbin:/usr/bin:/sbin:/bin"),
    };
}
