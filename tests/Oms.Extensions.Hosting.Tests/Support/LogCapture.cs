using System.Collections.Concurrent;

namespace Oms.Extensions.Hosting.Tests.Support;

/// <summary>One log event as a sink would see it: every part a formatter could print.</summary>
public sealed record CapturedLog(string Category, LogLevel Level, EventId EventId, string Message, string State, string? Exception)
{
    /// <summary>Everything of the event as text: what a secret must appear in none of.</summary>
    public string AllText => $"{Category} {EventId} {Message} {State} {Exception}";
}

/// <summary>A logger provider that keeps every event, with its structured state and its exception, for assertions.</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _logs = new();

    public IReadOnlyList<CapturedLog> Logs => [.. _logs];

    /// <summary>The events with <paramref name="eventId"/>.</summary>
    public IReadOnlyList<CapturedLog> WithId(int eventId) => Logs.Where(log => log.EventId.Id == eventId).ToList();

    /// <summary>True when some event holds <paramref name="text"/> anywhere (message, state values, exception).</summary>
    public bool Contains(string text) => Logs.Any(log => log.AllText.Contains(text, StringComparison.Ordinal));

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _logs);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<CapturedLog> logs) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(", ", pairs.Select(pair => $"{pair.Key}={pair.Value}")) : $"{state}";
            logs.Enqueue(new CapturedLog(category, logLevel, eventId, formatter(state, exception), values, exception?.ToString()));
        }
    }
}
