using System;
using System.IO;
using Tmds.Linux;

namespace Mapt.Platform;

/// <summary>
/// One mapt per flash directory: `mapt run` holds this lock for its life and `mapt teardown`
/// while it undoes, because both act on the journal there and a second instance would take a
/// live daemon's journal for a crash's leftover. The kernel releases the lock however the
/// holder dies, so recovery after kill -9 is not blocked by it.
/// </summary>
public sealed class InstanceLock : IDisposable
{
    public const string FileName = "mapt.lock";

    private int _fd;

    private InstanceLock(int fd) => _fd = fd;

    /// <summary>
    /// Takes the lock in <paramref name="directory"/> (created if missing). Null when another
    /// process holds it: <paramref name="holderPid"/> is its pid, 0 when the kernel cannot say.
    /// Throws <see cref="PlatformException"/> when the file cannot be opened or locked at all.
    /// </summary>
    public static unsafe InstanceLock? TryTake(string directory, out int holderPid)
    {
        AtomicFile.EnsureDirectory(directory);
        string path = Path.Combine(directory, FileName);
        int holder;
        int fd = NativeShim.LockTake(path, &holder);
        holderPid = holder;
        if (fd == -2)
            return null;
        if (fd < 0)
            throw new PlatformException("lock " + path, Errno.Last);
        return new InstanceLock(fd);
    }

    /// <summary>"pid 1234", or words for a holder the kernel did not name.</summary>
    public static string Describe(int holderPid) =>
        holderPid > 0 ? "pid " + holderPid.ToString(System.Globalization.CultureInfo.InvariantCulture) : "a process in another pid namespace";

    public void Dispose()
    {
        if (_fd >= 0)
        {
            LibC.close(_fd);
            _fd = -1;
        }
    }
}
