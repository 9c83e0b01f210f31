using AkkaStream.Records.Ids;

namespace AkkaStream.Storage.Log;

/// <summary>What an append wrote: the offsets it took, its records and bytes, and the time stamped on it.</summary>
/// <param name="LogAppendTime">The broker's time written into the batches, or -1 when they keep CreateTime.</param>
/// <param name="IsDuplicate">
/// The append repeated an idempotent producer's batches that the log already holds: nothing was
/// written, and the offsets and times are those of the first write.
/// </param>
public readonly record struct LogAppendInfo(
    Offset FirstOffset,
    Offset LastOffset,
    long MaxTimestamp,
    long LogAppendTime,
    long RecordCount,
    int BatchCount,
    int Bytes,
    bool IsDuplicate = false);
