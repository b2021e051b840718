using System;
using Tmds.Linux;

namespace Mapt.Platform;

/// <summary>Small fd helpers every file-writing edge (flash log, journal, state file) shares.</summary>
public static unsafe class FileDescriptor
{
    /// <summary>
    /// Writes all of <paramref name="data"/>, going on after short writes and EINTR; returns 0
    /// or the errno of the failing write (ENOSPC when the kernel wrote nothing).
    /// </summary>
    public static int WriteAll(int fd, ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
        {
            int done = 0;
            while (done < data.Length)
            {
                long n = LibC.write(fd, p + done, data.Length - done);
                if (n < 0)
                {
                    int errno = LibC.errno;
                    if (errno == LibC.EINTR)
                        continue;
                    return errno;
                }
                if (n == 0)
                    return LibC.ENOSPC;
                done += (int)n;
            }
            return 0;
        }
    }
}
