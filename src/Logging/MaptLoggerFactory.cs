using System;
using Microsoft.Extensions.Logging;

namespace Mapt.Logging;

/// <summary>
/// The smallest ILoggerFactory: one provider, no filters or configuration (the package that
/// brings LoggerFactory is not part of mapt). Disposing it stops the provider cleanly.
/// </summary>
internal sealed class MaptLoggerFactory : ILoggerFactory
{
    public MaptLoggerFactory(MaptLoggerProvider provider) => Provider = provider;

    public MaptLoggerProvider Provider { get; }

    public ILogger CreateLogger(string categoryName) => Provider.CreateLogger(categoryName);

    public void AddProvider(ILoggerProvider provider) =>
        throw new NotSupportedException("mapt logs through its own provider only");

    public void Dispose() => Provider.Dispose();
}
