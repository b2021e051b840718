using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Mapt.Logging;

/// <summary>
/// mapt's ILoggerProvider: every event rate limited (<see cref="LogRateLimit"/>), formatted
/// once as a flash line, then sent to the console (stderr, compact: time, level, event id,
/// category, message) and to flash, each with its own minimum level. On flash a line goes by
/// its <see cref="LogLineKind"/>: the lines that explain a run to the run ring, synced at once;
/// the others to the log ring, warnings of the daemon's own synced at once, lines caused by
/// the network never on their own. A flash that cannot be written is reported once on the
/// console and logging goes on there; nothing here throws into the daemon.
/// Single-threaded, like the daemon: call it from the event loop only.
/// </summary>
internal sealed class MaptLoggerProvider : ILoggerProvider
{
    private const int StderrFd = 2;
    private readonly LogLevel _consoleLevel;
    private readonly LogLevel _flashLevel;
    private readonly LogCapture? _capture;
    private readonly ILogger _self;
    private readonly LogRateLimit? _limit;
    private readonly List<LogRateLimit.Suppression> _due = new();
    private FlashRing? _flash;
    private FlashRing? _runs;
    private long _lastMicros;
    private bool _disposed;

    /// <summary>This start's id: on every flash line and in the crash line.</summary>
    public string BootId { get; }
    public PreviousExit PreviousExit { get; private set; } = PreviousExit.None;
    /// <summary>The log ring (log.N): every line but the run lines, and the crash line.</summary>
    public FlashRing? Flash => _flash;
    /// <summary>The run ring (run.N): the lines that explain a run.</summary>
    public FlashRing? Runs => _runs;
    public LoggingOptions Options { get; }
    internal LogLevel MinLevel { get; private set; }

    private MaptLoggerProvider(LoggingOptions options, string bootId)
    {
        Options = options;
        BootId = bootId;
        _consoleLevel = options.ConsoleLevel;
        _flashLevel = options.FlashLevel;
        _capture = options.Capture;
        _limit = options.RateLimited ? new LogRateLimit() : null;
        _self = CreateLogger("Mapt.Logging");
        UpdateMinLevel();
    }

    /// <summary>
    /// Opens the two flash rings (when <see cref="LoggingOptions.FlashDir"/> is set), registers
    /// the log ring's current segment with the crash handler, and writes this start's boot
    /// marker in the run ring (fdatasync'ed: --boot -1 must find it even after a power loss).
    /// </summary>
    public static MaptLoggerProvider Start(LoggingOptions options)
    {
        options.Validate();
        var provider = new MaptLoggerProvider(options, NewBootId());
        string flashText = "off (console only)";
        if (options.FlashDir is { Length: > 0 } dir)
        {
            // Judged before this start adds lines: the last line of the newest boot, both rings read.
            provider.PreviousExit = FlashLogContents.Read(dir).LastExit();
            bool cutTail = provider.OpenFlash(dir, out int errno);
            provider.UpdateMinLevel();
            if (provider._flash is null)
                LoggingLog.FlashUnavailable(provider._self, dir, FlashFiles.ErrnoText(errno));
            else
                flashText = dir + " (" + options.SegmentCount.ToString() + " x " + (options.SegmentBytes / 1024).ToString()
                    + " KiB, runs " + options.RunSegmentCount.ToString() + " x " + (options.RunSegmentBytes / 1024).ToString() + " KiB)";
            if (cutTail)
                LoggingLog.TornTailCut(provider._self, dir);
        }
        LoggingLog.BootMarker(provider._self, options.Version, provider.BootId, KernelBootId(), provider.PreviousExit.ToString(), flashText);
        provider.Flush();
        return provider;
    }

    /// <summary>Both rings, or neither: a run ring that cannot be opened gives the flash up as a whole. True when a torn tail was cut.</summary>
    private bool OpenFlash(string dir, out int errno)
    {
        _flash = FlashRing.Open(dir, FlashStore.Log(Options), BootId, OnFlashFailure, out bool cutLog, out errno);
        if (_flash is null)
            return false;
        _runs = FlashRing.Open(dir, FlashStore.Runs(Options), BootId, OnFlashFailure, out bool cutRuns, out errno);
        if (_runs is null)
        {
            _flash.Abandon();
            _flash = null;
            return false;
        }
        return cutLog || cutRuns;
    }

    public ILogger CreateLogger(string categoryName) => new MaptLogger(this, categoryName);

    /// <summary>
    /// Writes the counts of lines suppressed for a minute or more (event 820), then the batched
    /// lines to flash, and fdatasyncs them; the daemon calls it after each batch of events
    /// (and <see cref="MaptLogging.FlushEvery"/> every <see cref="LoggingOptions.FlushIntervalMs"/>).
    /// </summary>
    public void Flush()
    {
        WriteSuppressed(all: false);
        _runs?.Flush();
        _flash?.Flush();
    }

    /// <summary>A clean stop: the counts still owed, the stop line (previous exit "clean" at the next start), flushed, the segments closed.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        WriteSuppressed(all: true);
        LoggingLog.CleanStop(_self, BootId);
        _disposed = true;
        _runs?.Dispose();
        _runs = null;
        _flash?.Dispose();
        _flash = null;
        UpdateMinLevel();
    }

    /// <summary>
    /// Whether a line of <paramref name="eventId"/> may be written now (<see cref="LogRateLimit"/>);
    /// <paramref name="state"/> is the line's [LoggerMessage] state, whose fields name the sender
    /// of a network line. Run lines and the summaries themselves always pass.
    /// </summary>
    internal bool Admit(int eventId, object? state)
    {
        if (_limit is null || eventId == LoggingEventIds.LinesSuppressed)
            return true;
        LogLineKind kind = LogLineKinds.Of(eventId);
        if (kind == LogLineKind.Run)
            return true;
        string? source = kind == LogLineKind.Network ? SourceOf(state) : null;
        bool admitted = _limit.Admit(eventId, source, NowMs(), out LogRateLimit.Suppression? summary);
        if (summary is { } s)
            WriteSuppressed(s);
        return admitted;
    }

    private static string? SourceOf(object? state)
    {
        if (state is not IReadOnlyList<KeyValuePair<string, object?>> fields)
            return null;
        foreach (string name in LogLineKinds.SourceFields)
            for (int i = 0; i < fields.Count; i++)
                if (fields[i].Key == name)
                    return fields[i].Value?.ToString() ?? "";
        return null;
    }

    private void WriteSuppressed(bool all)
    {
        if (_limit is null)
            return;
        _due.Clear();
        _limit.TakeDue(NowMs(), all, _due);
        foreach (LogRateLimit.Suppression s in _due)
            WriteSuppressed(s);
    }

    private void WriteSuppressed(LogRateLimit.Suppression s)
    {
        long seconds = Math.Max(1, (NowMs() - s.SinceMs + 999) / 1000);
        LoggingLog.LinesSuppressed(_self, s.Count.ToString(), s.EventId.ToString(), s.Source is null ? "" : " from " + s.Source,
            seconds.ToString(), LogRateLimit.Burst.ToString(), (LogRateLimit.RefillMs / 1000).ToString());
    }

    private static long NowMs() => Stopwatch.GetTimestamp() / (Stopwatch.Frequency / 1000);

    internal void Write(string category, LogLevel level, int eventId, string message, Exception? exception)
    {
        if (exception is not null)
            message = message + " | exception: " + exception.Message;
        Span<byte> line = stackalloc byte[FlashLine.MaxBytes];
        // Strictly increasing: MONO alone orders a boot's lines across the two rings.
        long micros = Math.Max(Stopwatch.GetTimestamp() / (Stopwatch.Frequency / 1_000_000), _lastMicros + 1);
        _lastMicros = micros;
        int length = FlashLine.Format(line, DateTime.UtcNow, micros, BootId, level, eventId, category, message);
        line = line.Slice(0, length);
        _capture?.Lines.Add(Encoding.UTF8.GetString(line.Slice(0, length - 1)));
        if (level >= _consoleLevel)
            WriteConsole(line);
        if (_flash is not null && level >= _flashLevel)
        {
            LogLineKind kind = LogLineKinds.Of(eventId);
            if (kind == LogLineKind.Run)
                _runs!.Append(line, durable: true);
            else
                _flash.Append(line, durable: kind == LogLineKind.Daemon && level >= LogLevel.Warning);
        }
    }

    /// <summary>The console's compact form: the flash line without the monotonic time and boot id.</summary>
    private static void WriteConsole(ReadOnlySpan<byte> line)
    {
        int cut = FlashLine.TimeLength + 1;
        ReadOnlySpan<byte> rest = line.Slice(cut);
        for (int field = 0; field < 2; field++)
        {
            int space = rest.IndexOf((byte)' ');
            rest = rest.Slice(space + 1);
        }
        Span<byte> compact = stackalloc byte[FlashLine.MaxBytes];
        line.Slice(0, cut).CopyTo(compact);
        rest.CopyTo(compact.Slice(cut));
        FlashFiles.WriteAll(StderrFd, compact.Slice(0, cut + rest.Length));
    }

    private void OnFlashFailure(int errno)
    {
        string dir = Options.FlashDir ?? "";
        // One flash: whichever ring failed, the other is given up too, and it is reported once.
        FlashRing? log = _flash, runs = _runs;
        _flash = null;
        _runs = null;
        log?.Abandon();
        runs?.Abandon();
        UpdateMinLevel();
        LoggingLog.FlashWriteFailed(_self, dir, FlashFiles.ErrnoText(errno));
    }

    private void UpdateMinLevel()
    {
        LogLevel min = _consoleLevel;
        if (_flash is not null && _flashLevel < min)
            min = _flashLevel;
        if (_capture is not null)
            min = LogLevel.Trace;
        MinLevel = min;
    }

    /// <summary>8 hex digits from the kernel's random UUID: unique enough among the starts one ring holds.</summary>
    private static string NewBootId()
    {
        string? uuid = ReadFirstLine("/proc/sys/kernel/random/uuid");
        if (uuid is { Length: >= 8 })
            return uuid.Substring(0, 8);
        long mix = Stopwatch.GetTimestamp() ^ ((long)Environment.ProcessId << 32);
        return ((uint)(mix ^ (mix >> 32))).ToString("x8");
    }

    /// <summary>The kernel's boot id (first 8 digits): tells a daemon restart from a gateway reboot.</summary>
    private static string KernelBootId()
    {
        string? id = ReadFirstLine("/proc/sys/kernel/random/boot_id");
        return id is { Length: >= 8 } ? id.Substring(0, 8) : "unknown";
    }

    private static string? ReadFirstLine(string path)
    {
        byte[]? bytes = FlashFiles.ReadAll(path);
        if (bytes is null)
            return null;
        int end = Array.IndexOf(bytes, (byte)'\n');
        return Encoding.ASCII.GetString(bytes, 0, end < 0 ? bytes.Length : end);
    }
}
