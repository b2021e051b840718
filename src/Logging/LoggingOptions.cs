using System;
using Microsoft.Extensions.Logging;

namespace Mapt.Logging;

/// <summary>
/// Where and how much mapt logs. Defaults: the console at Information, the flash log ring at
/// Information in 4 segments of 64 KiB (256 KiB in all), lines batched up to 4 KiB (one
/// flash page) between writes; the run ring in 4 segments of 8 KiB (32 KiB); lines rate
/// limited (<see cref="LogRateLimit"/>).
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

    /// <summary>
    /// The run ring (run.N): the lines that explain a run, about 150 of them at ~200 bytes (a
    /// start, its state changes and applies, and a stop take 10-15), so the last ten or so starts
    /// survive any flood of other lines, kept after a rotation too (3 of the 4 segments stay).
    /// </summary>
    public int RunSegmentBytes { get; set; } = 8 * 1024;
    public int RunSegmentCount { get; set; } = 4;

    /// <summary>
    /// Lines per event id (and sender) limited by <see cref="LogRateLimit"/>. Off only where a
    /// flood of one event is the point: the ring's own tests, the bench, the test hook.
    /// </summary>
    public bool RateLimited { get; set; } = true;

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
        if (RunSegmentCount < 2 || RunSegmentCount > FlashSegment.MaxSlots)
            throw new ArgumentOutOfRangeException(nameof(RunSegmentCount), RunSegmentCount, "2 to 64 segments");
        if (RunSegmentBytes < 4 * FlashLine.MaxBytes)
            throw new ArgumentOutOfRangeException(nameof(RunSegmentBytes), RunSegmentBytes, "at least 4 KiB per segment");
    }
}
