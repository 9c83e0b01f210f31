using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using AkkaStream.Broker.Hosting;

namespace AkkaStream.Groups.Benchmarks;

/// <summary>
/// What the cluster journal itself sustains on this machine, in this run: one persistent actor per
/// writer on the brokers' SQLite settings, each persisting small events one after the other — awaited
/// (<c>Persist</c>, the next event only after the last is written) and not awaited
/// (<c>PersistAsync</c>). The commit rate is read against these.
/// </summary>
public static class JournalReference
{
    public sealed record Rates(double AwaitedPerSecond, double AsyncPerSecond);

    public static async Task<Rates> MeasureAsync(string directory, int writers, TimeSpan duration)
    {
        var path = Path.Combine(directory, "journal-reference.db");
        SqliteJournal.EnsureWal(path, TimeSpan.FromSeconds(10));
        var config = ConfigurationFactory.ParseString("akka.loglevel = WARNING")
            .WithFallback(ConfigurationFactory.ParseString(SqliteJournal.Hocon(path, TimeSpan.FromSeconds(10))));
        using var system = ActorSystem.Create("journal-reference", config);
        var awaited = await RunAsync(system, "awaited", writers, duration, awaitEach: true);
        var async = await RunAsync(system, "async", writers, duration, awaitEach: false);
        await system.Terminate();
        return new Rates(awaited, async);
    }

    private static async Task<double> RunAsync(ActorSystem system, string name, int writers, TimeSpan duration, bool awaitEach)
    {
        var actors = Enumerable.Range(0, writers)
            .Select(i => system.ActorOf(Props.Create(() => new Writer($"{name}-{i}", awaitEach)), $"{name}-{i}")).ToArray();
        // A first event per writer, so that the table and connections exist before the clock starts.
        await Task.WhenAll(actors.Select(a => a.Ask<long>(new Writer.WriteFor(TimeSpan.Zero), TimeSpan.FromMinutes(1))));
        var counts = await Task.WhenAll(actors.Select(a => a.Ask<long>(new Writer.WriteFor(duration), duration + TimeSpan.FromMinutes(1))));
        return counts.Sum() / duration.TotalSeconds;
    }

    /// <summary>Persists events until its time is up, then answers how many were written.</summary>
    private sealed class Writer : ReceivePersistentActor
    {
        public sealed record WriteFor(TimeSpan Duration);

        private sealed record Next;

        private IActorRef _replyTo = ActorRefs.Nobody;
        private DateTime _until;
        private long _written;
        private long _pending;

        public Writer(string persistenceId, bool awaitEach)
        {
            PersistenceId = persistenceId;
            Recover<long>(_ => { });
            Command<WriteFor>(w =>
            {
                (_replyTo, _until, _written, _pending) = (Sender, DateTime.UtcNow + w.Duration, 0, 0);
                Self.Tell(new Next());
            });
            Command<Next>(_ =>
            {
                if (awaitEach)
                {
                    Persist(_written, _ => Written(awaitEach));
                    return;
                }
                // One event per message, up to a window in flight, as a coordinator with many commits waiting has.
                PersistAsync(_written + _pending, _ => Written(awaitEach));
                if (++_pending < 64) Self.Tell(new Next());
            });
        }

        public override string PersistenceId { get; }

        private void Written(bool awaitEach)
        {
            _written++;
            if (!awaitEach) _pending--;
            if (DateTime.UtcNow < _until)
            {
                if (awaitEach || _pending == 0) Self.Tell(new Next());
                return;
            }
            if (awaitEach || _pending == 0)
            {
                _replyTo.Tell(_written);
                _replyTo = ActorRefs.Nobody;
            }
        }
    }
}
