using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text;
using Mapt.Platform;

namespace Mapt.Apply;

/// <summary>
/// Runs a helper program to completion through the native shim (posix_spawnp, pipes, poll,
/// deadline). Blocking by design: iptables-restore takes milliseconds, and a change must be
/// known to have taken before the next step.
/// </summary>
public static class ChildProcess
{
    /// <summary>What is kept of each output unless the caller asks for more; the rest is read and counted, not kept.</summary>
    public const int DefaultOutputCapacity = 64 * 1024;

    /// <summary>
    /// Runs <paramref name="argv"/> to its end or the deadline. Output beyond
    /// <paramref name="outputCapacity"/> is not kept, and <see cref="ChildResult.StdoutTruncated"/>
    /// says so: a caller that parses the output must treat that as a failure, never as the whole.
    /// </summary>
    public static unsafe ChildResult Run(IReadOnlyList<string> argv, string input, int timeoutMs, int outputCapacity = DefaultOutputCapacity)
    {
        if (argv.Count == 0)
            throw new ArgumentException("no program to run", nameof(argv));
        var pointers = new IntPtr[argv.Count + 1];
        byte[] stdin = Encoding.UTF8.GetBytes(input);
        byte[] stdout = new byte[outputCapacity];
        byte[] stderr = new byte[DefaultOutputCapacity];
        try
        {
            for (int i = 0; i < argv.Count; i++)
                pointers[i] = Marshal.StringToCoTaskMemUTF8(argv[i]);
            nuint outLength, errLength;
            int status, rc, errno;
            fixed (IntPtr* args = pointers)
            fixed (byte* inBytes = stdin)
            fixed (byte* outBytes = stdout)
            fixed (byte* errBytes = stderr)
            {
                rc = NativeShim.Run((byte**)args, inBytes, (nuint)stdin.Length, timeoutMs,
                    outBytes, (nuint)stdout.Length, &outLength, errBytes, (nuint)stderr.Length, &errLength, &status);
                errno = Marshal.GetLastPInvokeError();
            }
            if (rc == -1)
                throw new ApplyException($"cannot start {argv[0]}: {Errno.Name(errno)}");
            string outText = Encoding.UTF8.GetString(stdout, 0, (int)Math.Min(outLength, (nuint)stdout.Length));
            string errText = Encoding.UTF8.GetString(stderr, 0, (int)Math.Min(errLength, (nuint)stderr.Length));
            // Wait status: low 7 bits the terminating signal, else the exit code in bits 8-15.
            int signal = status & 0x7f;
            int exit = signal == 0 ? (status >> 8) & 0xff : 0;
            return new ChildResult(exit, signal, rc == -2, outText, errText) { StdoutLength = (long)outLength, StdoutKept = Math.Min((long)outLength, stdout.Length) };
        }
        finally
        {
            foreach (IntPtr p in pointers)
                if (p != IntPtr.Zero)
                    Marshal.FreeCoTaskMem(p);
        }
    }
}
