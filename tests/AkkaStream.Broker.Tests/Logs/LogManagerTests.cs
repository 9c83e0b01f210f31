using AkkaStream.Broker.Logs;
using AkkaStream.Broker.Metadata;
using AkkaStream.Broker.Tests.Support;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;
using AkkaStream.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace AkkaStream.Broker.Tests.Logs;

public sealed class LogManagerTests : IDisposable
{
    private static readonly Dictionary<string, string> NoConfigs = [];
    private readonly TempDir _dir = new();
    private readonly TopicPartition _tp = new("orders", 0);

    public void Dispose() => _dir.Dispose();

    private LogManager Open() => LogManager.Open(_dir.Path, LogConfig.Default, null, TimeSpan.FromHours(1), 2, NullLogger.Instance);

    [Fact]
    public void One_owner_at_a_time_and_a_newer_epoch_takes_the_log()
    {
        using var logs = Open();
        var id = Guid.NewGuid();
        var first = logs.Acquire(_tp, id, NoConfigs, 1);
        Assert.Equal(ErrorCode.NotLeaderOrFollower, Assert.Throws<AkkaStreamException>(() => logs.Acquire(_tp, id, NoConfigs, 1)).Code);
        var second = logs.Acquire(_tp, id, NoConfigs, 2);
        Assert.True(first.IsRevoked);
        Assert.False(second.IsRevoked);
        logs.Release(second);
        Assert.False(logs.Acquire(_tp, id, NoConfigs, 2).IsRevoked);
    }

    [Fact]
    public void Logs_are_found_again_at_start_and_a_recreated_topic_never_reuses_the_old_log()
    {
        var oldId = Guid.NewGuid();
        using (var logs = Open())
        {
            logs.Acquire(_tp, oldId, NoConfigs, 0).Log.AppendAsLeader(Batches.Of("old"), new LeaderEpoch(0));
        }
        using (var logs = Open())
        {
            Assert.Equal([_tp], logs.Partitions);
            Assert.Equal(1, logs.Acquire(_tp, oldId, NoConfigs, 1).Log.LogEndOffset.Value);
        }
        using (var logs = Open())
        {
            Assert.Equal(0, logs.Acquire(_tp, Guid.NewGuid(), NoConfigs, 0).Log.LogEndOffset.Value);
        }
    }

    [Fact]
    public async Task Metadata_without_the_topic_deletes_its_log()
    {
        using var logs = Open();
        var lease = logs.Acquire(_tp, Guid.NewGuid(), NoConfigs, 0);
        logs.ApplyMetadata(MetadataSnapshot.Empty with { Version = 1 });
        await Eventually.True(() => logs.Partitions.Count == 0);
        Assert.True(lease.IsRevoked);
        Assert.False(Directory.Exists(Path.Combine(_dir.Path, _tp.DirectoryName)));
    }

    [Fact]
    public async Task Metadata_that_moved_a_partition_to_other_brokers_deletes_its_log_here_and_keeps_the_others()
    {
        using var logs = LogManager.Open(_dir.Path, LogConfig.Default, null, TimeSpan.FromHours(1), 2, NullLogger.Instance, selfBroker: 1);
        var id = Guid.NewGuid();
        var kept = new TopicPartition("orders", 1);
        var moved = logs.Acquire(_tp, id, NoConfigs, 0);
        var stays = logs.Acquire(kept, id, NoConfigs, 0);
        var topic = new TopicState("orders", id, NoConfigs, [new PartitionState(0, [2, 3], 2, 1, [2, 3]), new PartitionState(1, [1, 2], 1, 0, [1, 2])]);
        logs.ApplyMetadata(MetadataSnapshot.Empty with { Version = 1, Topics = new Dictionary<string, TopicState> { ["orders"] = topic } });
        await Eventually.True(() => logs.Partitions.Count == 1);
        Assert.Equal([kept], logs.Partitions);
        Assert.True(moved.IsRevoked);
        Assert.False(stays.IsRevoked);
        Assert.False(Directory.Exists(Path.Combine(_dir.Path, _tp.DirectoryName)));
        Assert.True(Directory.Exists(Path.Combine(_dir.Path, kept.DirectoryName)));
    }

    [Fact]
    public async Task Metadata_older_than_what_was_applied_deletes_nothing()
    {
        using var logs = Open();
        var orders = new TopicState("orders", Guid.NewGuid(), NoConfigs, [new PartitionState(0, [1], 1, 0, [1])]);
        var audit = new TopicState("audit", Guid.NewGuid(), NoConfigs, [new PartitionState(0, [1], 1, 0, [1])]);
        logs.ApplyMetadata(MetadataSnapshot.Empty with { Version = 2, Topics = new Dictionary<string, TopicState> { ["orders"] = orders, ["audit"] = audit } });
        // A follower acted on version 2 and created the log; version 1, without the topic, arrives late.
        var lease = logs.Acquire(_tp, orders.Id, NoConfigs, 0);
        logs.Acquire(new TopicPartition("audit", 0), audit.Id, NoConfigs, 0);
        logs.ApplyMetadata(MetadataSnapshot.Empty with { Version = 1 });
        // Version 3 deletes the audit topic; once its log is gone, every earlier reconciliation has run.
        logs.ApplyMetadata(MetadataSnapshot.Empty with { Version = 3, Topics = new Dictionary<string, TopicState> { ["orders"] = orders } });
        await Eventually.True(() => logs.Partitions.Count == 1);
        Assert.Equal([_tp], logs.Partitions);
        Assert.False(lease.IsRevoked);
    }
}
