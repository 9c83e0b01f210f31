namespace AkkaStream.Storage.Tests.Properties;

/// <summary>A batch as the model remembers it: where it starts, its values, its size on disk, its newest timestamp and epoch.</summary>
internal sealed record ModelBatch(long BaseOffset, string[] Values, int SizeInBytes, long MaxTimestamp, int Epoch)
{
    public long LastOffset => BaseOffset + Values.Length - 1;

    public long NextOffset => BaseOffset + Values.Length;
}

/// <summary>
/// The simplest statement of what a non-compacted partition log holds: batches laid end to end at
/// contiguous offsets, and a log start offset below which nothing is served. Batches below the log
/// start stay in the list as long as the segment holding them may still be on disk (a read that
/// starts in such a batch returns it whole). Not thread-safe: one per test sequence.
/// </summary>
internal sealed class LogModel
{
    private readonly List<ModelBatch> _batches = [];

    public long LogStartOffset { get; private set; }

    public long LogEndOffset { get; private set; }

    public IReadOnlyList<ModelBatch> Batches => _batches;

    /// <summary>Every served record from the log start on.</summary>
    public List<(long Offset, string Value)> Records()
    {
        var records = new List<(long, string)>();
        foreach (var batch in _batches)
        {
            for (var i = 0; i < batch.Values.Length; i++)
            {
                if (batch.BaseOffset + i >= LogStartOffset) records.Add((batch.BaseOffset + i, batch.Values[i]));
            }
        }
        return records;
    }

    public void Append(string[] values, int sizeInBytes, long maxTimestamp, int epoch)
    {
        _batches.Add(new ModelBatch(LogEndOffset, values, sizeInBytes, maxTimestamp, epoch));
        LogEndOffset += values.Length;
    }

    /// <summary>The batch holding <paramref name="offset"/>, by index, or -1.</summary>
    public int IndexOfBatchHolding(long offset) => _batches.FindIndex(b => b.BaseOffset <= offset && offset <= b.LastOffset);

    /// <summary>
    /// Removes every batch holding offsets at or above <paramref name="offset"/> (a straddling one
    /// whole). A log start above the new end comes down to it: nothing below it is served anyway,
    /// and what is appended next must be readable.
    /// </summary>
    public void TruncateTo(long offset)
    {
        if (offset >= LogEndOffset)
        {
            return;
        }
        var first = _batches.FindIndex(b => b.LastOffset >= offset);
        LogEndOffset = first < 0 ? offset : _batches[first].BaseOffset;
        if (first >= 0) _batches.RemoveRange(first, _batches.Count - first);
        LogStartOffset = Math.Min(LogStartOffset, LogEndOffset);
    }

    /// <summary>Forgets every batch and starts an empty log at <paramref name="offset"/>.</summary>
    public void Restart(long offset)
    {
        _batches.Clear();
        LogStartOffset = offset;
        LogEndOffset = offset;
    }

    public void RaiseLogStart(long offset) => LogStartOffset = Math.Max(LogStartOffset, offset);

    /// <summary>Drops the batches that are physically gone: those below the first segment's base offset.</summary>
    public void ForgetBelow(long firstSegmentBase) => _batches.RemoveAll(b => b.BaseOffset < firstSegmentBase);

    /// <summary>The batches of the segment that starts at <paramref name="baseOffset"/> and ends before <paramref name="nextBase"/>.</summary>
    public List<ModelBatch> BatchesIn(long baseOffset, long nextBase) =>
        _batches.Where(b => b.BaseOffset >= baseOffset && b.BaseOffset < nextBase).ToList();
}
