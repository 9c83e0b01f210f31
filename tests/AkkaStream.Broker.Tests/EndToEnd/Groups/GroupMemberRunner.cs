using System.Collections.Concurrent;
using AkkaStream.Broker.Hosting;
using AkkaStream.Client;
using AkkaStream.Client.Groups;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;

namespace AkkaStream.Broker.Tests.EndToEnd.Groups;

/// <summary>
/// One member of a consumer group as an application runs it: its own client ActorSystem, a poll loop
/// that processes each batch and then commits it, a rebalance listener that commits before giving
/// partitions up, and a log of what it saw. <see cref="KillAsync"/> crashes it (the ActorSystem
/// terminates; no commit, no leave).
/// </summary>
public sealed class GroupMemberRunner : IGroupRebalanceListener, IAsyncDisposable
{
    public sealed record Event(DateTime At, string Kind, IReadOnlyList<TopicPartition> Partitions);

    public sealed record Processed(string Member, TopicPartition Partition, long Offset, string Value);

    public sealed record Committed(string Member, TopicPartition Partition, long Offset);

    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<Processed>? _processed;
    private readonly ConcurrentQueue<Committed>? _commits;
    private readonly AkkaStreamClient _client;
    private Task _loop = Task.CompletedTask;
    private volatile IReadOnlyCollection<TopicPartition> _assignment = [];
    private volatile bool _killed;

    private GroupMemberRunner(string name, AkkaStreamClient client, ConcurrentQueue<Processed>? processed, ConcurrentQueue<Committed>? commits)
    {
        Name = name;
        CommitEveryBatches = 1;
        _client = client;
        _processed = processed;
        _commits = commits;
    }

    public string Name { get; }

    /// <summary>The poll loop commits after every this many batches (it always commits before partitions are revoked).</summary>
    public int CommitEveryBatches { get; set; }

    public AkkaStreamGroupConsumer Consumer { get; private set; } = null!;

    public ConcurrentQueue<Event> Events { get; } = new();

    /// <summary>The partitions the member owns, as of its last poll.</summary>
    public IReadOnlyCollection<TopicPartition> Assignment => _assignment;

    /// <summary>Unexpected errors of the poll loop (commits refused during a rebalance are expected and not kept).</summary>
    public ConcurrentQueue<Exception> Failures { get; } = new();

    public static GroupMemberRunner Start(
        string name, IEnumerable<BrokerNode> nodes, string group, string topic,
        ConcurrentQueue<Processed>? processed = null, ConcurrentQueue<Committed>? commits = null, params string[] config)
    {
        var runner = new GroupMemberRunner(name, ClientFor.Create(nodes, config), processed, commits);
        runner.Consumer = runner._client.CreateGroupConsumer(group, listener: runner);
        runner.Consumer.Subscribe([topic]);
        runner._loop = Task.Run(runner.RunAsync);
        return runner;
    }

    private async Task RunAsync()
    {
        var batches = 0;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var records = await Consumer.PollAsync(TimeSpan.FromMilliseconds(200), _stop.Token);
                _assignment = Consumer.Assignment;
                foreach (var r in records)
                {
                    _processed?.Enqueue(new Processed(Name, r.TopicPartition, r.Offset, System.Text.Encoding.UTF8.GetString(r.Value!)));
                }
                if (records.Count > 0 && _commits is not null && ++batches % CommitEveryBatches == 0)
                {
                    await CommitAsync(_stop.Token);
                }
            }
            catch (Exception) when (_killed || _stop.IsCancellationRequested)
            {
                return;
            }
            catch (AkkaStreamException e) when (e.Code is ErrorCode.RebalanceInProgress or ErrorCode.IllegalGeneration)
            {
                // The group is rebalancing; these positions are committed with the next commit or before a revocation.
            }
            catch (Exception e)
            {
                Failures.Enqueue(e);
            }
        }
    }

    private async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        var committed = await Consumer.CommitAsync(cancellationToken: cancellationToken);
        foreach (var (tp, offset) in committed)
        {
            _commits!.Enqueue(new Committed(Name, tp, offset));
        }
    }

    public async Task OnPartitionsAssignedAsync(IReadOnlyList<TopicPartition> partitions)
    {
        Events.Enqueue(new Event(DateTime.UtcNow, "assigned", partitions));
        await Task.CompletedTask;
    }

    public async Task OnPartitionsRevokedAsync(IReadOnlyList<TopicPartition> partitions)
    {
        Events.Enqueue(new Event(DateTime.UtcNow, "revoked", partitions));
        if (_commits is not null && !_killed)
        {
            try
            {
                await CommitAsync();
            }
            catch (AkkaStreamException e) when (e.Code is ErrorCode.RebalanceInProgress or ErrorCode.IllegalGeneration)
            {
                Failures.Enqueue(e);
            }
        }
    }

    public Task OnPartitionsLostAsync(IReadOnlyList<TopicPartition> partitions)
    {
        Events.Enqueue(new Event(DateTime.UtcNow, "lost", partitions));
        return Task.CompletedTask;
    }

    /// <summary>Crashes the member: its ActorSystem terminates with no commit and no LeaveGroup.</summary>
    public async Task KillAsync()
    {
        _killed = true;
        Events.Enqueue(new Event(DateTime.UtcNow, "killed", _assignment.ToList()));
        await _stop.CancelAsync();
        await _client.System.Terminate();
    }

    /// <summary>Stops polling and closes the consumer cleanly (commit, leave), then the client.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop.WaitAsync(TimeSpan.FromSeconds(30));
        if (!_killed)
        {
            await Consumer.DisposeAsync();
            Events.Enqueue(new Event(DateTime.UtcNow, "closed", []));
        }
        await _client.DisposeAsync();
    }
}
