using Akka.Persistence;

namespace AkkaStream.Broker.Metrics;

/// <summary>
/// A persistent actor whose journal writes are timed (<see cref="JournalMetrics"/>): its
/// <c>Persist</c>, <c>PersistAll</c> and <c>PersistAsync</c> hide the base ones, so that every
/// write of the controller, a partition or a group is measured from the call to its persisted
/// callback without each call site saying so.
/// </summary>
public abstract class TimedPersistentActor : ReceivePersistentActor
{
    /// <summary>Where this actor's writes are recorded.</summary>
    protected abstract JournalWriter JournalTimes { get; }

    protected new void Persist<TEvent>(TEvent @event, Action<TEvent> handler)
    {
        var started = JournalTimes.Started();
        base.Persist(@event, e =>
        {
            JournalTimes.Persisted(started);
            handler(e);
        });
    }

    protected new void PersistAll<TEvent>(IEnumerable<TEvent> events, Action<TEvent> handler)
    {
        var started = JournalTimes.Started();
        base.PersistAll(events, e =>
        {
            JournalTimes.Persisted(started);
            handler(e);
        });
    }

    protected new void PersistAsync<TEvent>(TEvent @event, Action<TEvent> handler)
    {
        var started = JournalTimes.Started();
        base.PersistAsync(@event, e =>
        {
            JournalTimes.Persisted(started);
            handler(e);
        });
    }
}
