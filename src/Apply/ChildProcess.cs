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
    public static ChildResult Run(IReadOnlyList<string> argv, string input, int timeoutMs, int outputCapacity = DefaultOutputCapacity)
        => RunAll(new[] { new ChildRequest(argv, input, outputCapacity) }, timeoutMs)[0];

    /// <summary>The most helpers one <see cref="RunAll"/> runs side by side.</summary>
    public const int MaxBatch = 8;

    /// <summary>
    /// Runs the <paramref name="requests"/> side by side, each to its end or the common deadline,
    /// and returns their results in the same order. For independent reads (the iptables-save of
    /// each table before a check or a change), whose cost is mostly starting the process: on a
    /// multi-core gateway they overlap. A helper that could not be started throws, naming it.
    /// </summary>
    public static unsafe ChildResult[] RunAll(IReadOnlyList<ChildRequest> requests, int timeoutMs)
    {
        int count = requests.Count;
        if (count == 0 || count > MaxBatch)
            throw new ArgumentException($"a batch runs 1 to {MaxBatch} helpers, not {count}", nameof(requests));
        var args = new CStringArray[count];
        var pinned = new List<GCHandle>(count * 4);
        var outputs = new byte[count][];
        var errors = new byte[count][];
        var jobs = new NativeJob[count];
        using var environment = new CStringArray(HelperEnvironment);
        // The shim reads and writes these arrays while the children run: they must not move.
        byte* Pin(object array)
        {
            GCHandle h = GCHandle.Alloc(array, GCHandleType.Pinned);
            pinned.Add(h);
            return (byte*)h.AddrOfPinnedObject();
        }
        try
        {
            for (int i = 0; i < count; i++)
            {
                ChildRequest r = requests[i];
                if (r.Argv.Count == 0)
                    throw new ArgumentException("no program to run", nameof(requests));
                args[i] = new CStringArray(r.Argv);
                byte[] stdin = Encoding.UTF8.GetBytes(r.Input);
                outputs[i] = new byte[r.OutputCapacity];
                errors[i] = new byte[DefaultOutputCapacity];
                jobs[i].Argv = (byte**)Pin(args[i].Pointers);
                jobs[i].Input = Pin(stdin);
                jobs[i].InputLength = (nuint)stdin.Length;
                jobs[i].Stdout = Pin(outputs[i]);
                jobs[i].StdoutCapacity = (nuint)outputs[i].Length;
                jobs[i].Stderr = Pin(errors[i]);
                jobs[i].StderrCapacity = (nuint)errors[i].Length;
            }
            fixed (NativeJob* jobp = jobs)
            fixed (IntPtr* envp = environment.Pointers)
            {
                if (NativeShim.RunAll(jobp, count, (byte**)envp, Search, timeoutMs) != 0)
                    throw new ApplyException($"cannot start a batch of {count} helpers: {Errno.Name(Marshal.GetLastPInvokeError())}");
            }
        }
        finally
        {
            foreach (GCHandle h in pinned)
                h.Free();
            foreach (CStringArray? a in args)
                a?.Dispose();
        }
        var results = new ChildResult[count];
        for (int i = 0; i < count; i++)
        {
            NativeJob j = jobs[i];
            if (j.Result == -1)
                throw new ApplyException($"cannot start {requests[i].Argv[0]}: {Errno.Name(j.Errno)} (looked up in {Search})");
            long kept = (long)Math.Min(j.StdoutLength, (nuint)outputs[i].Length);
            string outText = Encoding.UTF8.GetString(outputs[i], 0, (int)kept);
            string errText = Encoding.UTF8.GetString(errors[i], 0, (int)Math.Min(j.StderrLength, (nuint)errors[i].Length));
            results[i] = ChildResult.FromWaitStatus(j.WaitStatus, j.Result == -2, outText, errText) with
            {
                StdoutLength = (long)j.StdoutLength,
                StdoutKept = kept,
            };
        }
        return results;
    }
}
