using AkkaStream.Fault.Processes;
using AkkaStream.Fault.Workload;
using AkkaStream.Protocol.Messages;

namespace AkkaStream.Fault.Faults;

/// <summary>One fault as it happened: what was done to which broker, and what the cluster did about it.</summary>
public sealed record InjectedFault(DateTime AtUtc, string Fault, string Outcome);

/// <summary>How long the injector waits for the cluster at each step; each bound fails the run when passed, except <see cref="LeaderFailoverWait"/>.</summary>
/// <param name="LeaderFailoverWait">How long a killed leader stays down while the injector watches for a new leader, before it is restarted.</param>
/// <param name="ControllerFailoverWait">How long a new controller may take to serve admin requests.</param>
/// <param name="Join">How long a restarted broker may take to be counted live.</param>
/// <param name="Writable">How long every partition may take to accept writes again after a broker is back.</param>
public sealed record FaultTimings(TimeSpan LeaderFailoverWait, TimeSpan ControllerFailoverWait, TimeSpan Join, TimeSpan Writable)
{
    public static FaultTimings Default { get; } = new(TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(45), TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(60));
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

    /// <summary>kill -9 of the broker leading <paramref name="partition"/>; restarted once a new leader took writes, or after <see cref="FaultTimings.LeaderFailoverWait"/>.</summary>
    public async Task KillLeaderAsync(int partition)
    {
        var leader = await LeaderOfAsync(partition).ConfigureAwait(false);
        var killedAt = Kill(leader);
        var failover = await WaitForAckAsync(partition, killedAt, _timings.LeaderFailoverWait).ConfigureAwait(false);
        var outcome = failover is { } t
            ? $"partition {partition} took an acks=all write from a new leader after {t.TotalSeconds:F1} s"
            : $"partition {partition} took no write for {_timings.LeaderFailoverWait.TotalSeconds:F0} s while broker {leader} was down";
        await RestartAndHealAsync(leader).ConfigureAwait(false);
        Record(killedAt, $"kill -9 broker {leader} (leader of partition {partition})", outcome);
    }

    /// <summary>kill -9 of the broker running the controller; restarted once another broker's controller answers.</summary>
    public async Task KillControllerBrokerAsync()
    {
        var controller = (await DescribeAsync().ConfigureAwait(false)).ControllerId;
        var killedAt = Kill(controller);
        var deadline = killedAt + _timings.ControllerFailoverWait;
        DescribeClusterResponse? seen = null;
        while (DateTime.UtcNow < deadline)
        {
            seen = await _cluster.DescribeAsync(TimeSpan.FromSeconds(3)).ConfigureAwait(false);
            if (seen is { ControllerId: >= 0 } && seen.ControllerId != controller) break;
            await Task.Delay(100).ConfigureAwait(false);
        }
        if (seen is not { ControllerId: >= 0 } || seen.ControllerId == controller)
        {
            throw new TimeoutException($"no new controller within {_timings.ControllerFailoverWait} after broker {controller} was killed");
        }
        var outcome = $"broker {seen.ControllerId} became controller after {(DateTime.UtcNow - killedAt).TotalSeconds:F1} s";
        await RestartAndHealAsync(controller).ConfigureAwait(false);
        Record(killedAt, $"kill -9 broker {controller} (the controller)", outcome);
    }

    /// <summary>
    /// SIGSTOP of a broker that is neither the controller nor <paramref name="avoidLeaderOf"/>'s
    /// leader, for <paramref name="duration"/>, then SIGCONT. If the cluster downed it meanwhile
    /// (the process then exits), it is started again.
    /// </summary>
    public async Task PauseFollowerAsync(int avoidLeaderOf, TimeSpan duration)
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
        Record(pausedAt, $"SIGSTOP broker {broker.BrokerId} for {duration.TotalSeconds:F0} s", outcome);
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

    private void Record(DateTime at, string fault, string outcome)
    {
        _injected.Add(new InjectedFault(at, fault, outcome));
        _log($"{fault}: {outcome}");
    }
}
