namespace AkkaStream.Storage.Log;

/// <summary>
/// What opening a log found and did (see <see cref="LogLoader"/>): after a clean shutdown nothing
/// was recovered; after a crash, the batches from the recovery point on were validated again and
/// the log was cut at the first invalid byte. Immutable.
/// </summary>
/// <param name="RecoveryPoint">Below it everything was flushed and checked before the crash; the log end after a clean shutdown.</param>
/// <param name="RecordsRecovered">Offsets from the recovery point to the log end: what the crash could have lost and recovery kept.</param>
/// <param name="BytesRecovered">The bytes of the segments that recovery validated again, as kept.</param>
/// <param name="TruncatedBytes">Bytes cut off as corrupt or torn, including the segments deleted after them.</param>
/// <param name="DeletedSegments">Segments that followed corrupt data, deleted whole.</param>
public sealed record LogRecovery(
    bool CleanShutdown,
    long RecoveryPoint,
    long LogEndOffset,
    long RecordsRecovered,
    long BytesRecovered,
    long TruncatedBytes,
    int DeletedSegments,
    TimeSpan Took)
{
    /// <summary>A log created empty, or opened after a clean shutdown.</summary>
    public static LogRecovery Clean(long logEndOffset, TimeSpan took) => new(true, logEndOffset, logEndOffset, 0, 0, 0, 0, took);
}
