using System;
using System.IO;
using Mapt.Net;
using Mapt.Platform;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Mapt.Dhcpv6;

/// <summary>
/// The client's UDP socket: port 546 bound to the WAN interface's link-local address
/// (RFC 8415 section 7.1 and 13.1: clients send from a link-local address, before any global
/// address exists), SO_BINDTODEVICE so nothing from another interface reaches it, sending to
/// All_DHCP_Relay_Agents_and_Servers ff02::1:2 port 547. Non-blocking: the event loop polls
/// <see cref="Fd"/> and calls <see cref="Drain"/>.
/// </summary>
public sealed unsafe class Dhcpv6Socket : IDhcpv6Transport, IDisposable
{
    public const ushort ClientPort = 546;
    public const ushort ServerPort = 547;
    /// <summary>ff02::1:2 (RFC 8415 section 7.1).</summary>
    public static readonly Ipv6Address AllDhcpRelayAgentsAndServers = new(0xff02_0000_0000_0000UL, 0x0000_0000_0001_0002UL);

    private const int SiocGifIndex = 0x8933;
    private const int SiocGifHwAddr = 0x8927;
    private const int IfaFlagTentative = 0x40;
    private const int IfaFlagDadFailed = 0x08;
    private const int ScopeLink = 0x20;

    private readonly byte[] _receive = new byte[Wire.Dhcpv6Limits.MaxMessageLength];
    private int _fd;

    private Dhcpv6Socket(int fd, string iface, int ifIndex, Ipv6Address linkLocal, byte[] mac)
    {
        _fd = fd;
        InterfaceName = iface;
        InterfaceIndex = ifIndex;
        LinkLocal = linkLocal;
        Mac = mac;
    }

    public int Fd => _fd;
    public string InterfaceName { get; }
    public int InterfaceIndex { get; }
    public Ipv6Address LinkLocal { get; }
    /// <summary>The interface's hardware address (for DUID-LL); empty when it has none.</summary>
    public byte[] Mac { get; }

    /// <summary>
    /// Opens the socket. False with <paramref name="notReady"/> set while the interface has no
    /// link-local address that finished DAD yet (try again shortly); false otherwise on a hard error.
    /// </summary>
    public static bool TryOpen(string iface, out Dhcpv6Socket? socket, out bool notReady, out string error)
    {
        socket = null;
        notReady = false;
        if (iface.Length == 0 || iface.Length > 15)
        {
            error = "interface name '" + iface + "' is not 1..15 characters";
            return false;
        }
        int fd = LibC.socket(AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_UDP);
        if (fd < 0)
        {
            error = "socket(AF_INET6, SOCK_DGRAM): " + Errno.Name(errno);
            return false;
        }
        bool ok = false;
        try
        {
            byte* ifr = stackalloc byte[40];
            new Span<byte>(ifr, 40).Clear();
            for (int i = 0; i < iface.Length; i++)
                ifr[i] = (byte)iface[i];
            if (ioctl(fd, SiocGifIndex, ifr) < 0)
            {
                error = "interface " + iface + " not found (" + Errno.Name(errno) + ")";
                return false;
            }
            int ifIndex = *(int*)(ifr + 16);
            byte[] mac = Array.Empty<byte>();
            if (ioctl(fd, SiocGifHwAddr, ifr) == 0 && *(ushort*)(ifr + 16) == 1 /* ARPHRD_ETHER */)
                mac = new Span<byte>(ifr + 18, 6).ToArray();
            if (!TryFindLinkLocal(ifIndex, out Ipv6Address linkLocal, out string state))
            {
                notReady = true;
                error = "no usable link-local address on " + iface + " (" + state + ")";
                return false;
            }
            int one = 1;
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(int));
            if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifr, (socklen_t)(iface.Length + 1)) < 0)
            {
                error = "SO_BINDTODEVICE " + iface + ": " + Errno.Name(errno);
                return false;
            }
            // Belt and braces only: the scope id on ff02::1:2 and SO_BINDTODEVICE already pick
            // the interface, and qemu-user (arm64 tests) answers ENOPROTOOPT to this option.
            setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &ifIndex, sizeof(int));
            int zero = 0;
            setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &zero, sizeof(int));
            sockaddr_in6 address = SockAddr(linkLocal, ClientPort, ifIndex);
            if (bind(fd, (sockaddr*)&address, (socklen_t)sizeof(sockaddr_in6)) < 0)
            {
                int e = errno;
                // A link-local address still in DAD cannot be bound yet.
                notReady = e == EADDRNOTAVAIL;
                error = "bind [" + linkLocal + "%" + iface + "]:546: " + Errno.Name(e);
                return false;
            }
            socket = new Dhcpv6Socket(fd, iface, ifIndex, linkLocal, mac);
            ok = true;
            error = "";
            return true;
        }
        finally
        {
            if (!ok)
                close(fd);
        }
    }

    /// <summary>
    /// The interface's link-local address once DAD is done, from /proc/thread-self/net/if_inet6
    /// (thread-self: the namespace of the calling thread, which is what a socket gets).
    /// </summary>
    private static bool TryFindLinkLocal(int ifIndex, out Ipv6Address address, out string state)
    {
        address = default;
        state = "none yet";
        string text;
        try
        {
            text = File.ReadAllText("/proc/thread-self/net/if_inet6");
        }
        catch (IOException e)
        {
            state = e.Message;
            return false;
        }
        foreach (string line in text.Split('\n'))
        {
            // address ifindex prefixlen scope flags name, all hex but the name.
            string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 6 || f[0].Length != 32)
                continue;
            if (Convert.ToInt32(f[1], 16) != ifIndex || Convert.ToInt32(f[3], 16) != ScopeLink)
                continue;
            int flags = Convert.ToInt32(f[4], 16);
            if ((flags & (IfaFlagTentative | IfaFlagDadFailed)) != 0)
            {
                state = (flags & IfaFlagDadFailed) != 0 ? "DAD failed" : "tentative, DAD in progress";
                continue;
            }
            byte[] bytes = Convert.FromHexString(f[0]);
            address = Ipv6Address.FromBytes(bytes);
            return true;
        }
        return false;
    }

    public bool Send(ReadOnlySpan<byte> message)
    {
        sockaddr_in6 to = SockAddr(AllDhcpRelayAgentsAndServers, ServerPort, InterfaceIndex);
        fixed (byte* p = message)
        {
            ssize_t n = sendto(_fd, p, (size_t)message.Length, MSG_DONTWAIT, (sockaddr*)&to, (socklen_t)sizeof(sockaddr_in6));
            return n == message.Length;
        }
    }

    /// <summary>
    /// Datagrams read per call: a flood on UDP 546 gets this many per loop turn, then timers,
    /// signals and the other sockets have theirs (poll is level-triggered: the rest waits).
    /// </summary>
    public const int Budget = 32;

    /// <summary>
    /// Reads the datagrams waiting, at most <see cref="Budget"/>, and hands each to the client;
    /// returns the client's next deadline. Datagrams not from port 547 are dropped here.
    /// </summary>
    public long Drain(Dhcpv6Client client, long nowMs)
    {
        long deadline = long.MaxValue;
        bool any = false;
        for (int read = 0; read < Budget; read++)
        {
            sockaddr_in6 from;
            socklen_t fromLength = (socklen_t)sizeof(sockaddr_in6);
            ssize_t n;
            fixed (byte* p = _receive)
                n = recvfrom(_fd, p, (size_t)_receive.Length, MSG_DONTWAIT, (sockaddr*)&from, &fromLength);
            if (n < 0)
                break;
            if (from.sin6_port != Swap(ServerPort))
                continue;
            any = true;
            deadline = client.OnMessage(_receive.AsSpan(0, (int)n), Ipv6Address.FromBytes(new ReadOnlySpan<byte>(&from.sin6_addr, 16)), nowMs);
        }
        return any ? deadline : client.Step(nowMs);
    }

    private static sockaddr_in6 SockAddr(Ipv6Address address, ushort port, int scope)
    {
        sockaddr_in6 s = default;
        s.sin6_family = AF_INET6;
        s.sin6_port = Swap(port);
        s.sin6_scope_id = (uint)scope;
        address.WriteBytes(new Span<byte>(&s.sin6_addr, 16));
        return s;
    }

    private static ushort Swap(ushort value) => (ushort)(value << 8 | value >> 8);

    public void Dispose()
    {
        if (_fd >= 0)
        {
            close(_fd);
            _fd = -1;
        }
    }
}
