using Microsoft.Extensions.Logging;

namespace Mapt.Platform;

/// <summary>The Platform area's start-up lines (events 130-149): what the process runs with.</summary>
internal static partial class PlatformLog
{
    [LoggerMessage(EventId = 130, Level = LogLevel.Information, Message = "privileges: running with {Kept} only (effective, permitted and bounding sets; no_new_privs on, so no child gets more); dropped at start: {Dropped}; descriptors inherited from the starter marked close-on-exec ({How}); umask 022")]
    public static partial void Privileges(ILogger logger, string kept, string dropped, string how);

    [LoggerMessage(EventId = 131, Level = LogLevel.Warning, Message = "privileges: the bounding set could not be cut to {Kept} ({Error}: mapt was started without CAP_SETPCAP); no_new_privs still keeps every child within {Kept}")]
    public static partial void BoundingKept(ILogger logger, string kept, string error);

    [LoggerMessage(EventId = 132, Level = LogLevel.Warning, Message = "descriptors inherited from the starter could not all be marked close-on-exec ({Error}); the programs mapt starts may receive them")]
    public static partial void InheritedDescriptors(ILogger logger, string error);
}
