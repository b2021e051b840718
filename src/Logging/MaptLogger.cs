using System;
using Microsoft.Extensions.Logging;

namespace Mapt.Logging;

/// <summary>A category's logger: formats the message and hands it to the provider's sinks.</summary>
internal sealed class MaptLogger : ILogger
{
    private readonly MaptLoggerProvider _provider;
    private readonly string _category;

    public MaptLogger(MaptLoggerProvider provider, string category)
    {
        _provider = provider;
        _category = category;
    }

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= _provider.MinLevel;

    // Kept tiny: every [LoggerMessage] state type instantiates this method once in the binary.
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel) && _provider.Admit(eventId.Id, state))
            _provider.Write(_category, logLevel, eventId.Id, formatter(state, exception), exception);
    }

    // Scopes are not kept: every message carries what it needs.
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
}
