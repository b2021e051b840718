using System;
using System.Runtime.InteropServices;
using System.Text;
using Tmds.Linux;

namespace Mapt.Platform;

/// <summary>
/// Files that must be whole after a power cut (the journal, the state file, the DUID): written
/// to a temporary name, fsync'ed, renamed over the old one, then the directory fsync'ed so the
/// rename itself is on flash. A reader sees the old or the new content, never a mix.
/// mapt is root: no open here follows a symbolic link at the file's own name (O_NOFOLLOW; a
/// link planted there is refused or replaced, never written through), and the temporary file
/// has a random name and is created exclusively (O_EXCL), so nothing planted at a predictable
/// name is ever opened. Every descriptor is close-on-exec.
/// </summary>
public static partial class AtomicFile
{
    /// <summary>rw-r--r--: files others may read (the state file, the pid file, the DUID).</summary>
    public const int Readable = 0x1a4;
    /// <summary>rw-------: files only mapt reads (the journal).</summary>
    public const int Private = 0x180;

    /// <summary>Replaces <paramref name="path"/> with <paramref name="text"/> (created with <paramref name="mode"/>); throws <see cref="PlatformException"/> naming the step that failed.</summary>
    public static unsafe void Write(string path, string text, int mode = Readable, bool durable = true)
    {
        byte[] data = Encoding.UTF8.GetBytes(text);
        (int fd, string temp) = CreateTemporary(path, mode);
        bool renamed = false;
        try
        {
            int errno = FileDescriptor.WriteAll(fd, data);
            if (errno != 0)
                throw new PlatformException("write " + temp, errno);
            if (durable && LibC.fsync(fd) != 0)
                throw new PlatformException("fsync " + temp, LibC.errno);
            LibC.close(fd);
            fd = -1;
            Rename(temp, path);
            renamed = true;
        }
        finally
        {
            if (fd >= 0)
                LibC.close(fd);
            if (!renamed)
                Unlink(temp);
        }
        if (durable)
            SyncDirectory(DirectoryOf(path));
    }

    // PATH.tmp.<16 random hex digits>, O_EXCL: a name that exists (planted, or a leftover) is
    // never opened; another name is drawn.
    private static (int Fd, string Path) CreateTemporary(string path, int mode)
    {
        for (int attempt = 0; ; attempt++)
        {
            string temp = path + ".tmp." + Random.Shared.NextInt64().ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
            int fd = TryOpen(temp, LibC.O_WRONLY | LibC.O_CREAT | LibC.O_EXCL | LibC.O_NOFOLLOW, mode);
            if (fd >= 0)
                return (fd, temp);
            int errno = LibC.errno;
            if (errno != Errno.EEXIST || attempt == 8)
                throw new PlatformException("open " + temp, errno);
        }
    }

    /// <summary>The whole file, or null when it does not exist.</summary>
    public static unsafe string? Read(string path)
    {
        int fd = TryOpen(path, LibC.O_RDONLY | LibC.O_NOFOLLOW, 0);
        if (fd < 0)
        {
            int errno = LibC.errno;
            if (errno == Errno.ENOENT)
                return null;
            throw new PlatformException(errno == Errno.ELOOP ? "open " + path + " (a symbolic link: not followed)" : "open " + path, errno);
        }
        try
        {
            return OwnedFile.ReadAll(fd, path);
        }
        finally
        {
            LibC.close(fd);
        }
    }

    /// <summary>Removes <paramref name="path"/> durably; a file already gone is fine.</summary>
    public static unsafe void Delete(string path, bool durable = true)
    {
        byte[] p = Zero(path);
        fixed (byte* pp = p)
        {
            if (LibC.unlink(pp) != 0)
            {
                int errno = LibC.errno;
                if (errno == Errno.ENOENT)
                    return;
                throw new PlatformException("unlink " + path, errno);
            }
        }
        if (durable)
            SyncDirectory(DirectoryOf(path));
    }

    /// <summary>Creates <paramref name="path"/> and its parents (0755) if missing.</summary>
    public static unsafe void EnsureDirectory(string path)
    {
        if (path.Length == 0)
            return;
        int slash = path.LastIndexOf('/');
        if (slash > 0)
            EnsureDirectory(path.Substring(0, slash));
        byte[] p = Zero(path);
        fixed (byte* pp = p)
            if (LibC.mkdir(pp, 0x1ed) != 0 && LibC.errno != Errno.EEXIST)
                throw new PlatformException("mkdir " + path, LibC.errno);
    }

    private static string DirectoryOf(string path)
    {
        int slash = path.LastIndexOf('/');
        return slash < 0 ? "." : slash == 0 ? "/" : path.Substring(0, slash);
    }

    private static void SyncDirectory(string directory)
    {
        // Plain O_RDONLY: O_DIRECTORY differs by architecture (0x10000 on x86_64 is O_DIRECT on
        // arm64). Links followed: the directory may be one (/var/lib/mapt -> /nvram/mapt), and
        // SafeDirectory checked where it leads.
        int fd = Open(directory, LibC.O_RDONLY, 0);
        try
        {
            if (LibC.fsync(fd) != 0)
                throw new PlatformException("fsync " + directory, LibC.errno);
        }
        finally
        {
            LibC.close(fd);
        }
    }

    private static unsafe void Rename(string from, string to)
    {
        fixed (byte* f = Zero(from))
        fixed (byte* t = Zero(to))
            if (rename(f, t) != 0)
                throw new PlatformException("rename " + from + " -> " + to, Marshal.GetLastPInvokeError());
    }

    private static unsafe void Unlink(string path)
    {
        fixed (byte* p = Zero(path))
            LibC.unlink(p);
    }

    // Tmds.LibC has no rename(2).
    [LibraryImport("libc.so.6", SetLastError = true)]
    private static unsafe partial int rename(byte* from, byte* to);

    /// <summary>True when <paramref name="path"/> exists (any type); used for /proc/PID liveness.</summary>
    public static unsafe bool Exists(string path)
    {
        byte[] p = Zero(path);
        fixed (byte* pp = p)
            return LibC.access(pp, 0 /* F_OK */) == 0;
    }

    private static int Open(string path, int flags, int mode)
    {
        int fd = TryOpen(path, flags, mode);
        if (fd < 0)
            throw new PlatformException("open " + path, LibC.errno);
        return fd;
    }

    private static unsafe int TryOpen(string path, int flags, int mode)
    {
        byte[] p = Zero(path);
        int fd;
        fixed (byte* pp = p)
        {
            do
                fd = LibC.open(pp, flags | LibC.O_CLOEXEC, (mode_t)mode);
            while (fd < 0 && LibC.errno == Errno.EINTR);
        }
        return fd;
    }

    private static byte[] Zero(string s)
    {
        byte[] bytes = new byte[Encoding.UTF8.GetByteCount(s) + 1];
        Encoding.UTF8.GetBytes(s, 0, s.Length, bytes, 0);
        return bytes;
    }
}
