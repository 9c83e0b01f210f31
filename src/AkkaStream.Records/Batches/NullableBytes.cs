namespace AkkaStream.Records.Batches;

/// <summary>
/// A key or value handed to <see cref="RecordBatchBuilder"/>: some bytes (possibly none), or null,
/// which the record format keeps apart (length -1 versus length 0). Converts implicitly from a
/// span, or from an array where a null array means a null key or value. An immutable view over the
/// caller's memory (a ref struct, so it never leaves the thread that made it); <c>default</c> is null.
/// </summary>
public readonly ref struct NullableBytes
{
    private readonly ReadOnlySpan<byte> _bytes;
    private readonly bool _hasValue;

    public NullableBytes(ReadOnlySpan<byte> bytes)
    {
        _bytes = bytes;
        _hasValue = true;
    }

    public static NullableBytes Null => default;

    public bool IsNull => !_hasValue;

    /// <summary>The bytes; empty when null.</summary>
    public ReadOnlySpan<byte> Span => _bytes;

    /// <summary>The length the record format stores: -1 for null.</summary>
    public int EncodedLength => _hasValue ? _bytes.Length : -1;

    public static implicit operator NullableBytes(ReadOnlySpan<byte> bytes) => new(bytes);

    public static implicit operator NullableBytes(byte[]? bytes) => bytes is null ? default : new(bytes);
}
