using Microsoft.Extensions.Logging;

namespace Mapt.Logging;

/// <summary>The logging area's own messages (event ids 800-899, <see cref="LoggingEventIds"/>).</summary>
internal static partial class LoggingLog
{
    [LoggerMessage(EventId = LoggingEventIds.BootMarker, Level = LogLevel.Information,
        Message = "mapt {Version} started: boot {BootId}, kernel boot {KernelBoot}, previous run {PreviousExit}; flash log {FlashLog}")]
    public static partial void BootMarker(ILogger logger, string version, string bootId, string kernelBoot, string previousExit, string flashLog);

    [LoggerMessage(EventId = LoggingEventIds.FlashUnavailable, Level = LogLevel.Warning,
        Message = "flash log directory {Directory} cannot be written ({Error}); logging to the console only, mapt goes on")]
    public static partial void FlashUnavailable(ILogger logger, string directory, string error);

    [LoggerMessage(EventId = LoggingEventIds.CleanStop, Level = LogLevel.Information,
        Message = "mapt stopping cleanly (boot {BootId}); log lines flushed")]
    public static partial void CleanStop(ILogger logger, string bootId);

    [LoggerMessage(EventId = LoggingEventIds.FlashWriteFailed, Level = LogLevel.Warning,
        Message = "writing the flash log in {Directory} failed ({Error}); flash logging is off until mapt restarts, the console goes on")]
    public static partial void FlashWriteFailed(ILogger logger, string directory, string error);

    [LoggerMessage(EventId = LoggingEventIds.TornTailCut, Level = LogLevel.Information,
        Message = "the newest flash log segment in {Directory} ended in a torn line (power lost while writing); the torn part was cut off")]
    public static partial void TornTailCut(ILogger logger, string directory);

    [LoggerMessage(EventId = LoggingEventIds.LinesSuppressed, Level = LogLevel.Information,
        Message = "suppressed {Count} similar line(s) of event {EventId}{From} in the last {Seconds} s (at most {Burst} at once, then one every {Every} s)")]
    public static partial void LinesSuppressed(ILogger logger, string count, string eventId, string from, string seconds, string burst, string every);

    [LoggerMessage(EventId = LoggingEventIds.TestHookFlood, Level = LogLevel.Information,
        Message = "test hook: information line {Number}, written on request to fill the flash log")]
    public static partial void TestHookFlood(ILogger logger, int number);

    [LoggerMessage(EventId = LoggingEventIds.TestHookLine, Level = LogLevel.Error,
        Message = "test hook: error line written on request ({Text})")]
    public static partial void TestHookLine(ILogger logger, string text);
}
