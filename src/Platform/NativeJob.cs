using System.Runtime.InteropServices;

namespace Mapt.Platform;

/// <summary>One helper of a batch run by native-shim/spawn.c (struct mapt_job, same layout): what it gets and how it ended.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeJob
{
    public byte** Argv;
    public byte* Input;
    public nuint InputLength;
    public byte* Stdout;
    public nuint StdoutCapacity;
    public nuint StdoutLength;
    public byte* Stderr;
    public nuint StderrCapacity;
    public nuint StderrLength;
    public int WaitStatus;
    public int Result;
    public int Errno;
}
