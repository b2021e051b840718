using System;
using System.Text;
using Mapt.Platform;
using Tmds.Linux;

namespace Mapt.Translator;

/// <summary>
/// A TUN device (IFF_TUN | IFF_NO_PI | IFF_VNET_HDR: one IP packet per read or write, behind
/// a <see cref="VirtioNetHeader"/>) opened non-blocking, so its fd plugs into the event loop.
/// With the offloads of <see cref="EnableOffloads"/> the kernel hands over GSO super-packets
/// with partial checksums instead of one packet per MSS, and takes them back the same way. The daemon makes it persistent
/// (TUNSETPERSIST): the interface, its routes and the conntrack entries through it outlive a
/// crash of the process, and the next start attaches to it by name; an orderly stop clears
/// the flag before closing, which removes the interface.
/// </summary>
public sealed unsafe class TunDevice : IDisposable
{
    // linux/if_tun.h
    private const int TUNSETIFF = 0x400454ca; // _IOW('T', 202, int)
    private const int TUNSETPERSIST = 0x400454cb; // _IOW('T', 203, int)
    private const int TUNSETOFFLOAD = 0x400454d0; // _IOW('T', 208, unsigned int)
    private const short IFF_TUN = 0x0001, IFF_NO_PI = 0x1000, IFF_VNET_HDR = 0x4000;
    // TUNSETOFFLOAD flags: what the kernel may leave to the reader (partial checksums, TCP and
    // UDP segmentation); USO4/6 exist since Linux 6.2, older kernels refuse them with EINVAL.
    public const uint TUN_F_CSUM = 0x01, TUN_F_TSO4 = 0x02, TUN_F_TSO6 = 0x04, TUN_F_TSO_ECN = 0x08,
        TUN_F_USO4 = 0x20, TUN_F_USO6 = 0x40;

    /// <summary>
    /// The flags mapt opens its device with, as /sys/class/net/DEV/tun_flags shows them. A
    /// persistent device left by an older mapt without IFF_VNET_HDR shows other flags: it is a
    /// difference to repair (<see cref="FlagsDifference"/>), not a device to adopt.
    /// </summary>
    public const int Flags = IFF_TUN | IFF_NO_PI | IFF_VNET_HDR;
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
        *(short*)(ifr + IFNAMSIZ) = (short)Flags;
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

    /// <summary>
    /// Lets the kernel hand over GSO super-packets with partial checksums (TUN_F_CSUM, TSO4,
    /// TSO6, TSO_ECN, and USO4/USO6 where the kernel has them) and take them back; the reader
    /// and writer then handle <see cref="VirtioNetHeader"/>s that say so. Tries with USO first
    /// and falls back to the flags an older kernel accepts.
    /// </summary>
    /// <returns>The flags enabled.</returns>
    public uint EnableOffloads()
    {
        const uint tcp = TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN;
        foreach (uint flags in new[] { tcp | TUN_F_USO4 | TUN_F_USO6, tcp })
        {
            if (LibC.ioctl(Fd, TUNSETOFFLOAD, (void*)flags) == 0)
                return flags;
            int errno = Errno.Last;
            if (errno != Errno.EINVAL)
                throw new PlatformException("TUNSETOFFLOAD " + Name, errno);
        }
        throw new PlatformException("TUNSETOFFLOAD " + Name, Errno.EINVAL);
    }

    /// <summary>The offload flags as the start log line shows them: "csum tso4 tso6 tso-ecn uso4 uso6".</summary>
    public static string DescribeOffloads(uint flags)
    {
        var b = new StringBuilder();
        void Add(uint f, string name)
        {
            if ((flags & f) != 0)
                b.Append(b.Length == 0 ? "" : " ").Append(name);
        }
        Add(TUN_F_CSUM, "csum");
        Add(TUN_F_TSO4, "tso4");
        Add(TUN_F_TSO6, "tso6");
        Add(TUN_F_TSO_ECN, "tso-ecn");
        Add(TUN_F_USO4, "uso4");
        Add(TUN_F_USO6, "uso6");
        return b.Length == 0 ? "none" : b.ToString();
    }

    /// <summary>/sys/class/net/DEV/tun_flags (hex, as the kernel shows the device's flags), null when the device has none (absent, not a TUN).</summary>
    public static string? ReadFlags(string name)
    {
        try
        {
            return System.IO.File.ReadAllText(System.IO.Path.Combine("/sys/class/net", name, "tun_flags"));
        }
        catch (Exception e) when (e is System.IO.IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Why an existing device <paramref name="name"/> is not one mapt would have created, from
    /// its <paramref name="tunFlags"/> (<see cref="ReadFlags"/>): null when they are
    /// <see cref="Flags"/> (IFF_PERSIST and the other state bits aside), or when there are none
    /// (no such device, or not a TUN device: the link check reports that).
    /// </summary>
    public static string? FlagsDifference(string name, string? tunFlags)
    {
        if (tunFlags is null)
            return null;
        string text = tunFlags.Trim();
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            text = text.Substring(2);
        if (!int.TryParse(text, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out int flags))
            return "device " + name + " has unreadable TUN flags '" + text + "'";
        const int compared = IFF_TUN | IFF_NO_PI | IFF_VNET_HDR | 0x0002 /* IFF_TAP */ | 0x0100 /* IFF_MULTI_QUEUE */;
        if ((flags & compared) == Flags)
            return null;
        return "device " + name + " has TUN flags 0x" + (flags & compared).ToString("x4", System.Globalization.CultureInfo.InvariantCulture)
            + ", planned 0x" + Flags.ToString("x4", System.Globalization.CultureInfo.InvariantCulture)
            + ((flags & IFF_VNET_HDR) == 0 ? " (no IFF_VNET_HDR: created by a mapt without offloads)" : "");
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

    /// <summary>One packet, its <see cref="VirtioNetHeader"/> first, into <paramref name="buffer"/>: its length, 0 when none is waiting (EAGAIN), -errno on failure.</summary>
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

    /// <summary>One packet, its <see cref="VirtioNetHeader"/> first, into the stack, as if received on the device: 0, or -errno.</summary>
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
