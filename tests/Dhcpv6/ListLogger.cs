using System;
using System.Collections.Generic;
using Microsoft.Extensions.Logging;

namespace Mapt.Tests.Dhcpv6;

/// <summary>An ILogger that keeps every line, so tests can assert what was logged and under which event id.</summary>
internal sealed class ListLogger : ILogger
{
    public sealed record Entry(int EventId, LogLevel Level, string Message);

    public List<Entry> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (Entries)
            Entries.Add(new Entry(eventId.Id, logLevel, formatter(state, exception)));
    }

    public int Count(int eventId)
    {
        lock (Entries)
            return Entries.FindAll(e => e.EventId == eventId).Count;
    }

    public override string ToString()
    {
        lock (Entries)
            return string.Join("\n", Entries.ConvertAll(e => e.EventId + " " + e.Level + " " + e.Message));
    }
}
