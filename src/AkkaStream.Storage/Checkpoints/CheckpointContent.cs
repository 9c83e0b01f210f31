namespace AkkaStream.Storage.Checkpoints;

/// <summary>What <see cref="CheckpointFile.Read{T}"/> found at a checkpoint's path.</summary>
public enum CheckpointStatus
{
    /// <summary>No file at the path: the checkpoint was never written.</summary>
    Missing,

    /// <summary>A well-formed file of the expected version; the entries are in it.</summary>
    Valid,

    /// <summary>The file exists but cannot be trusted; <see cref="CheckpointContent{T}.Problem"/> says why.</summary>
    Corrupt,
}

/// <summary>
/// The result of reading a checkpoint file: its status, the parsed entries (empty unless
/// <see cref="CheckpointStatus.Valid"/>), and for a corrupt file a one-line description of the
/// first problem found, meant for the log line that reports it. Immutable.
/// </summary>
public readonly record struct CheckpointContent<T>(CheckpointStatus Status, IReadOnlyList<T> Entries, string? Problem)
{
    public static CheckpointContent<T> Missing() => new(CheckpointStatus.Missing, [], null);

    public static CheckpointContent<T> Valid(IReadOnlyList<T> entries) => new(CheckpointStatus.Valid, entries, null);

    public static CheckpointContent<T> Corrupt(string problem) => new(CheckpointStatus.Corrupt, [], problem);
}
