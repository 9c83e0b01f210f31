namespace AkkaStream.Records.Batches;

/// <summary>
/// Walks the whole batches laid end to end in a span (a log slice, a fetch response, a produce
/// payload), reading only their headers. It stops before a batch whose header is malformed or that
/// does not fit in what is left; <see cref="Remaining"/> then says how many bytes were not walked.
/// Nothing is checked beyond the header: use <see cref="RecordBatch.Validate"/> for the CRC.
/// </summary>
public ref struct RecordBatchEnumerator
{
    private readonly ReadOnlySpan<byte> _source;
    private int _next;

    public RecordBatchEnumerator(ReadOnlySpan<byte> source)
    {
        _source = source;
        _next = 0;
        Current = default;
        Position = -1;
    }

    /// <summary>The header of the current batch.</summary>
    public RecordBatchHeader Current { get; private set; }

    /// <summary>Where the current batch starts within the source.</summary>
    public int Position { get; private set; }

    /// <summary>The current batch's bytes.</summary>
    public readonly ReadOnlySpan<byte> CurrentBytes => _source.Slice(Position, Current.SizeInBytes);

    /// <summary>Bytes after the last whole batch walked so far.</summary>
    public readonly int Remaining => _source.Length - _next;

    /// <summary>True when the walk stopped at a header that is not a batch, rather than a short tail.</summary>
    public bool StoppedAtMalformedHeader { get; private set; }

    public readonly RecordBatchEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        var rest = _source[_next..];
        if (!RecordBatchHeader.TryRead(rest, out var header))
        {
            return false;
        }
        if (!header.IsStructurallyValid)
        {
            StoppedAtMalformedHeader = true;
            return false;
        }
        if (header.SizeInBytes > rest.Length)
        {
            return false;
        }
        Current = header;
        Position = _next;
        _next += header.SizeInBytes;
        return true;
    }
}
