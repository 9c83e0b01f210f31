using AkkaStream.Broker.Logs;
using AkkaStream.Broker.Replication;
using AkkaStream.Broker.Tests.Support;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;
using AkkaStream.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace AkkaStream.Broker.Tests.Replication;

/// <summary>A follower's log against a leader's answers: append as they are, truncate where histories diverge, start over, back off.</summary>
public sealed class FollowerPartitionTests : IDisposable
{
    private static readonly TopicPartition Tp = new("f", 0);
    private static readonly Dictionary<string, string> NoConfigs = [];
    private readonly TempDir _dir = new();
    private readonly LogManager _logs;
    private readonly LogLease _lease;

    public FollowerPartitionTests()
    {
        _logs = TestConfigs.OpenLogs(_dir);
        _lease = _logs.Acquire(Tp, Guid.NewGuid(), NoConfigs, 7);
    }

    public void Dispose()
    {
        _logs.Dispose();
        _dir.Dispose();
    }

    private void WriteAsLeader(int epoch, params string[] values) => _lease.Log.AppendAsLeader(Batches.Of(values), new LeaderEpoch(epoch));

    private static ReplicaPartitionData Records(byte[] bytes, long highWatermark) => new(Tp, ErrorCode.None, null, highWatermark, 0, 10, -1, -1, bytes);

    [Fact]
    public void The_next_fetch_names_the_log_end_and_the_epoch_of_the_last_record()
    {
        var follower = new FollowerPartition(_lease, 7);
        Assert.Equal(new ReplicaFetchPartition(Tp, 7, 0, -1, 100), follower.NextFetch(100));
        WriteAsLeader(2, "a", "b");
        // An epoch this broker led without writing anything leaves an entry at the log end.
        _lease.Log.Epochs.AssignIfNewer(new LeaderEpoch(5), _lease.Log.LogEndOffset);
        follower = new FollowerPartition(_lease, 7);
        Assert.Equal(new ReplicaFetchPartition(Tp, 7, 2, 2, 100), follower.NextFetch(100));
        Assert.Equal(new LeaderEpoch(2), _lease.Log.Epochs.LatestEpoch);
    }

    [Fact]
    public void Records_are_appended_as_they_are_and_the_high_watermark_never_passes_the_log_end()
    {
        var follower = new FollowerPartition(_lease, 7);
        var batch = Batches.Of("x", "y");
        AkkaStream.Records.Batches.RecordBatch.SetPartitionLeaderEpoch(batch, 7);
        Assert.Equal(FollowerPartition.Outcome.Appended, follower.Apply(Records(batch, highWatermark: 9)));
        Assert.Equal(2, _lease.Log.LogEndOffset.Value);
        Assert.Equal(2, _lease.HighWatermark.Value);
        using var read = _lease.Log.Read(new Offset(0), 1 << 20);
        Assert.Equal(batch, read.Records.ToArray());
        Assert.Equal(new LeaderEpoch(7), _lease.Log.Epochs.LatestEpoch);
        Assert.Equal(FollowerPartition.Outcome.Nothing, follower.Apply(Records([], highWatermark: 1)));
        Assert.Equal(1, _lease.HighWatermark.Value);
    }

    [Fact]
    public void A_divergence_truncates_to_the_lower_of_both_ends_of_the_epoch()
    {
        WriteAsLeader(1, "a", "b");       // 0-1, epoch 1
        WriteAsLeader(2, "c", "d", "e");  // 2-4, epoch 2 (this broker's own tail as a leader)
        var follower = new FollowerPartition(_lease, 7);
        // The leader's epoch 2 ended at 3: keep 0-2.
        Assert.Equal(FollowerPartition.Outcome.Truncated, follower.Apply(ReplicaPartitionData.Diverging(Tp, 2, 2, 3)));
        Assert.True(_lease.Log.LogEndOffset.Value <= 3);
        // (Batches are never split: the batch 2-4 goes whole.)
        Assert.Equal(2, _lease.Log.LogEndOffset.Value);
        Assert.Equal(new LeaderEpoch(1), _lease.Log.Epochs.LatestEpoch);
    }

    [Fact]
    public void An_epoch_the_leader_never_had_is_cut_at_its_own_start_and_an_empty_leader_history_cuts_to_the_leader_end()
    {
        WriteAsLeader(1, "a", "b");
        WriteAsLeader(3, "c");
        var follower = new FollowerPartition(_lease, 7);
        // The leader has no epoch 3: its largest epoch at or below it is 1, ending at 10 (it went on in epoch 4 there).
        Assert.Equal(2, FollowerPartition.TruncationOffset(_lease.Log, 1, 10));
        Assert.Equal(1, FollowerPartition.TruncationOffset(_lease.Log, -1, 1));
        follower.Apply(ReplicaPartitionData.Diverging(Tp, 0, 1, 10));
        Assert.Equal(2, _lease.Log.LogEndOffset.Value);
    }

    [Fact]
    public void Out_of_range_starts_over_at_the_leaders_log_start_or_cuts_back_to_its_end_and_errors_back_off()
    {
        WriteAsLeader(1, "a");
        WriteAsLeader(1, "b", "c");
        var follower = new FollowerPartition(_lease, 7);
        Assert.Equal(FollowerPartition.Outcome.Truncated,
            follower.Apply(ReplicaPartitionData.Failed(Tp, ErrorCode.OffsetOutOfRange, "ahead", logStartOffset: 0, logEndOffset: 1)));
        Assert.Equal(1, _lease.Log.LogEndOffset.Value);
        Assert.Equal(FollowerPartition.Outcome.Truncated,
            follower.Apply(ReplicaPartitionData.Failed(Tp, ErrorCode.OffsetOutOfRange, "behind", logStartOffset: 50, logEndOffset: 60)));
        Assert.Equal((50L, 50L), (_lease.Log.LogStartOffset.Value, _lease.Log.LogEndOffset.Value));
        Assert.Equal(FollowerPartition.Outcome.BackOff, follower.Apply(ReplicaPartitionData.Failed(Tp, ErrorCode.FencedLeaderEpoch, "stale")));

        _logs.Acquire(Tp, _lease.TopicId, NoConfigs, 8);
        Assert.Equal(FollowerPartition.Outcome.Revoked, follower.Apply(Records([], 0)));
    }
}
