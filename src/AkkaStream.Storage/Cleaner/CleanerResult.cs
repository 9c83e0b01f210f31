using AkkaStream.Records.Ids;

namespace AkkaStream.Storage.Cleaner;

/// <summary>What one cleaning run of a log did. Immutable.</summary>
/// <param name="FirstDirtyOffset">Where the dirty part began before the run.</param>
/// <param name="CleanedUpTo">
/// The end (exclusive) of the part the run compacted: the new first dirty offset, as written to the
/// cleaner checkpoint. Equal to <paramref name="FirstDirtyOffset"/> when nothing was cleaned, and
/// left there when the run was aborted.
/// </param>
/// <param name="SegmentsBefore">Segments replaced.</param>
/// <param name="SegmentsAfter">Segments that replaced them (fewer when small ones were merged).</param>
/// <param name="Aborted">
/// True when the log changed under the run (truncation, retention, DeleteRecords, close) and the
/// rest of it was dropped; segments swapped before that stay compacted.
/// </param>
public sealed record CleanerResult(
    Offset FirstDirtyOffset,
    Offset CleanedUpTo,
    int SegmentsBefore,
    int SegmentsAfter,
    long BytesRead,
    long BytesWritten,
    long RecordsRead,
    long RecordsRemoved,
    long TombstonesRemoved,
    bool Aborted)
{
    internal static CleanerResult Nothing(long firstDirtyOffset) =>
        new(new Offset(firstDirtyOffset), new Offset(firstDirtyOffset), 0, 0, 0, 0, 0, 0, 0, Aborted: false);
}
