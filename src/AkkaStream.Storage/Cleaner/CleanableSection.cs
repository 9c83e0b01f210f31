namespace AkkaStream.Storage.Cleaner;

/// <summary>
/// Which inactive segments of a log may be compacted now, and how dirty they are. Immutable.
/// </summary>
/// <remarks>
/// The cleanable part runs from the first segment holding offsets at or above the log start to
/// the first segment that must not be touched yet: the active segment, a segment holding offsets at
/// or above the upper bound (the high watermark or last stable offset: a segment straddling it is
/// left whole), or a segment whose newest record is younger than <c>min.compaction.lag.ms</c>.
/// Inside it, segments ending at or below the first dirty offset (the cleaner's checkpoint) are
/// the clean head; the others the dirty tail. A checkpoint outside the log (after truncation,
/// DeleteRecords or a lost file) falls back to the log start, so everything counts as dirty; a
/// stale checkpoint inside the log can only make the cleaner keep more, never drop a latest value,
/// because records are dropped only when the map built over the dirty part holds a newer offset.
/// </remarks>
internal sealed record CleanableSection(
    long FirstDirtyOffset,
    int FirstIndex,
    int DirtyIndex,
    int EndIndex,
    long CleanBytes,
    long DirtyBytes,
    bool MaxCompactionLagExceeded)
{
    /// <summary>Dirty bytes over all cleanable bytes; 0 when nothing is cleanable.</summary>
    public double DirtyRatio => CleanBytes + DirtyBytes == 0 ? 0 : (double)DirtyBytes / (CleanBytes + DirtyBytes);

    public bool HasCleanableSegments => EndIndex > FirstIndex;

    public bool HasDirtySegments => EndIndex > DirtyIndex;

    /// <summary>Kafka's trigger: enough dirty bytes (<c>min.cleanable.dirty.ratio</c>), or dirty data waiting too long (<c>max.compaction.lag.ms</c>).</summary>
    public bool NeedsCleaning(LogConfig config) =>
        HasDirtySegments && (DirtyRatio >= config.MinCleanableDirtyRatio || MaxCompactionLagExceeded);

    public static CleanableSection Compute(CleaningView view, long? checkpoint, long upperBound)
    {
        var config = view.Config;
        var segments = view.Inactive;
        var firstDirty = checkpoint is { } c && c >= view.LogStartOffset && c <= view.LogEndOffset ? c : view.LogStartOffset;

        var first = 0;
        while (first < segments.Count && segments[first].NextOffset <= view.LogStartOffset)
        {
            first++;
        }
        var end = first;
        while (end < segments.Count
            && segments[end].NextOffset <= upperBound
            && (config.MinCompactionLagMs <= 0 || segments[end].LargestTimestamp <= view.NowMs - config.MinCompactionLagMs))
        {
            end++;
        }
        var dirty = first;
        while (dirty < end && segments[dirty].NextOffset <= firstDirty)
        {
            dirty++;
        }

        long clean = 0, dirtyBytes = 0;
        for (var i = first; i < dirty; i++) clean += segments[i].Size;
        for (var i = dirty; i < end; i++) dirtyBytes += segments[i].Size;
        var lagExceeded = dirty < end
            && config.MaxCompactionLagMs != long.MaxValue
            && view.NowMs - segments[dirty].FirstTimestamp > config.MaxCompactionLagMs;
        return new CleanableSection(firstDirty, first, dirty, end, clean, dirtyBytes, lagExceeded);
    }
}
