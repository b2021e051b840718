using System;

namespace Mapt.Netlink;

/// <summary>
/// A netlink request the kernel refused, or a socket call that failed: the operation, the
/// errno by its C name and, when the kernel gave one, its extended-ack text
/// (NLMSGERR_ATTR_MSG), e.g. "add route 192.0.2.0/24: ENODEV (kernel: Device not found)".
/// </summary>
public sealed class NetlinkException : Platform.MaptException
{
    public NetlinkException(string operation, int errno, string? extendedAck = null)
        : base(Describe(operation, errno, extendedAck))
    {
        Operation = operation;
        Errno = errno;
        ExtendedAck = extendedAck;
    }

    public string Operation { get; }

    /// <summary>The positive errno value (EEXIST = 17 ...).</summary>
    public int Errno { get; }

    public string ErrnoName => Mapt.Netlink.Errno.Name(Errno);

    /// <summary>The kernel's own explanation, or null when it gave none.</summary>
    public string? ExtendedAck { get; }

    private static string Describe(string operation, int errno, string? extendedAck) =>
        extendedAck is null
            ? string.Concat(operation, ": ", Mapt.Netlink.Errno.Name(errno))
            : string.Concat(operation, ": ", Mapt.Netlink.Errno.Name(errno), " (kernel: ", extendedAck, ")");
}
