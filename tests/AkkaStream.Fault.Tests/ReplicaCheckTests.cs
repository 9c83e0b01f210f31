using System.Text;
using AkkaStream.Fault.Checks;
using AkkaStream.Records.Batches;
using AkkaStream.Records.Ids;
using AkkaStream.Storage;
using AkkaStream.Storage.Log;

namespace AkkaStream.Fault.Tests;

public sealed class ReplicaCheckTests : IDisposable
{
    private static readonly TopicPartition Partition = new("orders", 0);
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"akkastream-replica-check-{Guid.NewGuid():N}");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>A broker data directory whose log of <see cref="Partition"/> holds one batch per value list.</summary>
    private string Broker(int id, params string[][] batches)
    {
        var dataDir = Path.Combine(_root, $"node-{id}");
        using var log = PartitionLog.Open(Path.Combine(dataDir, Partition.DirectoryName), LogConfig.Default);
        foreach (var values in batches)
        {
            using var builder = new RecordBatchBuilder();
            foreach (var value in values) builder.Append(1_700_000_000_000, null, Encoding.UTF8.GetBytes(value));
            log.AppendAsLeader(builder.Build(), new LeaderEpoch(0));
        }
        return dataDir;
    }

    [Fact]
    public void Replicas_with_the_same_batches_below_the_high_watermark_are_identical_whatever_lies_above_it()
    {
        var leader = Broker(1, ["a", "b"], ["c"], ["not yet replicated"]);
        var follower = Broker(2, ["a", "b"], ["c"]);

        var comparison = ReplicaCheck.Compare(Partition, 3, [(1, leader), (2, follower)]);

        Assert.True(comparison.Identical, comparison.Describe());
        Assert.Equal([4L, 3L], comparison.Replicas.Select(r => r.LogEndOffset));
    }

    [Fact]
    public void A_replica_behind_the_high_watermark_a_diverging_one_and_a_missing_one_all_differ()
    {
        var leader = Broker(1, ["a", "b"], ["c"]);

        Assert.False(ReplicaCheck.Compare(Partition, 3, [(1, leader), (2, Broker(2, ["a", "b"]))]).Identical);
        Assert.False(ReplicaCheck.Compare(Partition, 3, [(1, leader), (3, Broker(3, ["a", "b"], ["x"]))]).Identical);
        var missing = ReplicaCheck.Compare(Partition, 3, [(1, leader), (4, Path.Combine(_root, "node-4"))]);
        Assert.False(missing.Identical);
        Assert.Contains("broker 4 has no log", missing.Describe());
    }
}
