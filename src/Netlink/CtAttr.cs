namespace Mapt.Netlink;

/// <summary>Top-level ctnetlink attributes (enum ctattr_type, linux/netfilter/nfnetlink_conntrack.h).</summary>
internal enum CtAttr : ushort
{
    TupleOrig = 1, // CTA_TUPLE_ORIG
    TupleReply = 2, // CTA_TUPLE_REPLY
    Status = 3, // CTA_STATUS: be32 IPS_*
    Timeout = 7, // CTA_TIMEOUT
    Mark = 8, // CTA_MARK
    Id = 12, // CTA_ID: be32, tells a recreated entry with the same tuple apart
    Zone = 18, // CTA_ZONE: be16
}
