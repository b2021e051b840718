using Microsoft.Extensions.Logging;

namespace Mapt.Logging;

/// <summary>
/// How the rest of mapt gets loggers:
/// <code>
/// using ILoggerFactory logs = MaptLogging.CreateFactory(new LoggingOptions { FlashDir = dir });
/// ILogger log = logs.CreateLogger("Mapt.Wan");
/// loop.AddTimer(..., () => MaptLogging.Flush(logs));   // every FlushIntervalMs
/// </code>
/// Disposing the factory is the clean stop (the next start's boot marker says "clean").
/// </summary>
internal static class MaptLogging
{
    /// <summary>Starts logging (flash ring opened, boot marker written) and returns the factory.</summary>
    public static MaptLoggerFactory CreateFactory(LoggingOptions options) => new(MaptLoggerProvider.Start(options));

    /// <summary>Batched lines to flash, fdatasync'ed; for the event loop's timer.</summary>
    public static void Flush(ILoggerFactory factory)
    {
        if (factory is MaptLoggerFactory mapt)
            mapt.Provider.Flush();
    }
}
