namespace AkkaStream.Records.Batches;

/// <summary>
/// The <c>foreach</c> form of <see cref="RecordBatchReader"/>: walks from where the reader stood when
/// it was made, without moving the reader. Throws <see cref="Errors.CorruptRecordException"/> on
/// malformed records. A mutable view: one walk, on one thread.
/// </summary>
public ref struct RecordEnumerator
{
    private RecordCursor _cursor;
    private Record _current;

    internal RecordEnumerator(RecordCursor cursor)
    {
        _cursor = cursor;
        _current = default;
    }

    public readonly Record Current => _current;

    public bool MoveNext() => _cursor.TryReadNext(out _current);
}
