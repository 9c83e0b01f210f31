using Akka.Event;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;
using Microsoft.Extensions.Logging;

namespace AkkaStream.Broker.Hosting;

/// <summary>Passes the storage layer's (and the Kafka listener's) log lines to the ActorSystem's logging. Thread-safe, as Akka's adapter is.</summary>
public sealed class AkkaLogger(ILoggingAdapter log) : Microsoft.Extensions.Logging.ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel switch
    {
        LogLevel.Trace or LogLevel.Debug => log.IsDebugEnabled,
        LogLevel.Information => log.IsInfoEnabled,
        LogLevel.Warning => log.IsWarningEnabled,
        LogLevel.None => false,
        _ => log.IsErrorEnabled,
    };

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }
        var message = formatter(state, exception);
        switch (logLevel)
        {
            case LogLevel.Trace or LogLevel.Debug: log.Debug("{0}", message); break;
            case LogLevel.Information: log.Info("{0}", message); break;
            case LogLevel.Warning: log.Warning(exception, "{0}", message); break;
            default: log.Error(exception, "{0}", message); break;
        }
    }
}
