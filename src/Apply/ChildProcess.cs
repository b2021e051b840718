using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text;
using Mapt.Platform;

namespace Mapt.Apply;

/// <summary>
/// Runs a helper program to completion through the native shim (posix_spawn, pipes, poll,
/// deadline). Blocking by design: iptables-restore takes milliseconds, and a change must be
/// known to have taken before the next step.
/// A helper runs as root, so what it gets is fixed here, not inherited: it is looked up in
/// <see cref="SearchPath"/> (not in the starter's PATH, which an init script or an attacker
/// could point at another iptables-restore), and its environment is <see cref="HelperEnvironment"/>
/// alone. Its descriptors are 0, 1 and 2, its signals default (native-shim/spawn.c).
/// </summary>
public static class ChildProcess
{
    /// <summary>Where helpers are looked up, and the PATH they get.</summary>
    public const string SearchPath = "/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>What is kept of each output unless the caller asks for more; the rest is read and counted, not kept.</summary>
    public const int DefaultOutputCapacity = 64 * 1024;

    /// <summary>
    /// The whole environment of a helper: PATH, and LC_ALL=C so the messages mapt quotes in its
    /// log are the untranslated ones a field engineer can search for.
    /// </summary>
    public static IReadOnlyList<string> HelperEnvironment => new[] { "PATH=" + Search, "LC_ALL=C" };

    // Test builds may point the lookup elsewhere (a slow iptables-restore in a test); release builds cannot.
    private static string Search => EnvironmentSwitches.TestChildPath ?? SearchPath;

    /// <summary>
    /// Runs <paramref name="argv"/> to its end or the deadline. Output beyond
    /// <paramref name="outputCapacity"/> is not kept, and <see cref="ChildResult.StdoutTruncated"/>
    /// says so: a caller that parses the output must treat that as a failure, never as the whole.
    /// </summary>
    public static unsafe ChildResult Run(IReadOnlyList<string> argv, string input, int timeoutMs, int outputCapacity = DefaultOutputCapacity)
    {
        if (argv.Count == 0)
            throw new ArgumentException("no program to run", nameof(argv));
        byte[] stdin = Encoding.UTF8.GetBytes(input);
        byte[] stdout = new byte[outputCapacity];
        byte[] stderr = new byte[DefaultOutputCapacity];
        using var args = new CStringArray(argv);
        using var environment = new CStringArray(HelperEnvironment);
        nuint outLength, errLength;
        int status, rc, errno;
        fixed (IntPtr* argp = args.Pointers)
        fixed (IntPtr* envp = environment.Pointers)
        fixed (byte* inBytes = stdin)
        fixed (byte* outBytes = stdout)
        fixed (byte* errBytes = stderr)
        {
            rc = NativeShim.Run((byte**)argp, (byte**)envp, Search, inBytes, (nuint)stdin.Length, timeoutMs,
                outBytes, (nuint)stdout.Length, &outLength, errBytes, (nuint)stderr.Length, &errLength, &status);
            errno = Marshal.GetLastPInvokeError();
        }
        if (rc == -1)
            throw new ApplyException($"cannot start {argv[0]}: {Errno.Name(errno)} (looked up in {Search})");
        string outText = Encoding.UTF8.GetString(stdout, 0, (int)Math.Min(outLength, (nuint)stdout.Length));
        string errText = Encoding.UTF8.GetString(stderr, 0, (int)Math.Min(errLength, (nuint)stderr.Length));
        return ChildResult.FromWaitStatus(status, rc == -2, outText, errText) with
        {
            StdoutLength = (long)outLength,
            StdoutKept = Math.Min((long)outLength, stdout.Length),
        };
    }
}
