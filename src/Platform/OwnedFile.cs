using System;
using System.Text;
using Tmds.Linux;

namespace Mapt.Platform;

/// <summary>
/// Reads a file whose content mapt will act on as root (the journal): only a regular file, not
/// reached through a symlink, owned by this process's user and writable by nobody else. Owner
/// and mode are checked on the descriptor that is then read, so the file cannot be swapped in
/// between.
/// </summary>
public static class OwnedFile
{
    private const int S_IFMT = 0xf000, S_IFREG = 0x8000, GroupOrOtherWrite = 0x12 /* 022 */;

    /// <summary>The content; null when the file does not exist; null with <paramref name="refusal"/> set when it must not be trusted.</summary>
    public static unsafe string? Read(string path, out string? refusal)
    {
        refusal = null;
        byte[] name = Encoding.UTF8.GetBytes(path + "\0");
        int fd;
        fixed (byte* p = name)
        {
            do
                fd = LibC.open(p, LibC.O_RDONLY | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0);
            while (fd < 0 && LibC.errno == Errno.EINTR);
        }
        if (fd < 0)
        {
            int errno = LibC.errno;
            if (errno == Errno.ENOENT)
                return null;
            refusal = errno == Errno.ELOOP ? "a symbolic link: not followed (ELOOP)" : "open: " + Errno.Name(errno);
            return null;
        }
        try
        {
            statx st;
            byte empty = 0;
            if (LibC.statx(fd, &empty, LibC.AT_EMPTY_PATH, LibC.STATX_UID | LibC.STATX_MODE, &st) != 0)
            {
                refusal = "statx: " + Errno.Name(LibC.errno);
                return null;
            }
            if ((st.stx_mode & S_IFMT) != S_IFREG)
                refusal = "not a regular file";
            else if (st.stx_uid != LibC.geteuid())
                refusal = "owned by uid " + st.stx_uid + ", not by " + LibC.geteuid();
            else if ((st.stx_mode & GroupOrOtherWrite) != 0)
                refusal = "writable by group or others (mode " + Convert.ToString(st.stx_mode & 0xfff, 8) + ")";
            if (refusal is not null)
                return null;
            return ReadAll(fd, path);
        }
        finally
        {
            LibC.close(fd);
        }
    }

    /// <summary>The whole content of an open descriptor as UTF-8 (EINTR retried); AtomicFile reads this way too.</summary>
    internal static unsafe string ReadAll(int fd, string path)
    {
        var bytes = new byte[4096];
        int length = 0;
        while (true)
        {
            if (length == bytes.Length)
                Array.Resize(ref bytes, bytes.Length * 2);
            long n;
            fixed (byte* p = bytes)
                n = LibC.read(fd, p + length, bytes.Length - length);
            if (n < 0)
            {
                int errno = LibC.errno;
                if (errno == Errno.EINTR)
                    continue;
                throw new PlatformException("read " + path, errno);
            }
            if (n == 0)
                break;
            length += (int)n;
        }
        return Encoding.UTF8.GetString(bytes, 0, length);
    }
}
