using Mapt.Platform;
using Microsoft.Extensions.Logging;

namespace Mapt.Logging;

/// <summary>
/// How the rest of mapt gets loggers:
/// <code>
/// using ILoggerFactory logs = MaptLogging.CreateFactory(new LoggingOptions { FlashDir = dir });
/// ILogger log = logs.CreateLogger("Mapt.Wan");
/// MaptLogging.FlushEvery(loop, logs);   // batched lines to flash every FlushIntervalMs
/// </code>
/// Disposing the factory is the clean stop (the next start's boot marker says "clean").
/// </summary>
internal static class MaptLogging
{
    /// <summary>Starts logging (flash ring opened, boot marker written) and returns the factory.</summary>
    public static MaptLoggerFactory CreateFactory(LoggingOptions options) => new(MaptLoggerProvider.Start(options));

    /// <summary>
    /// A repeating timer on the daemon's loop that writes the batched lines and fdatasyncs
    /// them: information lines reach flash at most <see cref="LoggingOptions.FlushIntervalMs"/>
    /// late, with one fdatasync per interval at most (none when nothing was logged).
    /// </summary>
    public static void FlushEvery(EventLoop loop, MaptLoggerFactory factory)
    {
        int interval = factory.Provider.Options.FlushIntervalMs;
        void Tick()
        {
            factory.Provider.Flush();
            loop.AddTimerIn(interval, Tick);
        }
        loop.AddTimerIn(interval, Tick);
    }

    /// <summary>Batched lines to flash, fdatasync'ed (also at a clean stop).</summary>
    public static void Flush(ILoggerFactory factory)
    {
        if (factory is MaptLoggerFactory mapt)
            mapt.Provider.Flush();
    }
}
