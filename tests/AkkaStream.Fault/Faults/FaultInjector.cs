using AkkaStream.Fault.Processes;
using AkkaStream.Fault.Workload;
using Akka.Actor;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;

namespace AkkaStream.Fault.Faults;

public enum FaultKind
{
    LeaderKilled,
    ControllerKilled,
    BrokerPaused,
}

/// <summary>One fault as it happened: what was done to which broker, and what the cluster did about it.</summary>
/// <param name="Failover">From the kill to the first write accepted by a new leader, or to the first admin request a new controller served; null when that did not happen in time (or for a pause).</param>
/// <param name="AlsoController">A killed leader's broker also ran the controller.</param>
/// <param name="FollowedWait">
/// For a killed leader's broker: from the kill to the first acks=all write accepted by every
/// partition it only followed (their leaders lived on, but the dead follower held their writes
/// until it left their ISR); null when one took none in time, or for other faults.
/// </param>
public sealed record InjectedFault(DateTime AtUtc, string Fault, string Outcome, FaultKind Kind, TimeSpan? Failover, bool AlsoController = false,
    TimeSpan? FollowedWait = null);

/// <summary>How long the injector waits for the cluster at each step; each bound fails the run when passed, except <see cref="LeaderFailoverWait"/>.</summary>
/// <param name="LeaderFailoverWait">How long a killed leader stays down while the injector watches for a new leader, before it is restarted.</param>
/// <param name="ControllerFailoverWait">How long a new controller may take to serve admin requests.</param>
/// <param name="Join">How long a restarted broker may take to be counted live.</param>
/// <param name="Writable">How long every partition may take to accept writes again after a broker is back.</param>
/// <param name="IsrRestore">How long the injector waits for every replica to be back in its ISR before the next fault; not a failure when passed (a broker without followers never gets there), but reported.</param>
public sealed record FaultTimings(TimeSpan LeaderFailoverWait, TimeSpan ControllerFailoverWait, TimeSpan Join, TimeSpan Writable, TimeSpan IsrRestore)
{
    public static FaultTimings Default { get; } = new(TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(45), TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(30));
}

/// <summary>
/// Injects process faults into a <see cref="LocalCluster"/> while a <see cref="ProducerWorkload"/>
/// runs, and waits for the cluster to heal after each, so that faults never pile up beyond what
/// the replication factor can survive. Not thread-safe: one driver calls it.
/// </summary>
public sealed class FaultInjector
{
    private readonly LocalCluster _cluster;
    private readonly ProducerWorkload _workload;
    private readonly string _topic;
    private readonly FaultTimings _timings;
    private readonly Action<string> _log;
    private readonly List<InjectedFault> _injected = [];

    public FaultInjector(LocalCluster cluster, ProducerWorkload workload, string topic, FaultTimings timings, Action<string> log)
    {
        _cluster = cluster;
        _workload = workload;
        _topic = topic;
        _timings = timings;
        _log = log;
    }

    public IReadOnlyList<InjectedFault> Injected => _injected;

    /// <summary>
    /// kill -9 of the broker leading <paramref name="partition"/> (by default a partition the
    /// controller's broker does not lead, so that the controller stays put; leaders drift onto
    /// the brokers that stayed up, so when the controller's broker leads every partition, it is
    /// killed and the fault says so). Restarted once a new leader took an acks=all write (only a
    /// new leader can: the old one is dead), or after <see cref="FaultTimings.LeaderFailoverWait"/>.
    /// </summary>
    public async Task<InjectedFault> KillLeaderAsync(int? partition = null)
    {
        var controller = (await DescribeAsync().ConfigureAwait(false)).ControllerId;
        var target = partition ?? await PartitionToKillAsync(controller).ConfigureAwait(false);
        var leader = await LeaderOfAsync(target).ConfigureAwait(false);
        var followed = (await TopicAsync().ConfigureAwait(false)).Partitions
            .Where(p => p.Leader >= 0 && p.Leader != leader && p.Replicas.Contains(leader)).Select(p => p.Partition).ToArray();
        var killedAt = Kill(leader);
        var failover = await WaitForAckAsync(target, killedAt, _timings.LeaderFailoverWait).ConfigureAwait(false);
        var outcome = failover is { } t
            ? $"partition {target} took an acks=all write from a new leader after {t.TotalSeconds:F1} s"
            : $"partition {target} took no write for {_timings.LeaderFailoverWait.TotalSeconds:F0} s while broker {leader} was down";
        var followedWait = await WaitForAcksAsync(followed, killedAt, _timings.LeaderFailoverWait).ConfigureAwait(false);
        if (followed.Length > 0)
        {
            outcome += followedWait is { } f
                ? $"; the partitions it followed ({string.Join(",", followed)}) took one after {f.TotalSeconds:F1} s"
                : $"; a partition it followed ({string.Join(",", followed)}) took no write for {_timings.LeaderFailoverWait.TotalSeconds:F0} s";
        }
        await RestartAndHealAsync(leader).ConfigureAwait(false);
        outcome += await WaitIsrFullAsync().ConfigureAwait(false);
        var also = leader == controller ? " and the controller" : "";
        return Record(new InjectedFault(killedAt, $"kill -9 broker {leader} (leader of partition {target}{also})", outcome,
            FaultKind.LeaderKilled, failover, AlsoController: leader == controller, FollowedWait: followed.Length > 0 ? followedWait : null));
    }

    /// <summary>
    /// kill -9 of the broker running the controller; the failover is over when an admin request
    /// only the controller answers (a validate-only topic creation) succeeds. Then it is restarted.
    /// </summary>
    public async Task<InjectedFault> KillControllerBrokerAsync()
    {
        var controller = (await DescribeAsync().ConfigureAwait(false)).ControllerId;
        var killedAt = Kill(controller);
        TimeSpan? failover = null;
        while (DateTime.UtcNow < killedAt + _timings.ControllerFailoverWait)
        {
            using var attempt = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await _cluster.Client.Admin.CreateTopicAsync($"{_topic}-probe", 1, 1, validateOnly: true, cancellationToken: attempt.Token).ConfigureAwait(false);
                failover = DateTime.UtcNow - killedAt;
                break;
            }
            catch (Exception e) when (e is AkkaStreamException or OperationCanceledException or TimeoutException or AskTimeoutException)
            {
                await Task.Delay(20).ConfigureAwait(false);
            }
        }
        if (failover is null)
        {
            throw new TimeoutException($"no controller served admin requests within {_timings.ControllerFailoverWait} after broker {controller} was killed");
        }
        var successor = (await DescribeAsync().ConfigureAwait(false)).ControllerId;
        var outcome = $"broker {successor}'s controller served an admin request after {failover.Value.TotalSeconds:F1} s";
        await RestartAndHealAsync(controller).ConfigureAwait(false);
        outcome += await WaitIsrFullAsync().ConfigureAwait(false);
        return Record(new InjectedFault(killedAt, $"kill -9 broker {controller} (the controller)", outcome, FaultKind.ControllerKilled, failover));
    }

    /// <summary>
    /// SIGSTOP of a broker that is neither the controller nor <paramref name="avoidLeaderOf"/>'s
    /// leader, for <paramref name="duration"/>, then SIGCONT. If the cluster downed it meanwhile
    /// (the process then exits), it is started again.
    /// </summary>
    public async Task<InjectedFault> PauseFollowerAsync(int avoidLeaderOf, TimeSpan duration)
    {
        var controller = (await DescribeAsync().ConfigureAwait(false)).ControllerId;
        var leader = await LeaderOfAsync(avoidLeaderOf).ConfigureAwait(false);
        var broker = _cluster.Brokers.FirstOrDefault(b => b.BrokerId != controller && b.BrokerId != leader)
            ?? _cluster.Brokers.First(b => b.BrokerId != controller);
        var pausedAt = DateTime.UtcNow;
        broker.Pause();
        _log($"paused broker {broker.BrokerId} for {duration.TotalSeconds:F0} s");
        await Task.Delay(duration).ConfigureAwait(false);
        broker.Resume();
        // A downed broker's process ends by itself shortly after it can run again.
        await Task.Delay(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        string outcome;
        if (broker.State == BrokerProcessState.Stopped)
        {
            outcome = "the cluster downed it; restarted";
            await RestartAndHealAsync(broker.BrokerId).ConfigureAwait(false);
        }
        else
        {
            outcome = "it rejoined without a restart";
            await _cluster.WaitJoinedAsync(_timings.Join).ConfigureAwait(false);
            await WaitAllWritableAsync(DateTime.UtcNow).ConfigureAwait(false);
        }
        outcome += await WaitIsrFullAsync().ConfigureAwait(false);
        return Record(new InjectedFault(pausedAt, $"SIGSTOP broker {broker.BrokerId} for {duration.TotalSeconds:F0} s", outcome, FaultKind.BrokerPaused, null));
    }

    /// <summary>Waits until every partition has acknowledged a write after <paramref name="sinceUtc"/>.</summary>
    public async Task WaitAllWritableAsync(DateTime sinceUtc)
    {
        var deadline = DateTime.UtcNow + _timings.Writable;
        var partitions = (await TopicAsync().ConfigureAwait(false)).Partitions.Select(p => p.Partition).ToList();
        while (partitions.Any(p => !(_workload.Acks.LastAckUtc(p) > sinceUtc)))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"partitions [{string.Join(",", partitions.Where(p => !(_workload.Acks.LastAckUtc(p) > sinceUtc)))}] took no write within {_timings.Writable}");
            }
            await Task.Delay(100).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Waits until every partition's ISR holds all its replicas again, so that the next fault
    /// never takes out the last in-sync copy: the run tests what the replication factor
    /// promises, not what lies beyond it.
    /// </summary>
    public async Task<string> WaitIsrFullAsync()
    {
        var started = DateTime.UtcNow;
        IReadOnlyList<PartitionMetadata> partitions = [];
        while (DateTime.UtcNow < started + _timings.IsrRestore)
        {
            partitions = (await TopicAsync().ConfigureAwait(false)).Partitions;
            if (partitions.All(p => p.Isr.Count == p.Replicas.Count)) return $"; every ISR full again after {(DateTime.UtcNow - started).TotalSeconds:F1} s";
            await Task.Delay(200).ConfigureAwait(false);
        }
        return $"; ISR still short after {_timings.IsrRestore.TotalSeconds:F0} s: " +
            string.Join(", ", partitions.Where(p => p.Isr.Count < p.Replicas.Count).Select(p => $"partition {p.Partition} [{string.Join(",", p.Isr)}] of [{string.Join(",", p.Replicas)}]"));
    }

    private DateTime Kill(int brokerId)
    {
        _cluster.Broker(brokerId).Kill();
        _log($"killed broker {brokerId}");
        return DateTime.UtcNow;
    }

    private async Task RestartAndHealAsync(int brokerId)
    {
        var restartedAt = DateTime.UtcNow;
        await _cluster.RestartAsync(brokerId, _timings.Join).ConfigureAwait(false);
        _log($"broker {brokerId} is back after {(DateTime.UtcNow - restartedAt).TotalSeconds:F1} s");
        await WaitAllWritableAsync(DateTime.UtcNow).ConfigureAwait(false);
    }

    /// <summary>How long after <paramref name="sinceUtc"/> the partition acknowledged a write, or null if not within <paramref name="within"/>.</summary>
    private async Task<TimeSpan?> WaitForAckAsync(int partition, DateTime sinceUtc, TimeSpan within)
    {
        while (DateTime.UtcNow < sinceUtc + within)
        {
            if (_workload.Acks.LastAckUtc(partition) is { } last && last > sinceUtc) return last - sinceUtc;
            await Task.Delay(50).ConfigureAwait(false);
        }
        return null;
    }

    /// <summary>The longest of <see cref="WaitForAckAsync"/> over <paramref name="partitions"/>; null when one took no write in time.</summary>
    private async Task<TimeSpan?> WaitForAcksAsync(IEnumerable<int> partitions, DateTime sinceUtc, TimeSpan within)
    {
        var longest = TimeSpan.Zero;
        foreach (var partition in partitions)
        {
            if (await WaitForAckAsync(partition, sinceUtc, within).ConfigureAwait(false) is not { } waited) return null;
            if (waited > longest) longest = waited;
        }
        return longest;
    }

    private async Task<int> LeaderOfAsync(int partition)
    {
        var deadline = DateTime.UtcNow + _timings.Writable;
        while (true)
        {
            var leader = (await TopicAsync().ConfigureAwait(false)).Partitions.Single(p => p.Partition == partition).Leader;
            if (leader >= 0) return leader;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"partition {partition} has no leader");
            await Task.Delay(200).ConfigureAwait(false);
        }
    }

    private async Task<TopicMetadata> TopicAsync() =>
        (await _cluster.Client.Admin.DescribeTopicsAsync([_topic]).ConfigureAwait(false)).Single();

    private async Task<DescribeClusterResponse> DescribeAsync() =>
        await _cluster.DescribeAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false)
        ?? throw new TimeoutException("no broker answered DescribeCluster");

    private InjectedFault Record(InjectedFault fault)
    {
        _injected.Add(fault);
        _log($"{fault.Fault}: {fault.Outcome}");
        return fault;
    }

    private async Task<int> PartitionToKillAsync(int controller)
    {
        var partitions = (await TopicAsync().ConfigureAwait(false)).Partitions.Where(p => p.Leader >= 0).ToList();
        return (partitions.FirstOrDefault(p => p.Leader != controller) ?? partitions.FirstOrDefault()
            ?? throw new TimeoutException($"no partition of {_topic} has a leader")).Partition;
    }
}
