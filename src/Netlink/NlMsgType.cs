namespace Mapt.Netlink;

/// <summary>nlmsg_type values: the netlink control messages (linux/netlink.h) and rtnetlink (linux/rtnetlink.h).</summary>
internal enum NlMsgType : ushort
{
    Noop = 1, // NLMSG_NOOP
    Error = 2, // NLMSG_ERROR
    Done = 3, // NLMSG_DONE
    Overrun = 4, // NLMSG_OVERRUN

    NewLink = 16, // RTM_NEWLINK
    DelLink = 17, // RTM_DELLINK
    GetLink = 18, // RTM_GETLINK
    SetLink = 19, // RTM_SETLINK
    NewAddr = 20, // RTM_NEWADDR
    DelAddr = 21, // RTM_DELADDR
    GetAddr = 22, // RTM_GETADDR
    NewRoute = 24, // RTM_NEWROUTE
    DelRoute = 25, // RTM_DELROUTE
    GetRoute = 26, // RTM_GETROUTE
}
