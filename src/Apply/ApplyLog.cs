using Microsoft.Extensions.Logging;

namespace Mapt.Apply;

/// <summary>Apply's log messages; event ids 500-599 are Provisioning/Apply's (stable, documented in docs/notes/provisioning.md).</summary>
internal static partial class ApplyLog
{
    [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "nat46: wrote '{Command}' to {Path}; read back matches")]
    public static partial void Nat46Written(ILogger logger, string command, string path);

    [LoggerMessage(EventId = 501, Level = LogLevel.Error, Message = "nat46: after '{Command}' the control file {Path} does not hold what was meant: {Difference}. Meant pairs: {Meant}. Read back: {ReadBack}. The step is treated as failed")]
    public static partial void Nat46Mismatch(ILogger logger, string command, string path, string difference, string meant, string readBack);

    [LoggerMessage(EventId = 502, Level = LogLevel.Information, Message = "{Program} --noflush: applied {Lines} line(s) in {Milliseconds} ms")]
    public static partial void RestoreApplied(ILogger logger, string program, int lines, long milliseconds);

    [LoggerMessage(EventId = 503, Level = LogLevel.Error, Message = "{Program} --noflush failed ({How}): {Stderr}; the restore is atomic, so none of this change was applied")]
    public static partial void RestoreFailed(ILogger logger, string program, string how, string stderr);

    [LoggerMessage(EventId = 504, Level = LogLevel.Information, Message = "{Family} teardown: no mapt chain or jump installed, nothing to remove")]
    public static partial void NothingInstalled(ILogger logger, string family);

    [LoggerMessage(EventId = 505, Level = LogLevel.Error, Message = "nat46: cannot write '{Command}' to {Path}: {Reason}; the step is treated as failed")]
    public static partial void Nat46WriteFailed(ILogger logger, string command, string path, string reason);

    [LoggerMessage(EventId = 506, Level = LogLevel.Information, Message = "nat46: device {Device} in {Path} already holds the planned rule pairs; nothing written")]
    public static partial void Nat46AlreadyConfigured(ILogger logger, string device, string path);

    [LoggerMessage(EventId = 508, Level = LogLevel.Information, Message = "nat46: device {Device} in {Path} holds the same FMR pairs and another BMR/DMR pair; editing that pair in place with 'config' (the device and its routes stay)")]
    public static partial void Nat46EditInPlace(ILogger logger, string device, string path);
}
