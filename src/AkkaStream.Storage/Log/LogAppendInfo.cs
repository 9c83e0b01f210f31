using AkkaStream.Records.Ids;

namespace AkkaStream.Storage.Log;

/// <summary>What an append wrote: the offsets it took, its records and bytes, and the time stamped on it.</summary>
/// <param name="LogAppendTime">The broker's time written into the batches, or -1 when they keep CreateTime.</param>
public readonly record struct LogAppendInfo(
    Offset FirstOffset,
    Offset LastOffset,
    long MaxTimestamp,
    long LogAppendTime,
    long RecordCount,
    int BatchCount,
    int Bytes);
