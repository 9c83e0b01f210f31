namespace AkkaStream.Storage.Benchmarks;

/// <summary>
/// How often appended data is forced to disk: never during the run, every 1 MiB, or after every
/// batch. The plain file and the log follow the same schedule, counted in batches for the file and
/// in records (<c>flush.messages</c>) for the log; every batch holds the same number of records, so
/// the two agree.
/// </summary>
internal sealed record FlushMode(string Name, long BytesBetweenFlushes)
{
    public static readonly FlushMode None = new("no flush", long.MaxValue);
    public static readonly FlushMode EveryMiB = new("flush every 1 MiB", BenchOptions.MiB);
    public static readonly FlushMode EveryBatch = new("flush every batch", 1);

    public static readonly FlushMode[] All = [None, EveryMiB, EveryBatch];

    /// <summary>Batches written between two flushes; 0 for never.</summary>
    public long BatchesBetweenFlushes(BatchPool pool) =>
        BytesBetweenFlushes == long.MaxValue ? 0 : pool.BatchesFor(BytesBetweenFlushes);

    /// <summary>The log's <c>flush.messages</c> for this schedule, so that the log's own policy flushes it.</summary>
    public long FlushMessages(BatchPool pool) =>
        BatchesBetweenFlushes(pool) is var batches and > 0 ? batches * pool.RecordsPerBatch : long.MaxValue;

    /// <summary>How many bytes a run appends in this mode: syncing every batch is slow, so it writes less.</summary>
    public long RunBytes(BenchOptions options) => this == EveryBatch ? options.SyncSize : options.Size;
}
