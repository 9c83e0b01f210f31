using AkkaStream.Records.Ids;

namespace AkkaStream.Storage.Epochs;

/// <summary>
/// The answer to "where does epoch E end in this log?" (Kafka's OffsetsForLeaderEpoch result):
/// the largest epoch this log knows that is ≤ E, and the offset where that epoch's records end
/// (exclusive). Immutable. See <see cref="LeaderEpochCache.EndOffsetFor"/>.
/// </summary>
public readonly record struct EpochEndOffset(LeaderEpoch Epoch, Offset EndOffset)
{
    /// <summary>Kafka's UNDEFINED_EPOCH / UNDEFINED_EPOCH_OFFSET pair (-1, -1): the log cannot answer.</summary>
    public static readonly EpochEndOffset Undefined = new(LeaderEpoch.None, Offset.None);

    public bool IsUndefined => this == Undefined;

    public override string ToString() => $"(epoch {Epoch}, end {EndOffset})";
}
