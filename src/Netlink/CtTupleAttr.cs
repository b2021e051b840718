namespace Mapt.Netlink;

/// <summary>Attributes inside a ctnetlink tuple and its nests (linux/netfilter/nfnetlink_conntrack.h).</summary>
internal enum CtTupleAttr : ushort
{
    // enum ctattr_tuple
    Ip = 1, // CTA_TUPLE_IP
    Proto = 2, // CTA_TUPLE_PROTO
    Zone = 3, // CTA_TUPLE_ZONE

    // enum ctattr_ip, inside CTA_TUPLE_IP
    V4Src = 1, // CTA_IP_V4_SRC
    V4Dst = 2, // CTA_IP_V4_DST
    V6Src = 3, // CTA_IP_V6_SRC
    V6Dst = 4, // CTA_IP_V6_DST

    // enum ctattr_l4proto, inside CTA_TUPLE_PROTO
    ProtoNum = 1, // CTA_PROTO_NUM: u8 IPPROTO_*
    SrcPort = 2, // CTA_PROTO_SRC_PORT: be16
    DstPort = 3, // CTA_PROTO_DST_PORT: be16
    IcmpId = 4, // CTA_PROTO_ICMP_ID: be16
    IcmpType = 5, // CTA_PROTO_ICMP_TYPE
    IcmpCode = 6, // CTA_PROTO_ICMP_CODE
    Icmpv6Id = 7, // CTA_PROTO_ICMPV6_ID: be16
}
