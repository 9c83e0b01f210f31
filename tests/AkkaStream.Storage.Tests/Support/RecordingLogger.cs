using Microsoft.Extensions.Logging;

namespace AkkaStream.Storage.Tests.Support;

/// <summary>An <see cref="ILogger"/> that keeps every message, for asserting on what was reported. Thread-safe.</summary>
public sealed class RecordingLogger : ILogger
{
    private readonly List<LogEntry> _entries = [];

    public IReadOnlyList<LogEntry> Entries
    {
        get
        {
            lock (_entries)
                return [.. _entries];
        }
    }

    /// <summary>The messages logged at <paramref name="level"/> or above.</summary>
    public IReadOnlyList<string> MessagesAtOrAbove(LogLevel level) =>
        Entries.Where(e => e.Level >= level).Select(e => e.Message).ToList();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_entries)
            _entries.Add(new LogEntry(logLevel, formatter(state, exception), exception));
    }

    public sealed record LogEntry(LogLevel Level, string Message, Exception? Exception);
}
