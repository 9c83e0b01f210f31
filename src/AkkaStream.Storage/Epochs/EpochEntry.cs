using AkkaStream.Records.Ids;

namespace AkkaStream.Storage.Epochs;

/// <summary>
/// One line of a partition's leader-epoch history: <paramref name="StartOffset"/> is the first
/// offset written in <paramref name="Epoch"/>. The epoch's records end where the next entry's
/// start, or at the log end for the latest entry. Immutable.
/// </summary>
public readonly record struct EpochEntry(LeaderEpoch Epoch, Offset StartOffset)
{
    public override string ToString() => $"{Epoch}@{StartOffset}";
}
