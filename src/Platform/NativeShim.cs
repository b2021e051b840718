using System.Runtime.InteropServices;

namespace Mapt.Platform;

/// <summary>
/// The C shim linked into the binary (native-shim/). In the AOT binary these are direct calls
/// into the static archive; JIT-hosted tests load libmaptshim.so instead.
/// </summary>
internal static partial class NativeShim
{
    private const string Library = "libmaptshim";

    /// <summary>Installs the fatal-signal handler (chaining to the runtime's). 0 on success.</summary>
    [LibraryImport(Library, EntryPoint = "mapt_crash_install")]
    public static partial int CrashInstall();

    /// <summary>Where the handler writes its last line; fd -1 for stderr only.</summary>
    [LibraryImport(Library, EntryPoint = "mapt_crash_set_target", StringMarshalling = StringMarshalling.Utf8)]
    public static partial void CrashSetTarget(int fd, string bootId);

    /// <summary>Test hook: 1 SIGSEGV (null store), 2 abort(), other SIGBUS.</summary>
    [LibraryImport(Library, EntryPoint = "mapt_crash_test")]
    public static partial void CrashTest(int kind);

    /// <summary>The read end of the signal pipe (one byte per signal), or -1 (errno set).</summary>
    [LibraryImport(Library, EntryPoint = "mapt_signals_open", SetLastError = true)]
    public static partial int SignalsOpen();

    /// <summary>Routes a signal into the pipe. 0 on success.</summary>
    [LibraryImport(Library, EntryPoint = "mapt_signals_watch", SetLastError = true)]
    public static partial int SignalsWatch(int signal);

    /// <summary>Gives a signal back its default action.</summary>
    [LibraryImport(Library, EntryPoint = "mapt_signals_default")]
    public static partial int SignalsDefault(int signal);

    /// <summary>
    /// Runs <paramref name="count"/> programs side by side (each looked up in <paramref name="search"/>,
    /// colon-separated) to completion with the environment <paramref name="envp"/>, each fed its
    /// input and its stdout and stderr captured (up to the buffers' sizes); those still running
    /// at the timeout are killed. Each job's Result: 0 ended, -1 not started (Errno), -2 killed.
    /// Returns -1 only for a batch it cannot take (more than 8 jobs).
    /// </summary>
    [LibraryImport(Library, EntryPoint = "mapt_run_all", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static unsafe partial int RunAll(NativeJob* jobs, int count, byte** envp, string search, int timeoutMs);

    /// <summary>Starts <paramref name="path"/> in a new session, stdio on /dev/null: 0 and its pid, or -1 (errno set).</summary>
    [LibraryImport(Library, EntryPoint = "mapt_detach", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static unsafe partial int Detach(string path, byte** argv, byte** envp, int* pid);

    /// <summary>1 when child <paramref name="pid"/> has ended (its wait status set), 0 while it runs, -1 (errno set).</summary>
    [LibraryImport(Library, EntryPoint = "mapt_child_ended", SetLastError = true)]
    public static unsafe partial int ChildEnded(int pid, int* status);

    /// <summary>The calling thread's capability sets, no_new_privs and euid. 0, or -1 (errno set).</summary>
    [LibraryImport(Library, EntryPoint = "mapt_privileges_now", SetLastError = true)]
    public static unsafe partial int PrivilegesNow(PrivilegeSets* sets);

    /// <summary>What native-shim/start.c found and did before main().</summary>
    [LibraryImport(Library, EntryPoint = "mapt_start_report")]
    public static unsafe partial void StartReport(StartReport* report);

    /// <summary>The <paramref name="index"/>-th capability mapt needs: 0 with its number, name and reason; -1 past the last.</summary>
    [LibraryImport(Library, EntryPoint = "mapt_capability_needed")]
    public static unsafe partial int CapabilityNeeded(int index, int* number, byte** name, byte** why);

    /// <summary>
    /// Whether a directory is safe for root's files (native-shim/dirs.c): 0, a problem code with
    /// the directory at fault, its owner and mode; -1 (errno set) when it cannot be examined.
    /// </summary>
    [LibraryImport(Library, EntryPoint = "mapt_directory_check", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static unsafe partial int DirectoryCheck(string path, byte* culprit, nuint capacity, uint* uid, uint* mode);

    /// <summary>
    /// Takes the write lock on a file (created if missing): the holding fd; -2 when another
    /// process holds it (its pid in <paramref name="holder"/>, 0 if unknown); -1 (errno set).
    /// </summary>
    [LibraryImport(Library, EntryPoint = "mapt_lock_take", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static unsafe partial int LockTake(string path, int* holder);
}
