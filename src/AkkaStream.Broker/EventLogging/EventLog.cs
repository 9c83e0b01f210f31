using Akka.Event;
using Microsoft.Extensions.Logging;

namespace AkkaStream.Broker.EventLogging;

/// <summary>
/// Writes <see cref="EventLine"/>s of one broker to Akka's logging (actors) or to a
/// Microsoft.Extensions.Logging logger (the log manager, the Kafka listener), which on a broker
/// ends in the same place (see <c>AkkaLogger</c>). Thread-safe, as both loggers are.
/// </summary>
public sealed class EventLog
{
    private readonly int _broker;
    private readonly Action<bool, string> _write;

    public EventLog(ILoggingAdapter log, int broker)
    {
        _broker = broker;
        _write = (warning, line) =>
        {
            if (warning) log.Warning("{0}", line);
            else log.Info("{0}", line);
        };
    }

    public EventLog(Microsoft.Extensions.Logging.ILogger logger, int broker)
    {
        _broker = broker;
        _write = (warning, line) =>
        {
            if (warning) logger.LogWarning("{Event}", line);
            else logger.LogInformation("{Event}", line);
        };
    }

    public int Broker => _broker;

    public void Write(EventLine line) => _write(line.IsWarning, line.Render(_broker));
}
