using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace Mapt.Platform;

/// <summary>
/// A NULL-terminated array of UTF-8 C strings (argv, envp) for the native shim, freed on
/// Dispose. Pin <see cref="Pointers"/> with <c>fixed</c> for the call.
/// </summary>
internal sealed class CStringArray : IDisposable
{
    public CStringArray(IReadOnlyList<string> strings)
    {
        Pointers = new IntPtr[strings.Count + 1];
        for (int i = 0; i < strings.Count; i++)
            Pointers[i] = Marshal.StringToCoTaskMemUTF8(strings[i]);
    }

    public IntPtr[] Pointers { get; }

    public void Dispose()
    {
        for (int i = 0; i < Pointers.Length; i++)
        {
            if (Pointers[i] != IntPtr.Zero)
                Marshal.FreeCoTaskMem(Pointers[i]);
            Pointers[i] = IntPtr.Zero;
        }
    }
}
