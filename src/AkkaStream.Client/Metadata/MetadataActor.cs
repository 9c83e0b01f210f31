using Akka.Actor;
using Akka.Event;
using AkkaStream.Client.Configuration;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;

namespace AkkaStream.Client.Metadata;

/// <summary>
/// Owns the client's view of the cluster: asks a gateway for <see cref="MetadataRequest"/> — the
/// brokers it already knows first, then the bootstrap list, moving on when one does not answer —
/// at start, every <c>metadata-max-age</c>, and on <see cref="Refresh"/>. Every answer becomes a
/// <see cref="ClusterSnapshot"/> pushed to subscribers (producers, consumers) and given to waiters.
/// One request at a time: refreshes asked for while one is out are served by its answer.
/// </summary>
public sealed class MetadataActor : ReceiveActor, IWithTimers
{
    /// <summary>Sends the current snapshot (when there is one) and every later one to <paramref name="Subscriber"/>.</summary>
    public sealed record Subscribe(IActorRef Subscriber);

    public sealed record Unsubscribe(IActorRef Subscriber);

    /// <summary>
    /// Replies with a <see cref="ClusterSnapshot"/>: the current one, or with <paramref name="Fresh"/>
    /// the next one received; a <see cref="Status.Failure"/> when no gateway answers in time.
    /// </summary>
    public sealed record GetSnapshot(bool Fresh = false);

    /// <summary>Asks for new metadata now (an error said the current one is stale).</summary>
    public sealed record Refresh
    {
        public static readonly Refresh Instance = new();
    }

    /// <summary>
    /// Names topics the client needs but the metadata lacks: a gateway is asked for them by name,
    /// which is what lets a broker with <c>auto-create-topics</c> create them (Kafka's producer does
    /// the same). Its answer is not kept; the next full refresh shows the topics once they exist.
    /// </summary>
    public sealed record RequestTopics(IReadOnlyList<string> Topics);

    private sealed record Answered(MetadataResponse Response);

    private sealed record Failed(string Gateway, Exception Cause);

    private sealed record RetryRequest
    {
        public static readonly RetryRequest Instance = new();
    }

    private sealed record Waiter(IActorRef ReplyTo, DateTime Deadline);

    private sealed record ExpireWaiters
    {
        public static readonly ExpireWaiters Instance = new();
    }

    /// <summary>A gateway that does not answer within this is passed over for the next one.</summary>
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(3);

    private readonly ClientSettings _settings;
    private readonly IReadOnlyList<string> _bootstrap;
    private readonly HashSet<IActorRef> _subscribers = [];
    private readonly List<Waiter> _waiters = [];
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private ClusterSnapshot? _snapshot;
    private bool _requesting;
    private int _nextCandidate;
    private int _failuresInRow;

    public MetadataActor(ClientSettings settings)
    {
        _settings = settings;
        _bootstrap = settings.BootstrapGatewayPaths();
        Receive<Subscribe>(m =>
        {
            if (_subscribers.Add(m.Subscriber))
            {
                Context.Watch(m.Subscriber);
            }
            if (_snapshot is not null)
            {
                m.Subscriber.Tell(_snapshot);
            }
        });
        // Block bodies on purpose: an expression lambda returning HashSet.Remove's bool would pick
        // the Func<T, bool> overload, and a subscriber already removed would make Terminated
        // unhandled, which kills this actor with a DeathPactException and loses every subscriber.
        Receive<Unsubscribe>(m =>
        {
            if (_subscribers.Remove(m.Subscriber))
            {
                Context.Unwatch(m.Subscriber);
            }
        });
        Receive<Terminated>(m =>
        {
            _subscribers.Remove(m.ActorRef);
        });
        Receive<GetSnapshot>(m =>
        {
            if (!m.Fresh && _snapshot is not null)
            {
                Sender.Tell(_snapshot);
                return;
            }
            _waiters.Add(new Waiter(Sender, DateTime.UtcNow + settings.RequestTimeout));
            Timers.StartSingleTimer(ExpireWaiters.Instance, ExpireWaiters.Instance, settings.RequestTimeout);
            RequestNow();
        });
        Receive<Refresh>(_ => RequestNow());
        Receive<RequestTopics>(m =>
        {
            var candidates = Candidates();
            var gateway = candidates[_nextCandidate % candidates.Count];
            Context.ActorSelection(gateway).Tell(new MetadataRequest(m.Topics), Self);
        });
        // The answer to a RequestTopics: the full refresh that follows it carries what matters.
        Receive<MetadataResponse>(_ => { });
        Receive<RetryRequest>(_ => RequestNow());
        Receive<Answered>(m => OnAnswer(m.Response));
        Receive<Failed>(m =>
        {
            _requesting = false;
            _failuresInRow++;
            _log.Warning("Gateway {0} did not give metadata: {1}", m.Gateway, m.Cause.Message);
            Timers.StartSingleTimer(RetryRequest.Instance, RetryRequest.Instance, settings.BackoffFor(_failuresInRow));
        });
        Receive<ExpireWaiters>(_ => FailExpiredWaiters());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ClientSettings settings) => Akka.Actor.Props.Create(() => new MetadataActor(settings));

    protected override void PreStart() => RequestNow();

    private void RequestNow()
    {
        if (_requesting)
        {
            return;
        }
        var candidates = Candidates();
        var gateway = candidates[_nextCandidate++ % candidates.Count];
        _requesting = true;
        var timeout = _settings.RequestTimeout < AttemptTimeout ? _settings.RequestTimeout : AttemptTimeout;
        Context.ActorSelection(gateway)
            .Ask<MetadataResponse>(MetadataRequest.AllTopics, timeout)
            .PipeTo(Self, success: r => new Answered(r), failure: e => new Failed(gateway, e));
    }

    /// <summary>Known brokers first (they are the live cluster), then the bootstrap list.</summary>
    private List<string> Candidates()
    {
        var result = new List<string>();
        if (_snapshot is not null)
        {
            foreach (var broker in _snapshot.Brokers)
            {
                result.Add(broker.GatewayPath);
            }
        }
        foreach (var path in _bootstrap)
        {
            if (!result.Contains(path))
            {
                result.Add(path);
            }
        }
        return result;
    }

    private void OnAnswer(MetadataResponse response)
    {
        _requesting = false;
        _failuresInRow = 0;
        _nextCandidate = 0;
        _snapshot = new ClusterSnapshot(response, (_snapshot?.Generation ?? 0) + 1);
        foreach (var subscriber in _subscribers)
        {
            subscriber.Tell(_snapshot);
        }
        foreach (var waiter in _waiters)
        {
            waiter.ReplyTo.Tell(_snapshot);
        }
        _waiters.Clear();
        Timers.StartSingleTimer(RetryRequest.Instance, RetryRequest.Instance, _settings.MetadataMaxAge);
    }

    private void FailExpiredWaiters()
    {
        var now = DateTime.UtcNow;
        _waiters.RemoveAll(w =>
        {
            if (w.Deadline > now)
            {
                return false;
            }
            w.ReplyTo.Tell(new Status.Failure(new AkkaStreamException(
                ErrorCode.RequestTimedOut, $"no broker gave metadata within {_settings.RequestTimeout} (tried {string.Join(", ", Candidates())})")));
            return true;
        });
        if (_waiters.Count > 0)
        {
            Timers.StartSingleTimer(ExpireWaiters.Instance, ExpireWaiters.Instance, _waiters.Min(w => w.Deadline) - now);
        }
    }
}
