using System;
using System.Threading;

namespace Mapt.Platform;

/// <summary>
/// MAPT_TEST_CRASH=segv|abort|bus makes the process die the way a native bug would, so that
/// tests can prove the crash line reaches the log; =nullref proves the handler chains to the
/// runtime's (a managed NullReferenceException must still be catchable). Test builds only
/// (<see cref="EnvironmentSwitches.TestCrash"/>): in a release build this is never reached.
/// </summary>
internal static class CrashTestHook
{
    public static void RunIfRequested()
    {
        string? kind = EnvironmentSwitches.TestCrash;
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

    // Null, but from a value only known at run time, so the compiler cannot prove the
    // dereference above faults.
    private static object? s_nothing = Environment.ProcessId < 0 ? new object() : null;
}
