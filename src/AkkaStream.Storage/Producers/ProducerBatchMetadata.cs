namespace AkkaStream.Storage.Producers;

/// <summary>
/// What the log remembers of one batch of an idempotent producer: its sequence range, the offsets
/// it was written at, and its max timestamp. Enough to recognise a retry of it and to answer that
/// retry with the offsets of the first write.
/// </summary>
public readonly record struct ProducerBatchMetadata(int FirstSequence, int LastSequence, long FirstOffset, long LastOffset, long Timestamp);
