using System.Runtime.InteropServices;

namespace Mapt.Netlink;

/// <summary>struct sockaddr_nl (linux/netlink.h), which Tmds.LibC does not define.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct SockaddrNl
{
    public ushort Family; // nl_family: AF_NETLINK
    public ushort Pad; // nl_pad
    public uint PortId; // nl_pid: 0 is the kernel
    public uint Groups; // nl_groups: legacy 32-group bitmask (mapt joins groups with NETLINK_ADD_MEMBERSHIP instead)
}
