namespace Mapt.Logging;

/// <summary>
/// What a log line is for decides where it is kept, when it is synced and whether it is rate
/// limited (docs/notes/logging.md, "Floods"). Keyed by event id in <see cref="LogLineKinds"/>.
/// </summary>
internal enum LogLineKind
{
    /// <summary>
    /// Everything else: the log ring, warnings and worse fdatasync'ed at once, information
    /// batched; at most <see cref="LogRateLimit.Burst"/> lines per event id, then one per
    /// <see cref="LogRateLimit.RefillMs"/>.
    /// </summary>
    Daemon,

    /// <summary>
    /// Explains a run (start, state changes, applies and teardowns, the journal, the stop):
    /// kept in the run ring, out of reach of the log ring's churn, fdatasync'ed at once, never
    /// rate limited (each one follows an action of the daemon, whose rate the WAN machine bounds).
    /// </summary>
    Run,

    /// <summary>
    /// Caused by what arrives from the network (a DHCPv6 message dropped or refused): the log
    /// ring, never synced on its own whatever its level (the timer flush syncs it), rate
    /// limited per event id and per sender (<see cref="LogRateLimit.SourcesPerEvent"/>).
    /// </summary>
    Network,
}

/// <summary>The one table of which event is which kind (README "Event ids" lists the events).</summary>
internal static class LogLineKinds
{
    /// <summary>
    /// The message fields that name the sender of a <see cref="LogLineKind.Network"/> line:
    /// its rate limit is kept per value of the first of them the line has.
    /// </summary>
    public static readonly string[] SourceFields = { "Source", "Server" };

    public static LogLineKind Of(int eventId) => eventId switch
    {
        // Logging: boot marker, flash unusable, clean stop, flash failed later, torn tail cut.
        >= LoggingEventIds.BootMarker and <= LoggingEventIds.TornTailCut => LogLineKind.Run,
        LoggingEventIds.Crash => LogLineKind.Run,
        // DHCPv6: the client started.
        300 => LogLineKind.Run,
        // DHCPv6 from the wire: dropped (303), malformed (304), MAP-T container refused (305),
        // a server's status code (312), SOL_MAX_RT/INF_MAX_RT set by a server (316).
        303 or 304 or 305 or 312 or 316 => LogLineKind.Network,
        // Wan: state changes (600), start (601), the journal (602-605), apply and its failure
        // (606, 607), teardown (608), reload and its refusal (612, 613), unusable MAP content
        // (615), stop (616), static rule (618), fatal (621).
        >= 600 and <= 608 => LogLineKind.Run,
        612 or 613 or 615 or 616 or 618 or 621 => LogLineKind.Run,
        _ => LogLineKind.Daemon,
    };
}
