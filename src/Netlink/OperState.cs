namespace Mapt.Netlink;

/// <summary>IFLA_OPERSTATE values (RFC 2863 ifOperStatus, linux/if.h IF_OPER_*).</summary>
public enum OperState : byte
{
    Unknown = 0, // IF_OPER_UNKNOWN
    NotPresent = 1, // IF_OPER_NOTPRESENT
    Down = 2, // IF_OPER_DOWN
    LowerLayerDown = 3, // IF_OPER_LOWERLAYERDOWN
    Testing = 4, // IF_OPER_TESTING
    Dormant = 5, // IF_OPER_DORMANT
    Up = 6, // IF_OPER_UP
}
