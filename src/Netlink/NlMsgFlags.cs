using System;

namespace Mapt.Netlink;

/// <summary>nlmsg_flags (linux/netlink.h). The 0x100..0x800 bits mean different things for GET, NEW and ACK messages.</summary>
[Flags]
internal enum NlMsgFlags : ushort
{
    None = 0,
    Request = 0x1, // NLM_F_REQUEST
    Multi = 0x2, // NLM_F_MULTI
    Ack = 0x4, // NLM_F_ACK
    Echo = 0x8, // NLM_F_ECHO
    DumpIntr = 0x10, // NLM_F_DUMP_INTR: the table changed during the dump
    DumpFiltered = 0x20, // NLM_F_DUMP_FILTERED

    // GET requests
    Root = 0x100, // NLM_F_ROOT
    Match = 0x200, // NLM_F_MATCH
    Dump = Root | Match, // NLM_F_DUMP

    // NEW requests
    Replace = 0x100, // NLM_F_REPLACE
    Excl = 0x200, // NLM_F_EXCL
    Create = 0x400, // NLM_F_CREATE
    Append = 0x800, // NLM_F_APPEND

    // NLMSG_ERROR acknowledgements
    Capped = 0x100, // NLM_F_CAPPED: the request payload was not echoed
    AckTlvs = 0x200, // NLM_F_ACK_TLVS: extended-ack attributes follow
}
