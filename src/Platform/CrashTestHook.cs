using System;
using System.Threading;

namespace Mapt.Platform;

/// <summary>
/// MAPT_TEST_CRASH=segv|abort|bus makes the process die the way a native bug would, so that
/// tests can prove the crash line reaches the log; =nullref proves the handler chains to the
/// runtime's (a managed NullReferenceException must still be catchable). Unset in production,
/// where this costs one environment lookup.
/// </summary>
internal static class CrashTestHook
{
    public const string Variable = "MAPT_TEST_CRASH";

    public static void RunIfRequested()
    {
        string? kind = Environment.GetEnvironmentVariable(Variable);
        switch (kind)
        {
            case null or "":
                return;
            case "segv":
                NativeShim.CrashTest(1);
                break;
            case "abort":
                NativeShim.CrashTest(2);
                break;
            case "bus":
                NativeShim.CrashTest(3);
                break;
            case "nullref":
                Console.Out.WriteLine(ManagedNullReferenceIsCaught() ? "nullref caught" : "nullref NOT caught");
                break;
        }
    }

    private static bool ManagedNullReferenceIsCaught()
    {
        try
        {
            object? nothing = Volatile.Read(ref s_nothing);
            return nothing!.GetHashCode() == int.MinValue;
        }
        catch (NullReferenceException)
        {
            return true;
        }
    }

    // Assigned only here, so the compiler cannot prove the dereference above faults.
    private static object? s_nothing = Environment.GetEnvironmentVariable("MAPT_TEST_NEVER_SET");
}
