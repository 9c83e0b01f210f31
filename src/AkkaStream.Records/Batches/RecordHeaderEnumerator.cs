using AkkaStream.Records.Errors;

namespace AkkaStream.Records.Batches;

/// <summary>
/// Walks the header entries of one record (see <see cref="RecordDecoder"/> for their encoding).
/// The reader has already checked them, so walking cannot fail on a record it produced. A mutable
/// view: one enumerator per walk, on one thread.
/// </summary>
public ref struct RecordHeaderEnumerator
{
    private ReadOnlySpan<byte> _remaining;
    private int _left;

    internal RecordHeaderEnumerator(ReadOnlySpan<byte> encodedHeaders, int count)
    {
        _remaining = encodedHeaders;
        _left = count;
        Current = default;
    }

    public RecordHeader Current { get; private set; }

    public readonly RecordHeaderEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_left == 0)
        {
            return false;
        }
        if (!RecordDecoder.TryReadHeaderEntry(_remaining, out var header, out var consumed))
        {
            throw new CorruptRecordException("a record header is malformed");
        }
        Current = header;
        _remaining = _remaining[consumed..];
        _left--;
        return true;
    }
}
