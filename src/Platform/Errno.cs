using System;
using System.Runtime.InteropServices;

namespace Mapt.Platform;

/// <summary>An OS call failed; the message names the call, the object and the errno.</summary>
public sealed class PlatformException : Exception
{
    public PlatformException(string what, int errno)
        : base($"{what}: {Errno.Name(errno)} ({Marshal.GetPInvokeErrorMessage(errno)})") => Number = errno;

    public int Number { get; }
}

/// <summary>errno names for messages a field engineer can search for.</summary>
public static class Errno
{
    public const int EINTR = 4, EAGAIN = 11, ENOENT = 2, EPERM = 1, EBADF = 9, EEXIST = 17, ENODEV = 19,
        EINVAL = 22, ENOBUFS = 105, ESRCH = 3, EADDRNOTAVAIL = 99, ENETUNREACH = 101, EROFS = 30, ENOSPC = 28,
        EACCES = 13, EBUSY = 16, ENOTSUP = 95, EMSGSIZE = 90, ENXIO = 6, ENOMEM = 12, EIO = 5, ENOTDIR = 20, ELOOP = 40;

    public static string Name(int errno) => errno switch
    {
        EPERM => "EPERM", ENOENT => "ENOENT", ESRCH => "ESRCH", EINTR => "EINTR", EIO => "EIO", ENXIO => "ENXIO",
        EBADF => "EBADF", EAGAIN => "EAGAIN", ENOMEM => "ENOMEM", EACCES => "EACCES", EBUSY => "EBUSY",
        EEXIST => "EEXIST", ENODEV => "ENODEV", ENOTDIR => "ENOTDIR", EINVAL => "EINVAL", ENOSPC => "ENOSPC",
        EROFS => "EROFS", EMSGSIZE => "EMSGSIZE", ENOTSUP => "EOPNOTSUPP", EADDRNOTAVAIL => "EADDRNOTAVAIL",
        ENETUNREACH => "ENETUNREACH", ENOBUFS => "ENOBUFS", ELOOP => "ELOOP",
        _ => "errno " + errno.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>The errno of the last P/Invoke marked SetLastError (Tmds.LibC sets it).</summary>
    public static int Last => Marshal.GetLastPInvokeError();
}
