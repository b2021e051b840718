using System;
using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Mapt.Logging;

/// <summary>
/// mapt's ILoggerProvider: every event formatted once as a flash line, then sent to the
/// console (stderr, compact: time, level, event id, category, message) and to the flash ring,
/// each with its own minimum level. A flash that cannot be written is reported once on the
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
    private FlashRing? _flash;
    private bool _disposed;

    /// <summary>This start's id: on every flash line and in the crash line.</summary>
    public string BootId { get; }
    public PreviousExit PreviousExit { get; private set; } = PreviousExit.None;
    public FlashRing? Flash => _flash;
    public LoggingOptions Options { get; }
    internal LogLevel MinLevel { get; private set; }

    private MaptLoggerProvider(LoggingOptions options, string bootId)
    {
        Options = options;
        BootId = bootId;
        _consoleLevel = options.ConsoleLevel;
        _flashLevel = options.FlashLevel;
        _capture = options.Capture;
        _self = CreateLogger("Mapt.Logging");
        UpdateMinLevel();
    }

    /// <summary>
    /// Opens the flash ring (when <see cref="LoggingOptions.FlashDir"/> is set), registers the
    /// current segment with the crash handler, and writes this start's boot marker there
    /// (fdatasync'ed: --boot -1 must find it even after a power loss).
    /// </summary>
    public static MaptLoggerProvider Start(LoggingOptions options)
    {
        options.Validate();
        var provider = new MaptLoggerProvider(options, NewBootId());
        string flashText = "off (console only)";
        if (options.FlashDir is { Length: > 0 } dir)
        {
            provider._flash = FlashRing.Open(options, provider.BootId, provider.OnFlashFailure,
                out PreviousExit previous, out bool cutTail, out int errno);
            provider.PreviousExit = previous;
            provider.UpdateMinLevel();
            if (provider._flash is null)
                LoggingLog.FlashUnavailable(provider._self, dir, FlashFiles.ErrnoText(errno));
            else
                flashText = dir + " (" + options.SegmentCount.ToString() + " x " + (options.SegmentBytes / 1024).ToString() + " KiB)";
            if (cutTail)
                LoggingLog.TornTailCut(provider._self, dir);
        }
        LoggingLog.BootMarker(provider._self, options.Version, provider.BootId, KernelBootId(), provider.PreviousExit.ToString(), flashText);
        provider.Flush();
        return provider;
    }

    public ILogger CreateLogger(string categoryName) => new MaptLogger(this, categoryName);

    /// <summary>Writes batched lines to flash and fdatasyncs them; the daemon calls it every <see cref="LoggingOptions.FlushIntervalMs"/>.</summary>
    public void Flush() => _flash?.Flush();

    /// <summary>A clean stop: the stop line (previous exit "clean" at the next start), flushed, the segment closed.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        LoggingLog.CleanStop(_self, BootId);
        _disposed = true;
        _flash?.Dispose();
        _flash = null;
        UpdateMinLevel();
    }

    internal void Write(string category, LogLevel level, int eventId, string message, Exception? exception)
    {
        if (exception is not null)
            message = message + " | exception: " + exception.Message;
        Span<byte> line = stackalloc byte[FlashLine.MaxBytes];
        long micros = Stopwatch.GetTimestamp() / (Stopwatch.Frequency / 1_000_000);
        int length = FlashLine.Format(line, DateTime.UtcNow, micros, BootId, level, eventId, category, message);
        line = line.Slice(0, length);
        _capture?.Lines.Add(Encoding.UTF8.GetString(line.Slice(0, length - 1)));
        if (level >= _consoleLevel)
            WriteConsole(line);
        if (_flash is not null && level >= _flashLevel)
            _flash.Append(line, durable: level >= LogLevel.Warning);
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
        string dir = _flash?.Directory ?? Options.FlashDir ?? "";
        _flash = null;
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
