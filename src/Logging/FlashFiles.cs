using System;
using System.Text;
using Mapt.Platform;
using Tmds.Linux;

namespace Mapt.Logging;

/// <summary>
/// The few file system calls the flash log makes, straight to libc: FileStream and the
/// Directory enumerators would cost more binary than the whole logging area (the arm64 budget
/// is tight), and the writer needs fdatasync and O_APPEND semantics anyway.
/// </summary>
internal static unsafe class FlashFiles
{
    /// <summary>The segment file of a ring slot: log.0, log.1, ... or run.0, ... (<see cref="FlashStore"/>).</summary>
    public static string SlotPath(string directory, string prefix, int slot) => directory + "/" + prefix + "." + slot.ToString();

    /// <summary>
    /// open(2); -1 with <paramref name="errno"/> set on failure. Never through a symbolic link at
    /// the segment's name (O_NOFOLLOW: mapt is root, a planted link fails with ELOOP); a created
    /// segment is rw-r----- (the log may name addresses and DUIDs: not for every local user).
    /// </summary>
    public static int Open(string path, int flags, out int errno)
    {
        fixed (byte* p = CString(path))
        {
            int fd;
            do
            {
                fd = LibC.open(p, flags | LibC.O_CLOEXEC | LibC.O_NOFOLLOW, 0x1a0 /* 0640 */);
            } while (fd < 0 && LibC.errno == LibC.EINTR);
            errno = fd < 0 ? LibC.errno : 0;
            return fd;
        }
    }

    /// <summary>mkdir(2) of one level; an existing directory is success.</summary>
    public static int MakeDirectory(string path)
    {
        fixed (byte* p = CString(path))
        {
            if (LibC.mkdir(p, 0x1ed /* 0755 */) == 0)
                return 0;
            int errno = LibC.errno;
            return errno == LibC.EEXIST ? 0 : errno;
        }
    }

    public static void Unlink(string path)
    {
        fixed (byte* p = CString(path))
            LibC.unlink(p);
    }

    /// <summary>The path as libc wants it: UTF-8, NUL-terminated.</summary>
    private static byte[] CString(string path)
    {
        byte[] bytes = new byte[Encoding.UTF8.GetByteCount(path) + 1];
        Encoding.UTF8.GetBytes(path, bytes);
        return bytes;
    }

    /// <summary>Writes all of <paramref name="data"/>; 0 or the errno of the failing write.</summary>
    public static int WriteAll(int fd, ReadOnlySpan<byte> data) => FileDescriptor.WriteAll(fd, data);

    public static int DataSync(int fd) => LibC.fdatasync(fd) == 0 ? 0 : LibC.errno;

    public static void Close(int fd)
    {
        if (fd >= 0)
            LibC.close(fd);
    }

    /// <summary>The file's current size (the append position).</summary>
    public static long Size(int fd) => LibC.lseek(fd, 0, LibC.SEEK_END);

    /// <summary>Reads a whole file; null if it cannot be opened (a ring slot not yet used).</summary>
    public static byte[]? ReadAll(string path)
    {
        int fd = Open(path, LibC.O_RDONLY, out _);
        if (fd < 0)
            return null;
        try
        {
            // /proc files report no size: read until end of file whatever the size said.
            long size = Math.Max(Size(fd), 0);
            LibC.lseek(fd, 0, LibC.SEEK_SET);
            byte[] data = new byte[size + 4096];
            int length = 0;
            fixed (byte* p = data)
            {
                while (length < data.Length)
                {
                    long n = LibC.read(fd, p + length, data.Length - length);
                    if (n < 0 && LibC.errno == LibC.EINTR)
                        continue;
                    if (n <= 0)
                        break;
                    length += (int)n;
                }
            }
            return data.AsSpan(0, length).ToArray();
        }
        finally
        {
            LibC.close(fd);
        }
    }

    /// <summary>What the flash said, in words and with the errno's name a field engineer can search for.</summary>
    public static string ErrnoText(int errno)
    {
        string name = Errno.Name(errno);
        if (errno == Errno.EROFS) return "read-only file system (" + name + ")";
        if (errno == Errno.ENOSPC) return "no space left (" + name + ")";
        if (errno == Errno.EACCES) return "permission denied (" + name + ")";
        if (errno == Errno.ENOENT) return "no such directory (" + name + ")";
        if (errno == Errno.EIO) return "I/O error (" + name + ")";
        return name;
    }
}
