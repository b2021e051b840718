using System.Runtime.InteropServices;
using Tmds.Linux;

namespace Mapt.Platform;

/// <summary>
/// poll(2) with its errno. Tmds.LibC declares poll without SetLastError, so its errno after a
/// failed poll is whatever the last other call left (0 after a successful write, EAGAIN after
/// an empty read): an EINTR (SIGTERM, SIGCHLD, or a signal that came during traffic with none
/// sent, likely the runtime's) then looked like a real error and stopped the daemon ("poll: errno 0").
/// </summary>
internal static unsafe partial class Poll
{
    [LibraryImport("libc.so.6", EntryPoint = "poll", SetLastError = true)]
    private static partial int poll(pollfd* fds, nuint nfds, int timeout);

    /// <summary>poll(2); <paramref name="errno"/> is its own errno when it returns -1, else 0.</summary>
    public static int Wait(pollfd* fds, int count, int timeoutMs, out int errno)
    {
        int n = poll(fds, (nuint)count, timeoutMs);
        errno = n < 0 ? Marshal.GetLastPInvokeError() : 0;
        return n;
    }
}
