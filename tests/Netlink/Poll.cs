using System.Runtime.InteropServices;

namespace Mapt.Tests.Netlink;

/// <summary>The small poll() the brief allows in tests until the daemon's EventLoop drives the fds.</summary>
internal static class Poll
{
    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern unsafe int poll(PollFd* fds, ulong count, int timeout);

    public static unsafe bool Readable(int fd, int timeoutMs)
    {
        var p = new PollFd { Fd = fd, Events = 1 /* POLLIN */ };
        return poll(&p, 1, timeoutMs) > 0;
    }
}
