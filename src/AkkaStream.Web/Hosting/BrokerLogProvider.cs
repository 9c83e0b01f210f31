using Akka.Event;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;
using AkkaStream.Broker.Hosting;
using Microsoft.Extensions.Logging;

namespace AkkaStream.Web.Hosting;

/// <summary>
/// Sends ASP.NET Core's log lines (Kestrel's warnings, an endpoint's unhandled exception) to the
/// broker's log, so that a broker writes one log. Lines from before the broker has started are
/// dropped: the listener has nothing to report then but a failed bind, which start-up reports itself.
/// </summary>
internal sealed class BrokerLogProvider(BrokerHandle broker) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new CategoryLogger(broker, categoryName);

    public void Dispose()
    {
    }

    private sealed class CategoryLogger(BrokerHandle broker, string category) : ILogger
    {
        private AkkaLogger? _target;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => Target()?.IsEnabled(logLevel) ?? false;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Target()?.Log(logLevel, eventId, state, exception, formatter);

        private AkkaLogger? Target()
        {
            if (_target is null && broker.Node is { } node)
            {
                _target = new AkkaLogger(Logging.GetLogger(node.System, category));
            }
            return _target;
        }
    }
}
