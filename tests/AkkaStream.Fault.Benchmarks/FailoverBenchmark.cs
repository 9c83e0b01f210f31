using AkkaStream.Fault.Processes;
using AkkaStream.Fault.Workload;
using AkkaStream.Records.Errors;

namespace AkkaStream.Fault.Benchmarks;

/// <summary>One kill and how long the cluster took to serve again; null when it did not within the give-up time.</summary>
/// <param name="AlsoController">The killed leader's broker also ran the controller, so the time includes the controller's failover.</param>
internal sealed record FailoverSample(string Killed, TimeSpan? Took, bool AlsoController = false);

/// <summary>
/// Times failovers on a running <see cref="LocalCluster"/>. Every time is measured from the
/// moment kill -9 returned; after each kill the broker is started again and the cluster healed
/// before the next one, so every sample starts from three live brokers.
/// </summary>
internal sealed class FailoverBenchmark(LocalCluster cluster, ProducerWorkload workload, string topic, FailoverOptions options)
{
    private static readonly TimeSpan Join = TimeSpan.FromSeconds(90);

    /// <summary>
    /// Kills the leader of a partition the controller's broker does not lead (so the controller
    /// stays put) and waits for that partition to acknowledge an acks=all write: only a new
    /// leader can, the old one being dead. Leaders drift onto the brokers that stayed up (nothing
    /// moves them back yet); when the controller's broker leads every partition, that one is
    /// killed and the sample is marked.
    /// </summary>
    public async Task<FailoverSample> KillLeaderAsync()
    {
        var controller = await ControllerAsync();
        var metadata = (await cluster.Client.Admin.DescribeTopicsAsync([topic])).Single();
        var partition = metadata.Partitions.FirstOrDefault(p => p.Leader >= 0 && p.Leader != controller)
            ?? metadata.Partitions.First(p => p.Leader >= 0);
        cluster.Broker(partition.Leader).Kill();
        var killedAt = DateTime.UtcNow;
        TimeSpan? took = null;
        while (DateTime.UtcNow < killedAt + options.GiveUpAfter)
        {
            if (workload.Acks.LastAckUtc(partition.Partition) is { } last && last > killedAt)
            {
                took = last - killedAt;
                break;
            }
            await Task.Delay(20);
        }
        await HealAsync(partition.Leader);
        var alsoController = partition.Leader == controller;
        return new FailoverSample($"broker {partition.Leader}, leader of partition {partition.Partition}{(alsoController ? " and the controller" : "")}", took, alsoController);
    }

    /// <summary>Kills the controller's broker and waits until an admin request (a validate-only topic creation, which only the controller answers) succeeds.</summary>
    public async Task<FailoverSample> KillControllerAsync()
    {
        var controller = await ControllerAsync();
        cluster.Broker(controller).Kill();
        var killedAt = DateTime.UtcNow;
        TimeSpan? took = null;
        while (DateTime.UtcNow < killedAt + options.GiveUpAfter)
        {
            using var attempt = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await cluster.Client.Admin.CreateTopicAsync("failover-probe", 1, 1, validateOnly: true, cancellationToken: attempt.Token);
                took = DateTime.UtcNow - killedAt;
                break;
            }
            catch (Exception e) when (e is AkkaStreamException or OperationCanceledException or TimeoutException)
            {
                await Task.Delay(20);
            }
        }
        await HealAsync(controller);
        return new FailoverSample($"broker {controller}, the controller", took);
    }

    private async Task<int> ControllerAsync() =>
        (await cluster.DescribeAsync(TimeSpan.FromSeconds(10)))?.ControllerId is >= 0 and var id
            ? id
            : throw new TimeoutException("no controller");

    /// <summary>Starts the killed broker again and waits until every partition takes writes.</summary>
    private async Task HealAsync(int brokerId)
    {
        await cluster.RestartAsync(brokerId, Join);
        var since = DateTime.UtcNow;
        var deadline = since + Join;
        var partitions = (await cluster.Client.Admin.DescribeTopicsAsync([topic])).Single().Partitions.Select(p => p.Partition).ToList();
        while (partitions.Any(p => !(workload.Acks.LastAckUtc(p) > since)))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the partitions did not take writes again after the restart");
            await Task.Delay(100);
        }
    }
}
