using AkkaStream.Records.Ids;
using AkkaStream.Storage.Log;

namespace AkkaStream.Storage.Benchmarks;

/// <summary>Fills a partition log from a batch pool, one batch per append, as a producer would. Thread-safe (stateless).</summary>
internal static class LogWriter
{
    public static readonly LeaderEpoch Epoch = new(1);

    /// <summary>Appends <paramref name="batchCount"/> batches from the pool (continuing at batch <paramref name="first"/>); returns the bytes appended.</summary>
    public static long Append(PartitionLog log, BatchPool pool, long batchCount, long first = 0)
    {
        long written = 0;
        for (var i = first; i < first + batchCount; i++)
        {
            var batch = pool[i];
            log.AppendAsLeader(batch, Epoch);
            written += batch.Length;
        }
        return written;
    }

    /// <summary>The log's settings in this benchmark: Kafka's defaults apart from the flush policy.</summary>
    public static LogConfig Config(long flushMessages = long.MaxValue) => LogConfig.Default with { FlushMessages = flushMessages };
}
