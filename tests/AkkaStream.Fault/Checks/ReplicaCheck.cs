using AkkaStream.Records.Ids;
using AkkaStream.Storage;
using AkkaStream.Storage.Log;

namespace AkkaStream.Fault.Checks;

/// <summary>One replica's log up to the high watermark, as read from its broker's data directory.</summary>
public sealed record ReplicaContent(int BrokerId, bool Exists, long LogStartOffset, long LogEndOffset, byte[] BytesBelowHighWatermark);

/// <summary>Whether all replicas of one partition hold the same bytes below its high watermark.</summary>
public sealed record ReplicaComparison(int Partition, long HighWatermark, IReadOnlyList<ReplicaContent> Replicas)
{
    public bool Identical => Replicas.All(r => r.Exists && r.BytesBelowHighWatermark.AsSpan().SequenceEqual(Replicas[0].BytesBelowHighWatermark));

    public string Describe() =>
        $"partition {Partition} (high watermark {HighWatermark}): " + string.Join("; ", Replicas.Select(r => r.Exists
            ? $"broker {r.BrokerId} [{r.LogStartOffset}, {r.LogEndOffset}) {r.BytesBelowHighWatermark.Length} B below the HW"
            : $"broker {r.BrokerId} has no log"));
}

/// <summary>
/// Reads partition logs straight from the brokers' data directories with AkkaStream.Storage, after
/// the brokers have stopped (a log is one process's at a time), and compares them byte for byte:
/// followers copy the leader's batches unchanged, so everything below the high watermark must match.
/// Stateless; each call opens and closes the logs it reads.
/// </summary>
public static class ReplicaCheck
{
    private const int ReadChunk = 1024 * 1024;

    /// <param name="dataDirs">Each replica's broker id and data directory.</param>
    public static ReplicaComparison Compare(TopicPartition partition, long highWatermark, IReadOnlyList<(int BrokerId, string DataDir)> dataDirs) =>
        new(partition.Partition, highWatermark, [.. dataDirs.Select(d => Read(d.BrokerId, Path.Combine(d.DataDir, partition.DirectoryName), highWatermark))]);

    private static ReplicaContent Read(int brokerId, string directory, long highWatermark)
    {
        if (!Directory.Exists(directory))
        {
            return new ReplicaContent(brokerId, false, 0, 0, []);
        }
        using var log = PartitionLog.Open(directory, LogConfig.Default);
        using var bytes = new MemoryStream();
        var offset = log.LogStartOffset;
        var upper = new Offset(Math.Min(highWatermark, log.LogEndOffset.Value));
        while (offset < upper)
        {
            using var read = log.Read(offset, ReadChunk, upper);
            if (read.IsEmpty) break;
            bytes.Write(read.Records.Span);
            offset = read.NextOffset;
        }
        return new ReplicaContent(brokerId, true, log.LogStartOffset.Value, log.LogEndOffset.Value, bytes.ToArray());
    }
}
