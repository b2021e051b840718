using System;

namespace Mapt.Netlink;

/// <summary>Address flags (IFA_F_*, linux/if_addr.h).</summary>
[Flags]
public enum AddressFlags : uint
{
    None = 0,
    Secondary = 0x1, // IFA_F_SECONDARY (IPv6: IFA_F_TEMPORARY)
    NoDad = 0x2, // IFA_F_NODAD
    Optimistic = 0x4, // IFA_F_OPTIMISTIC
    DadFailed = 0x8, // IFA_F_DADFAILED: RFC 4862 section 5.4.5, never usable
    HomeAddress = 0x10, // IFA_F_HOMEADDRESS
    Deprecated = 0x20, // IFA_F_DEPRECATED: preferred lifetime over (RFC 4862 section 5.5.4)
    Tentative = 0x40, // IFA_F_TENTATIVE: DAD still running, not yet usable as a source
    Permanent = 0x80, // IFA_F_PERMANENT
    ManageTempAddr = 0x100, // IFA_F_MANAGETEMPADDR
    NoPrefixRoute = 0x200, // IFA_F_NOPREFIXROUTE
    McAutoJoin = 0x400, // IFA_F_MCAUTOJOIN
    StablePrivacy = 0x800, // IFA_F_STABLE_PRIVACY
}
