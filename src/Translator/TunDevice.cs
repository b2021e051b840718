using System;
using System.Text;
using Mapt.Platform;
using Tmds.Linux;

namespace Mapt.Translator;

/// <summary>
/// A TUN device (IFF_TUN | IFF_NO_PI: one IP packet per read or write, no header) opened
/// non-blocking, so its fd plugs into the event loop. The daemon makes it persistent
/// (TUNSETPERSIST): the interface, its routes and the conntrack entries through it outlive a
/// crash of the process, and the next start attaches to it by name; an orderly stop clears
/// the flag before closing, which removes the interface.
/// </summary>
public sealed unsafe class TunDevice : IDisposable
{
    // linux/if_tun.h
    private const int TUNSETIFF = 0x400454ca; // _IOW('T', 202, int)
    private const int TUNSETPERSIST = 0x400454cb; // _IOW('T', 203, int)
    private const short IFF_TUN = 0x0001, IFF_NO_PI = 0x1000;
    // linux/if.h, linux/sockios.h
    private const int IFNAMSIZ = 16, IfreqSize = 40;
    private const short IFF_UP = 0x1;
    private const int SIOCGIFFLAGS = 0x8913, SIOCSIFFLAGS = 0x8914, SIOCSIFMTU = 0x8922;

    private TunDevice(int fd, string name)
    {
        Fd = fd;
        Name = name;
    }

    public int Fd { get; private set; }
    public string Name { get; }

    /// <summary>Creates (or attaches to) the TUN device <paramref name="name"/>.</summary>
    public static TunDevice Open(string name)
    {
        if (name.Length == 0 || Encoding.UTF8.GetByteCount(name) >= IFNAMSIZ)
            throw new ArgumentException("interface names are 1 to 15 bytes", nameof(name));
        byte* path = stackalloc byte[16];
        "/dev/net/tun\0"u8.CopyTo(new Span<byte>(path, 16));
        int fd = LibC.open(path, LibC.O_RDWR | LibC.O_NONBLOCK | LibC.O_CLOEXEC, 0);
        if (fd < 0)
            throw new PlatformException("open /dev/net/tun", Errno.Last);
        byte* ifr = stackalloc byte[IfreqSize];
        FillName(ifr, name);
        *(short*)(ifr + IFNAMSIZ) = IFF_TUN | IFF_NO_PI;
        if (LibC.ioctl(fd, TUNSETIFF, ifr) < 0)
        {
            int errno = Errno.Last;
            LibC.close(fd);
            throw new PlatformException("TUNSETIFF " + name, errno);
        }
        return new TunDevice(fd, name);
    }

    /// <summary>
    /// Removes a persistent TUN device nobody holds (a crashed run's): attach, clear the flag,
    /// close. (RTM_DELLINK cannot: the tun driver has no dellink.) EBUSY while a process holds it.
    /// </summary>
    public static void Remove(string name)
    {
        using TunDevice tun = Open(name);
        tun.SetPersistent(false);
    }

    /// <summary>Whether the interface outlives this fd (TUNSETPERSIST).</summary>
    public void SetPersistent(bool persistent)
    {
        if (LibC.ioctl(Fd, TUNSETPERSIST, (void*)(persistent ? 1 : 0)) < 0)
            throw new PlatformException("TUNSETPERSIST " + Name, Errno.Last);
    }

    /// <summary>Sets the MTU and brings the link up (SIOCSIFMTU, SIOCSIFFLAGS on an AF_INET socket).</summary>
    public void SetMtuAndUp(int mtu)
    {
        int s = LibC.socket(LibC.AF_INET, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
        if (s < 0)
            throw new PlatformException("socket for interface ioctls", Errno.Last);
        try
        {
            byte* ifr = stackalloc byte[IfreqSize];
            if (mtu > 0)
            {
                FillName(ifr, Name);
                *(int*)(ifr + IFNAMSIZ) = mtu;
                if (LibC.ioctl(s, SIOCSIFMTU, ifr) < 0)
                    throw new PlatformException("SIOCSIFMTU " + Name + " " + mtu, Errno.Last);
            }
            FillName(ifr, Name);
            if (LibC.ioctl(s, SIOCGIFFLAGS, ifr) < 0)
                throw new PlatformException("SIOCGIFFLAGS " + Name, Errno.Last);
            *(short*)(ifr + IFNAMSIZ) |= IFF_UP;
            if (LibC.ioctl(s, SIOCSIFFLAGS, ifr) < 0)
                throw new PlatformException("SIOCSIFFLAGS " + Name, Errno.Last);
        }
        finally
        {
            LibC.close(s);
        }
    }

    /// <summary>One packet into <paramref name="buffer"/>: its length, 0 when none is waiting (EAGAIN), -errno on failure.</summary>
    public int Read(Span<byte> buffer)
    {
        fixed (byte* b = buffer)
        {
            long n = LibC.read(Fd, b, (size_t)(ulong)buffer.Length);
            if (n >= 0)
                return (int)n;
            int errno = Errno.Last;
            return errno == Errno.EAGAIN ? 0 : -errno;
        }
    }

    /// <summary>One packet into the stack, as if received on the device: 0, or -errno.</summary>
    public int Write(ReadOnlySpan<byte> packet)
    {
        fixed (byte* b = packet)
        {
            long n = LibC.write(Fd, b, (size_t)(ulong)packet.Length);
            return n >= 0 ? 0 : -Errno.Last;
        }
    }

    private static void FillName(byte* ifr, string name)
    {
        var span = new Span<byte>(ifr, IfreqSize);
        span.Clear();
        Encoding.UTF8.GetBytes(name, span.Slice(0, IFNAMSIZ - 1));
    }

    public void Dispose()
    {
        if (Fd >= 0)
        {
            LibC.close(Fd);
            Fd = -1;
        }
    }
}
