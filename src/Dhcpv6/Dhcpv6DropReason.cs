namespace Mapt.Dhcpv6;

/// <summary>
/// Why the client dropped a datagram from port 547: what anyone on the WAN link can send, so
/// each is a counter (<see cref="Dhcpv6Client.Dropped"/>, shown by `mapt status`) and at most a
/// Debug line, never a warning on flash per datagram. The names are stable: status output and
/// field tools use them.
/// </summary>
public enum Dhcpv6DropReason
{
    /// <summary>Does not parse (RFC 8415 section 16.1: discarded).</summary>
    Malformed,
    /// <summary>Parses, but its MAP-T container (option 95, RFC 7598) is refused.</summary>
    MaptRejected,
    /// <summary>Arrived while no exchange is in progress (nothing was asked).</summary>
    Unsolicited,
    /// <summary>Not the type the exchange in progress waits for (a Reply while soliciting, a client's own message, ...).</summary>
    UnexpectedType,
    /// <summary>A Reconfigure: mapt negotiates no reconfigure key, so it discards them (section 18.2.11).</summary>
    ReconfigureRefused,
    /// <summary>Another transaction id than the exchange in progress (section 16.10).</summary>
    WrongTransactionId,
    /// <summary>No Client Identifier, or another client's DUID (section 16.10).</summary>
    WrongClientId,
    /// <summary>No Server Identifier (section 16.3, 16.10).</summary>
    MissingServerId,
    /// <summary>From another server than the one the exchange is with (Request, Renew, Release).</summary>
    WrongServerId,
}

/// <summary>The reasons' stable names and count.</summary>
public static class Dhcpv6DropReasons
{
    public const int Count = 9;

    public static string Name(Dhcpv6DropReason reason) => reason switch
    {
        Dhcpv6DropReason.Malformed => "Malformed",
        Dhcpv6DropReason.MaptRejected => "MaptRejected",
        Dhcpv6DropReason.Unsolicited => "Unsolicited",
        Dhcpv6DropReason.UnexpectedType => "UnexpectedType",
        Dhcpv6DropReason.ReconfigureRefused => "ReconfigureRefused",
        Dhcpv6DropReason.WrongTransactionId => "WrongTransactionId",
        Dhcpv6DropReason.WrongClientId => "WrongClientId",
        Dhcpv6DropReason.MissingServerId => "MissingServerId",
        _ => "WrongServerId",
    };
}
