using System;
using Microsoft.Extensions.Logging;

namespace Mapt.Logging;

/// <summary>
/// Where and how much mapt logs. Defaults: the console at Information, the flash ring at
/// Information in 4 segments of 64 KiB (256 KiB in all), lines batched up to 4 KiB (one
/// flash page) between writes.
/// </summary>
internal sealed class LoggingOptions
{
    // One default for every verb: mapt run writes where mapt log, teardown and probe look.
    public const string DefaultFlashDir = "/var/lib/mapt";

    /// <summary>The flash directory; null logs to the console only.</summary>
    public string? FlashDir { get; set; }
    public LogLevel ConsoleLevel { get; set; } = LogLevel.Information;
    public LogLevel FlashLevel { get; set; } = LogLevel.Information;
    public int SegmentBytes { get; set; } = 64 * 1024;
    public int SegmentCount { get; set; } = 4;
    public int BatchBytes { get; set; } = 4096;

    /// <summary>How often the daemon's event loop should call <see cref="MaptLoggerProvider.Flush"/>: info lines reach flash at most this late.</summary>
    public int FlushIntervalMs { get; set; } = 5000;

    /// <summary>The program version the boot marker names.</summary>
    public string Version { get; set; } = BuildInfo.Version + " (commit " + BuildInfo.Commit + ")";

    /// <summary>Set by tests: a sink that sees every line either sink would.</summary>
    public LogCapture? Capture { get; set; }

    public void Validate()
    {
        if (SegmentCount < 2 || SegmentCount > FlashSegment.MaxSlots)
            throw new ArgumentOutOfRangeException(nameof(SegmentCount), SegmentCount, "2 to 64 segments");
        if (SegmentBytes < 4 * FlashLine.MaxBytes)
            throw new ArgumentOutOfRangeException(nameof(SegmentBytes), SegmentBytes, "at least 4 KiB per segment");
        if (BatchBytes < 0 || BatchBytes > SegmentBytes / 2)
            throw new ArgumentOutOfRangeException(nameof(BatchBytes), BatchBytes, "0 to half a segment");
    }
}
