namespace Mapt.Logging;

/// <summary>
/// One ring of segment files in the flash directory: its file names (PREFIX.0 .. PREFIX.N-1)
/// and its size. mapt keeps two (docs/notes/logging.md, "Two rings"): the log ring (log.N)
/// with every line and the crash line, and the run ring (run.N) with only the lines that
/// explain a run (<see cref="LogLineKind.Run"/>), so no flood of other lines can evict them.
/// </summary>
internal sealed class FlashStore
{
    public const string LogPrefix = "log";
    public const string RunPrefix = "run";

    public string Prefix { get; }
    public int SegmentBytes { get; }
    public int SegmentCount { get; }
    /// <summary>Lines gathered before a write; 0 writes every line at once.</summary>
    public int BatchBytes { get; }
    /// <summary>The current segment is where the native shim writes the crash line.</summary>
    public bool HoldsCrashLine { get; }

    private FlashStore(string prefix, int segmentBytes, int segmentCount, int batchBytes, bool holdsCrashLine)
    {
        Prefix = prefix;
        SegmentBytes = segmentBytes;
        SegmentCount = segmentCount;
        BatchBytes = batchBytes;
        HoldsCrashLine = holdsCrashLine;
    }

    public static FlashStore Log(LoggingOptions options) =>
        new(LogPrefix, options.SegmentBytes, options.SegmentCount, options.BatchBytes, holdsCrashLine: true);

    /// <summary>Every run line is synced at once, so there is nothing to batch.</summary>
    public static FlashStore Runs(LoggingOptions options) =>
        new(RunPrefix, options.RunSegmentBytes, options.RunSegmentCount, 0, holdsCrashLine: false);
}
