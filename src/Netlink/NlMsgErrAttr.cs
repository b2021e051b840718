namespace Mapt.Netlink;

/// <summary>Extended-ack attributes after an NLMSG_ERROR (enum nlmsgerr_attrs, linux/netlink.h).</summary>
internal enum NlMsgErrAttr : ushort
{
    Msg = 1, // NLMSGERR_ATTR_MSG: NUL-terminated text
    Offset = 2, // NLMSGERR_ATTR_OFFS: u32 offset of the offending attribute in the request
    Cookie = 3, // NLMSGERR_ATTR_COOKIE
    Policy = 4, // NLMSGERR_ATTR_POLICY
    MissingType = 5, // NLMSGERR_ATTR_MISS_TYPE
    MissingNest = 6, // NLMSGERR_ATTR_MISS_NEST
}
